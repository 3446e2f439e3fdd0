// Tencent Cloud SMS (短信, API 3.0, SendSms version 2021-01-11) over plain HTTPS: a JSON POST signed
// with TC3-HMAC-SHA256 (SecretId/SecretKey). Mainland messages are approved templates: our template
// reads "{1}" "{2}" "{3}" = case number, what happened (in the resident's language), case page link;
// one template id per language (zh-Hans required, zh-Hant/en fall back to it). The provider's answer
// decides retry or dead letter: limits and internal errors are retried, bad numbers, templates and
// credentials are refused (the dead-letter page shows the provider's body).
import { createHash, createHmac } from "node:crypto";
import { DeliveryError } from "../outbox.ts";
import type { SmsMessage, SmsProvider } from "./sms-provider.ts";

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  /** Template id per locale; "zh-Hans" is the fallback. */
  templates: Record<string, string>;
  region?: string;
  /** https://sms.tencentcloudapi.com by default; tests point it at a local fake. */
  endpoint?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
  timeoutMs?: number;
}

const SERVICE = "sms";
const ACTION = "SendSms";
const VERSION = "2021-01-11";

const sha256hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const hmac = (key: Buffer | string, s: string) => createHmac("sha256", key).update(s, "utf8").digest();

/** The TC3-HMAC-SHA256 Authorization header of a JSON POST (tests' fake recomputes it independently). */
export function tc3Authorization(o: { secretId: string; secretKey: string; host: string; action: string; body: string; timestamp: number; service?: string }): string {
  const service = o.service ?? SERVICE;
  const date = new Date(o.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = "content-type;host;x-tc-action";
  const canonicalHeaders = `content-type:application/json; charset=utf-8\nhost:${o.host}\nx-tc-action:${o.action.toLowerCase()}\n`;
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signedHeaders, sha256hex(o.body)].join("\n");
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = ["TC3-HMAC-SHA256", String(o.timestamp), scope, sha256hex(canonicalRequest)].join("\n");
  const signing = hmac(hmac(hmac(`TC3${o.secretKey}`, date), service), "tc3_request");
  const signature = createHmac("sha256", signing).update(stringToSign, "utf8").digest("hex");
  return `TC3-HMAC-SHA256 Credential=${o.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** Error codes worth retrying later (rate and daily limits, the provider's own trouble, clock skew). */
const RETRY = /^(InternalError|RequestLimitExceeded|LimitExceeded|ResourceUnavailable|AuthFailure\.SignatureExpire)/;

export function tencentSms(o: TencentSmsOptions): SmsProvider {
  const endpoint = (o.endpoint ?? "https://sms.tencentcloudapi.com").replace(/\/+$/, "");
  const host = new URL(endpoint).host;
  const doFetch = o.fetch ?? globalThis.fetch;
  const refuseOrRetry = (code: string, message: string, body: string, status: number) =>
    new DeliveryError(RETRY.test(code) ? "transient" : "rejected", `Tencent SMS ${code}: ${message}`, undefined, { status, description: code, body });

  return {
    name: "tencent",
    async send(m: SmsMessage) {
      const body = JSON.stringify({
        PhoneNumberSet: [m.to],
        SmsSdkAppId: o.sdkAppId,
        SignName: o.signName,
        TemplateId: o.templates[m.locale] ?? o.templates["zh-Hans"],
        TemplateParamSet: m.params,
      });
      const timestamp = Math.floor((o.now?.() ?? new Date()).getTime() / 1000);
      let res: Response;
      try {
        res = await doFetch(`${endpoint}/`, {
          method: "POST",
          headers: {
            Authorization: tc3Authorization({ secretId: o.secretId, secretKey: o.secretKey, host, action: ACTION, body, timestamp }),
            "Content-Type": "application/json; charset=utf-8",
            "X-TC-Action": ACTION,
            "X-TC-Timestamp": String(timestamp),
            "X-TC-Version": VERSION,
            "X-TC-Region": o.region ?? "ap-guangzhou",
          },
          body,
          signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
        });
      } catch (err) {
        throw new DeliveryError("transient", `Tencent SMS unreachable: ${(err as Error)?.message ?? err}`);
      }
      const text = await res.text();
      if (!res.ok) throw new DeliveryError(res.status >= 500 || res.status === 429 ? "transient" : "rejected", `Tencent SMS HTTP ${res.status}`, undefined, { status: res.status, body: text.slice(0, 2000) });
      let parsed: { Response?: { Error?: { Code?: string; Message?: string }; SendStatusSet?: { Code?: string; Message?: string }[] } };
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new DeliveryError("transient", "Tencent SMS answered something that is not JSON", undefined, { status: res.status, body: text.slice(0, 2000) });
      }
      const err = parsed.Response?.Error;
      if (err) throw refuseOrRetry(err.Code ?? "Unknown", err.Message ?? "", text.slice(0, 2000), res.status);
      // The request was fine; each number has its own outcome ("Ok" or why not).
      const status = parsed.Response?.SendStatusSet?.[0];
      if (!status) throw new DeliveryError("transient", "Tencent SMS answered without a send status", undefined, { status: res.status, body: text.slice(0, 2000) });
      if (status.Code !== "Ok") throw refuseOrRetry(status.Code ?? "Unknown", status.Message ?? "", text.slice(0, 2000), res.status);
    },
  };
}
