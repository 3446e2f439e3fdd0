// Plays a registered resident filing a case the way a person does: send, wait for the bot's answer,
// press the button it offered. Used by end-to-end tests and bench/intake.
import type { Update } from "grammy/types";
import type { ApiCall, FakeBotApi } from "./fakeBotApi.ts";
import * as u from "./updates.ts";

export type Post = (update: Update) => Promise<void>;

const buttons = (c: ApiCall): string[] =>
  ((c.payload.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][]).flat().map((b) => b.callback_data ?? "");

// Flow tokens (the third field of "v1:<action>:<tok>:…") of filings a person already finished. A
// message sent again at the at-least-once boundary (after a crash) can carry an old keyboard; a
// person ignores it, and so does the simulation.
const finished = new Map<number, Set<string>>();
const tokenOf = (data: string) => data.split(":")[2] ?? "";

function replyWithButton(chatId: number, prefix: string, suffix = "") {
  const old = finished.get(chatId);
  return (c: ApiCall) =>
    c.method === "sendMessage" &&
    Number(c.payload.chat_id) === chatId &&
    buttons(c).some((d) => d.startsWith(prefix) && d.endsWith(suffix) && !old?.has(tokenOf(d)));
}

function pick(c: ApiCall, prefix: string, suffix = ""): string {
  const d = buttons(c).find((x) => x.startsWith(prefix) && x.endsWith(suffix));
  if (!d) throw new Error(`no ${prefix}…${suffix} button in ${JSON.stringify(c.payload.reply_markup)}`);
  return d;
}

/** Sends an update and resolves with the bot's first matching reply. */
async function step(api: FakeBotApi, post: Post, update: Update, match: (c: ApiCall) => boolean): Promise<ApiCall> {
  const reply = api.next(match);
  await post(update);
  return reply;
}

export interface Filing {
  kind?: "complaint" | "repair" | "suggestion";
  category?: string;
  description?: string;
  /** Send the final Confirm this many times (a double press / re-delivery). */
  confirmTimes?: number;
}

/** Telegram re-delivering every update (same update_id) `times` times. */
export const redelivering =
  (post: Post, times = 2): Post =>
  async (update) => {
    for (let i = 0; i < times; i++) await post(update);
  };

/** Files one case from /new to the case number; returns the number the resident was told. */
export async function fileCase(api: FakeBotApi, post: Post, p: u.Person, f: Filing = {}): Promise<string> {
  const chat = p.chat.id;
  let r = await step(api, post, u.command(p, "new"), replyWithButton(chat, "v1:kind:"));
  r = await step(api, post, u.callback(p, pick(r, "v1:kind:", `:${f.kind ?? "repair"}`)), replyWithButton(chat, "v1:cat:"));
  await step(api, post, u.callback(p, pick(r, "v1:cat:", `:${f.category ?? "water"}`)), (c) => c.method === "sendMessage" && Number(c.payload.chat_id) === chat);
  r = await step(api, post, u.text(p, f.description ?? "楼道灯坏了，晚上很黑"), replyWithButton(chat, "v1:pdone:"));
  r = await step(api, post, u.callback(p, pick(r, "v1:pdone:")), replyWithButton(chat, "v1:lskip:"));
  r = await step(api, post, u.callback(p, pick(r, "v1:lskip:")), replyWithButton(chat, "v1:urg:", ":n"));
  r = await step(api, post, u.callback(p, pick(r, "v1:urg:", ":n")), replyWithButton(chat, "v1:conf:"));
  const confirm = pick(r, "v1:conf:");
  finished.set(chat, (finished.get(chat) ?? new Set()).add(tokenOf(confirm)));
  const numbered = (c: ApiCall) => c.method === "sendMessage" && Number(c.payload.chat_id) === chat && /\d{4}-\d{6}/.test(String(c.payload.text));
  const told = await step(api, post, u.callback(p, confirm), numbered);
  for (let i = 1; i < (f.confirmTimes ?? 1); i++) await post(u.callback(p, confirm));
  return /\d{4}-\d{6}/.exec(String(told.payload.text))![0];
}
