// Plays a registered resident filing a case the way a person does: send, wait for the bot's answer,
// press the button it offered. Used by end-to-end tests and bench/intake.
import type { Update } from "grammy/types";
import type { ApiCall, FakeBotApi } from "./fakeBotApi.ts";
import * as u from "./updates.ts";
import type { Db } from "../../core/db/db.ts";

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

/** A resident waited for an answer that never came: which chat, at which step, after which update. */
export class Stall extends Error {
  constructor(
    readonly chat: number,
    readonly step: string,
    readonly update: Update,
    cause: unknown,
  ) {
    super(`resident ${chat} stalled at step ${step} (update ${update.update_id}): ${(cause as Error)?.message ?? cause}`);
  }
}

// The bot's apology (err-generic) and a refused button (an alert on the press, e.g. "this button has
// expired"): both answer a step without the reply it asked for.
const APOLOGY = /出了点问题|出了點問題|something went wrong/;

/** What a person who meets trouble does: presses again after an apology, starts over after a refusal. */
export interface Recovery {
  /** Apologies met (the step was sent again). */
  apologies: number;
  /**
   * Presses answered with an alert. `recovered`: the expected reply came anyway within a few seconds
   * (the alert was the answer of a replay of this very press), else the filing was cancelled and
   * started again.
   */
  refused: { chat: number; step: string; update: Update; alert: string; recovered: boolean }[];
}
export const newRecovery = (): Recovery => ({ apologies: 0, refused: [] });

class Refused extends Error {
  constructor(
    readonly step: string,
    readonly update: Update,
    readonly alert: string,
  ) {
    super(`refused at ${step}: ${alert}`);
  }
}

const chatOf = (update: Update) => Number(update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? 0);

/**
 * Sends an update and resolves with the bot's first matching reply. With `recovery`, an apology
 * makes the person send the step again (a new update: pressed again) and a refused press throws
 * Refused; without, either fails the step at once.
 */
async function step(api: FakeBotApi, post: Post, make: () => Update, match: (c: ApiCall) => boolean, name: string, recovery?: Recovery): Promise<ApiCall> {
  for (let tries = 1; ; tries++) {
    const update = make();
    const chat = chatOf(update);
    const cbId = update.callback_query?.id;
    const apology = (c: ApiCall) => c.method === "sendMessage" && Number(c.payload.chat_id) === chat && APOLOGY.test(String(c.payload.text));
    const refusal = (c: ApiCall) => cbId !== undefined && c.method === "answerCallbackQuery" && c.payload.callback_query_id === cbId && c.payload.show_alert === true;
    // Settled into a value at once: a timeout while `post` is still retrying is not an unhandled rejection.
    const reply = api.next((c) => match(c) || apology(c) || refusal(c)).then(
      (c) => ({ c }),
      (err: unknown) => ({ err }),
    );
    await post(update);
    const r = await reply;
    if ("err" in r) throw new Stall(chat, name, update, r.err);
    if (match(r.c)) return r.c;
    if (refusal(r.c)) {
      if (!recovery) throw new Stall(chat, name, update, new Error(`press refused: ${r.c.payload.text}`));
      // A press handled twice (a crash after its reply was stored, before the update was marked done)
      // is answered "expired" the second time; its real reply still comes. Wait a little for it.
      const late = await api.next(match, 5000).catch(() => null);
      if (late) {
        recovery.refused.push({ chat, step: name, update, alert: String(r.c.payload.text), recovered: true });
        return late;
      }
      throw new Refused(name, update, String(r.c.payload.text));
    }
    if (!recovery || tries >= 5) throw new Stall(chat, name, update, new Error(`apology ${tries}×: ${r.c.payload.text}`));
    recovery.apologies++;
  }
}

export interface Filing {
  kind?: "complaint" | "repair" | "suggestion";
  category?: string;
  description?: string;
  /** Send the final Confirm this many times (a double press / re-delivery). */
  confirmTimes?: number;
  /** Two taps: just write the description (the bot proposes, Confirm files); needs an understander. */
  freeText?: boolean;
}

/** Telegram re-delivering every update (same update_id) `times` times. */
export const redelivering =
  (post: Post, times = 2): Post =>
  async (update) => {
    for (let i = 0; i < times; i++) await post(update);
  };

/**
 * Files one case from /new to the case number; returns the number the resident was told. With
 * `recovery` (fault tests), the resident presses again after an apology, and after a refused press
 * cancels and files again from the start — what a person does; both are counted there.
 */
