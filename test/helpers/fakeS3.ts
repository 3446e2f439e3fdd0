// A minimal in-process S3-compatible server (path-style PUT, GET, HEAD, DELETE of objects) for
// testing the S3 attachment store without a network service. Signatures are not checked; the
// Authorization header must be there, as a real server would insist.
import http from "node:http";
import type { AddressInfo } from "node:net";

export class FakeS3 {
  readonly objects = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly requests: { method: string; path: string }[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname); // /bucket/key
      this.requests.push({ method: req.method ?? "", path });
      if (!req.headers.authorization) return this.error(res, 403, "AccessDenied");
      const obj = this.objects.get(path);
      switch (req.method) {
        case "PUT": {
          // The SDK may send the body with aws-chunked framing; strip it when it does.
          let bytes: Buffer = Buffer.concat(chunks);
          if (String(req.headers["content-encoding"] ?? "").includes("aws-chunked")) bytes = unchunk(bytes);
          this.objects.set(path, { bytes, contentType: String(req.headers["content-type"] ?? "application/octet-stream") });
          res.writeHead(200, { etag: '"x"' });
          return res.end();
        }
        case "GET":
        case "HEAD":
          if (!obj) return this.error(res, 404, "NoSuchKey");
          res.writeHead(200, { "content-type": obj.contentType, "content-length": String(obj.bytes.length) });
          return res.end(req.method === "GET" ? obj.bytes : undefined);
        case "DELETE":
          this.objects.delete(path);
          res.writeHead(204);
          return res.end();
        default:
          return this.error(res, 405, "MethodNotAllowed");
      }
    });
  }

  private error(res: http.ServerResponse, status: number, code: string): void {
    res.writeHead(status, { "content-type": "application/xml" });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  }
}

function unchunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = b.indexOf("\r\n", i);
    if (eol < 0) break;
    const size = parseInt(b.toString("latin1", i, eol).split(";")[0]!, 16);
    if (!size) break;
    out.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
