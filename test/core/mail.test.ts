// Digest e-mails go through the outbox to a real SMTP conversation (a local smtp-server).
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import { mailTransport, routeByMethod } from "../../core/delivery/mail.ts";
import { DeliveryError, EMAIL_CHAT_ID, type Transport } from "../../core/delivery/outbox.ts";

const received: { to: string[]; data: string }[] = [];
let server: SMTPServer;
let url: string;
let refuse = false;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onRcptTo(addr, _s, cb) {
      if (refuse) return cb(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString("utf8")));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((r) => server.close(() => r())));

const chat: Transport = { deliver: async () => ({ messageId: 1 }) };

describe("e-mail through the outbox", () => {
  it("delivers a sendEmail row over SMTP with subject and text", async () => {
    const t = routeByMethod(chat, mailTransport(url, "Digest <noreply@example.org>"));
    await t.deliver(BigInt(EMAIL_CHAT_ID), "sendEmail", { to: "office@example.org", subject: "每日通报 Daily digest", text: "新升级 2 件" });
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(["office@example.org"]);
    expect(received[0]!.data).toMatch(/Subject: =\?UTF-8\?/);
    expect(received[0]!.data).toContain("noreply@example.org");
  });

  it("treats a refused address as final and an unreachable server as retryable", async () => {
    refuse = true;
    const t = routeByMethod(chat, mailTransport(url, "x@example.org"));
    const e1 = await t.deliver(0n, "sendEmail", { to: "nobody@example.org", subject: "s", text: "t" }).catch((e) => e);
    expect(e1).toBeInstanceOf(DeliveryError);
    expect(e1.kind).toBe("rejected");
    refuse = false;
    const down = routeByMethod(chat, mailTransport("smtp://127.0.0.1:1", "x@example.org"));
    const e2 = await down.deliver(0n, "sendEmail", { to: "a@example.org", subject: "s", text: "t" }).catch((e) => e);
    expect(e2.kind).toBe("transient");
  });

  it("without SMTP configured an e-mail row fails clearly and chat rows still go", async () => {
    const t = routeByMethod(chat, null);
    const e = await t.deliver(0n, "sendEmail", { to: "a@example.org", subject: "s", text: "t" }).catch((x) => x);
    expect(e.message).toMatch(/SMTP_URL is not set/);
    expect(await t.deliver(5n, "sendMessage", { text: "hi" })).toEqual({ messageId: 1 });
  });
});
