// A local stand-in for Tencent Cloud SMS (API 3.0, SendSms 2021-01-11): checks each request's
// TC3-HMAC-SHA256 signature with its own implementation of the documented steps (not the adapter's),
// and answers with the provider's documented bodies: success per number, Error for a bad request or
// signature, and per-number failure codes chosen by the test.
import http from "node:http";
import { createHash, createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";

export interface SmsRequest {
  headers: http.IncomingHttpHeaders;
  body: { PhoneNumberSet: string[]; SmsSdkAppId: string; SignName: string; TemplateId: string; TemplateParamSet: string[] };
}

export class FakeTencentSms {
  readonly received: SmsRequest[] = [];
  /** A number's outcome other than "Ok" (e.g. "InvalidParameterValue.IncorrectPhoneNumber"), or an HTTP status to answer with. */
  outcome: (to: string) => string | number = () => "Ok";
  private server?: http.Server;
  endpoint = "";

  constructor(readonly secretId = "AKIDtestsecretid0000", readonly secretKey = "test-secret-key-0000") {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.answer(req, Buffer.concat(chunks).toString("utf8"), res));
    });
    this.server.listen(0, "127.0.0.1");
    await new Promise((r) => this.server!.once("listening", r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  /** Accepted messages: number, template and parameters. */
  sent(): { to: string; template: string; params: string[] }[] {
    return this.received.filter((r) => this.outcome(r.body.PhoneNumberSet[0]!) === "Ok").map((r) => ({ to: r.body.PhoneNumberSet[0]!, template: r.body.TemplateId, params: r.body.TemplateParamSet }));
  }

  private reply(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private error(res: http.ServerResponse, code: string, message: string) {
    this.reply(res, 200, { Response: { Error: { Code: code, Message: message }, RequestId: `req-${Date.now()}` } });
  }

  private answer(req: http.IncomingMessage, raw: string, res: http.ServerResponse) {
    const h = req.headers;
    if (req.method !== "POST" || h["x-tc-action"] !== "SendSms" || h["x-tc-version"] !== "2021-01-11") return this.error(res, "InvalidAction", "The action or version is not right.");
    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/sms\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(String(h.authorization ?? ""));
    if (!auth) return this.error(res, "AuthFailure.InvalidAuthorization", "Authorization header is not well-formed.");
    const [, id, date, signed, signature] = auth as unknown as [string, string, string, string, string];
    if (id !== this.secretId) return this.error(res, "AuthFailure.SecretIdNotFound", "The SecretId is not found.");
    const timestamp = Number(h["x-tc-timestamp"]);
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return this.error(res, "AuthFailure.SignatureExpire", "Signature expired.");
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return this.error(res, "AuthFailure.SignatureFailure", "Credential date does not match the timestamp.");
    const names = signed.split(";");
    if (!names.includes("content-type") || !names.includes("host")) return this.error(res, "AuthFailure.SignatureFailure", "content-type and host must be signed.");
    // Step 1–4 of the documented signing, on what arrived.
    const canonicalHeaders = names.map((n) => `${n}:${String(h[n] ?? "").trim().toLowerCase()}\n`).join("");
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    const canonical = `POST\n/\n\n${canonicalHeaders}\n${signed}\n${sha(raw)}`;
    const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/sms/tc3_request\n${sha(canonical)}`;
    let key: Buffer = createHmac("sha256", `TC3${this.secretKey}`).update(date).digest();
    key = createHmac("sha256", key).update("sms").digest();
    key = createHmac("sha256", key).update("tc3_request").digest();
    if (createHmac("sha256", key).update(toSign).digest("hex") !== signature) {
      return this.error(res, "AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.");
    }
    let body: SmsRequest["body"];
    try {
      body = JSON.parse(raw);
    } catch {
      return this.error(res, "InvalidParameter", "The request body is not JSON.");
    }
    if (!Array.isArray(body.PhoneNumberSet) || !body.SmsSdkAppId || !body.TemplateId) return this.error(res, "MissingParameter", "PhoneNumberSet, SmsSdkAppId and TemplateId are required.");
    this.received.push({ headers: h, body });
    const to = body.PhoneNumberSet[0]!;
    const outcome = this.outcome(to);
    if (typeof outcome === "number") return this.reply(res, outcome, { message: "upstream trouble" });
    this.reply(res, 200, {
      Response: {
        SendStatusSet: [{ SerialNo: outcome === "Ok" ? `2433:${Date.now()}` : "", PhoneNumber: to, Fee: outcome === "Ok" ? 1 : 0, SessionContext: "", Code: outcome, Message: outcome === "Ok" ? "send success" : "failed", IsoCode: "CN" }],
        RequestId: `req-${Date.now()}`,
      },
    });
  }
}
