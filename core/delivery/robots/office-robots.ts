// An office's group robots in the directory: set or clear the WeCom webhook and the DingTalk webhook
// with its signing secret (checked: https on the provider's host; audited with the keys masked), the
// status the directory shows (set? last message delivered or refused, with the provider's answer),
// and the "send a test message" row. Secrets are write-only: nothing here returns a key or a secret.
import type { Db } from "../../db/db.ts";
import { audit, DirectoryError, type Who } from "../../directory/audit.ts";
import { officeByCode } from "../../directory/offices.ts";
import { enqueue } from "../outbox.ts";
import { checkDingtalkSecret, checkRobotUrl, type RobotProvider } from "./robot-url.ts";
import { robotChatId, robotMethod, robotTest } from "./robot-messages.ts";

export interface RobotSettings {
  /** A URL sets it, null clears it, absent keeps it. */
  wecomWebhook?: string | null;
  dingtalkWebhook?: string | null;
  dingtalkSecret?: string | null;
}

/** "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…a5aa": enough to tell robots apart, not to use one. */
export function maskWebhook(url: string | null): string | null {
  if (!url) return null;
  const u = new URL(url);
  for (const [k, v] of u.searchParams) u.searchParams.set(k, `…${v.slice(-4)}`);
  return decodeURIComponent(u.toString());
}

export async function setOfficeRobots(db: Db, who: Who, code: string, s: RobotSettings) {
  const o = await officeByCode(db, code);
  const data: { wecomWebhook?: string | null; dingtalkWebhook?: string | null; dingtalkSecret?: string | null } = {};
  const url = (p: RobotProvider, raw: string, field: string) => {
    const r = checkRobotUrl(p, raw);
    if ("error" in r) throw new DirectoryError("invalid", `robot_url_${p}`, {}, field);
    return r.url;
  };
  if (s.wecomWebhook !== undefined) data.wecomWebhook = s.wecomWebhook ? url("wecom", s.wecomWebhook, "wecomWebhook") : null;
  if (s.dingtalkWebhook !== undefined) data.dingtalkWebhook = s.dingtalkWebhook ? url("dingtalk", s.dingtalkWebhook, "dingtalkWebhook") : null;
  if (s.dingtalkSecret !== undefined) {
    if (s.dingtalkSecret) {
      const r = checkDingtalkSecret(s.dingtalkSecret);
      if ("error" in r) throw new DirectoryError("invalid", "robot_secret", {}, "dingtalkSecret");
      data.dingtalkSecret = r.secret;
    } else data.dingtalkSecret = null;
  }
  if (data.dingtalkWebhook === null) data.dingtalkSecret = null;
  if (!Object.keys(data).length) return o;
  return db.$transaction(async (tx) => {
    const row = await tx.office.update({ where: { id: o.id }, data });
    const shown = (x: { wecomWebhook: string | null; dingtalkWebhook: string | null; dingtalkSecret: string | null }) => ({ wecomWebhook: maskWebhook(x.wecomWebhook), dingtalkWebhook: maskWebhook(x.dingtalkWebhook), dingtalkSigned: Boolean(x.dingtalkSecret) });
    await audit(tx, who, "office", code, "robots", shown(o), shown(row));
    return row;
  });
}

export interface RobotStatus {
  provider: RobotProvider;
  /** The webhook with its key masked, or null: not set up. */
  webhook: string | null;
  signed: boolean;
  last: { status: string; at: Date; error: string | null } | null;
  /** Dead letters of this robot (its refusals, with the provider's answer). */
  failed: number;
}

/** What the office's page and the API show of its robots. */
export async function robotStatus(db: Db, o: { id: number; wecomWebhook: string | null; dingtalkWebhook: string | null; dingtalkSecret: string | null }): Promise<RobotStatus[]> {
  const chatId = robotChatId(o.id);
  return Promise.all(
    (["wecom", "dingtalk"] as const).map(async (p) => {
      const method = robotMethod(p);
      const [last, failed] = await Promise.all([
        db.outboxMessage.findFirst({ where: { chatId, method }, orderBy: { id: "desc" }, select: { status: true, createdAt: true, sentAt: true, deadAt: true, lastError: true } }),
        db.outboxMessage.count({ where: { chatId, method, status: "failed" } }),
      ]);
      return {
        provider: p,
        webhook: maskWebhook(p === "wecom" ? o.wecomWebhook : o.dingtalkWebhook),
        signed: p === "dingtalk" && Boolean(o.dingtalkSecret),
        last: last ? { status: last.status, at: last.sentAt ?? last.deadAt ?? last.createdAt, error: last.lastError } : null,
        failed,
      };
    }),
  );
}

/** Queues the test message; refused when that robot is not set up. */
export async function queueRobotTest(db: Db, code: string, provider: RobotProvider, now: Date): Promise<void> {
  const o = await officeByCode(db, code);
  if (!(provider === "wecom" ? o.wecomWebhook : o.dingtalkWebhook)) throw new DirectoryError("invalid", "robot_not_set", {}, provider === "wecom" ? "wecomWebhook" : "dingtalkWebhook");
  await enqueue(db, robotTest(o, provider, now));
}