export async function fileCase(api: FakeBotApi, post: Post, p: u.Person, f: Filing = {}, recovery?: Recovery): Promise<string> {
  const chat = p.chat.id;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fileOnce(api, post, p, f, recovery);
    } catch (err) {
      if (!(err instanceof Refused) || attempt >= 5) throw err;
      recovery!.refused.push({ chat, step: err.step, update: err.update, alert: err.alert, recovered: false });
      // The refused filing's buttons are dead from now on: a re-sent copy of them is ignored.
      const tok = tokenOf(err.update.callback_query?.data ?? "");
      if (tok) finished.set(chat, (finished.get(chat) ?? new Set()).add(tok));
      await step(api, post, () => u.command(p, "cancel"), (c) => c.method === "sendMessage" && Number(c.payload.chat_id) === chat && !APOLOGY.test(String(c.payload.text)), "cancel", recovery);
    }
  }
}

async function fileOnce(api: FakeBotApi, post: Post, p: u.Person, f: Filing, recovery?: Recovery): Promise<string> {
  const chat = p.chat.id;
  const go = (make: () => Update, match: (c: ApiCall) => boolean, name: string) => step(api, post, make, match, name, recovery);
  // The description question: a plain message without buttons (not an apology, not a case number).
  const plainPrompt = (c: ApiCall) =>
    c.method === "sendMessage" && Number(c.payload.chat_id) === chat && buttons(c).length === 0 && !APOLOGY.test(String(c.payload.text)) && !/\d{4}-\d{6}/.test(String(c.payload.text));
  let r: ApiCall;
  if (f.freeText) {
    // Two taps: the message, then Confirm under the proposal.
    r = await go(() => u.text(p, f.description ?? "厨房水管漏水，楼上一直滴水"), replyWithButton(chat, "v1:conf:"), "free text");
  } else {
    r = await go(() => u.command(p, "new"), replyWithButton(chat, "v1:kind:"), "new");
    const kind = pick(r, "v1:kind:", `:${f.kind ?? "repair"}`);
    r = await go(() => u.callback(p, kind), replyWithButton(chat, "v1:cat:"), "kind");
    const cat = pick(r, "v1:cat:", `:${f.category ?? "water"}`);
    await go(() => u.callback(p, cat), plainPrompt, "cat");
    // Only what is not known is asked: a location for shared areas (Telegram's reply keyboard, skipped
    // by its "skip" text), urgency unless the category is an emergency.
    const urgOrConf = (c: ApiCall) => replyWithButton(chat, "v1:urg:", ":n")(c) || replyWithButton(chat, "v1:conf:")(c);
    const located = (c: ApiCall) => c.method === "sendMessage" && Number(c.payload.chat_id) === chat && JSON.stringify(c.payload.reply_markup ?? {}).includes("request_location");
    r = await go(() => u.text(p, f.description ?? "楼道灯坏了，晚上很黑"), (c) => urgOrConf(c) || located(c), "description");
    if (located(r)) {
      const skip = (r.payload.reply_markup as { keyboard: { text: string }[][] }).keyboard[1]![0]!.text;
      r = await go(() => u.text(p, skip), urgOrConf, "location");
    }
    if (buttons(r).some((d) => d.startsWith("v1:urg:"))) {
      const urg = pick(r, "v1:urg:", ":n");
      r = await go(() => u.callback(p, urg), replyWithButton(chat, "v1:conf:"), "urg");
    }
  }
  const confirm = pick(r, "v1:conf:");
  finished.set(chat, (finished.get(chat) ?? new Set()).add(tokenOf(confirm)));
  const numbered = (c: ApiCall) => c.method === "sendMessage" && Number(c.payload.chat_id) === chat && /\d{4}-\d{6}/.test(String(c.payload.text));
  const told = await go(() => u.callback(p, confirm), numbered, "conf");
  for (let i = 1; i < (f.confirmTimes ?? 1); i++) await post(u.callback(p, confirm));
  return /\d{4}-\d{6}/.exec(String(told.payload.text))![0];
}

/**
 * Verified residents, registered up front (tests and benches are about filing): spread over the demo
 * estates in id order, or all in one estate when `estate` names it.
 */
export async function registerResidents(db: Db, ids: number[], o: { estate?: string } = {}): Promise<u.Person[]> {
  const estates = await db.estate.findMany({ where: o.estate ? { code: o.estate } : {}, orderBy: { id: "asc" }, include: { buildings: { include: { units: true } } } });
  if (estates.length === 0) throw new Error(`no estate ${o.estate ?? "(none seeded)"}`);
  await db.resident.createMany({
    data: ids.map((id, i) => {
      const e = estates[i % estates.length]!;
      const b = e.buildings[0]!;
      return { telegramUserId: BigInt(id), chatId: BigInt(id), name: "住户", status: "verified" as const, estateId: e.id, buildingId: b.id, unitId: b.units[0]!.id };
    }),
  });
  return ids.map((id) => u.person(id));
}
