// Case 6, shared by the test (a few hundred sequences) and bench:reliability (10,000): random update
// sequences into the real bot (harness: fresh DB, demo district, fake Bot API), then checks that
// every reply is well-formed and the case state machine's invariants hold.
import fc from "fast-check";
import type { Update } from "grammy/types";
import { ACTIONS } from "../../core/lifecycle.ts";
import type { ApiCall } from "../helpers/fakeBotApi.ts";
import * as u from "../helpers/updates.ts";
import { harness, LIAISON_CHAT, OFFICE_CHAT, type Harness } from "../bot/harness.ts";

const APOLOGY = /出了点问题|出了點問題|something went wrong/;

export interface FuzzFigures {
  sequences: number;
  updates: number;
  replies: number;
  malformed: number;
  thrown: number;
  apologies: number;
  invariantViolations: number;
  cases: number;
  transitions: number;
  firstProblem?: string;
}

/** What Telegram would refuse or a user should never see. Returns the problem, or null. */
export function malformed(c: ApiCall): string | null {
  const p = c.payload;
  if (c.method === "sendMessage") {
    const t = p.text;
    if (typeof t !== "string" || t.trim() === "") return "empty text";
    if ([...t].length > 4096) return `text of ${[...t].length} characters`;
    if (/\bat .+\.(ts|js):\d+|node_modules|TypeError|undefined|\[object Object\]|NaN/.test(t)) return `internal detail in text: ${t.slice(0, 80)}`;
    if (/\{\s*\$?[a-zA-Z-]+\s*\}/.test(t)) return `unfilled placeholder: ${t.slice(0, 80)}`;
  }
  if (c.method === "answerCallbackQuery" && typeof p.text === "string" && [...p.text].length > 200) return "callback answer over 200 characters";
  if ((c.method === "sendPhoto" || c.method === "sendDocument") && typeof p.caption === "string" && [...p.caption].length > 1024) return "caption over 1024";
  const kb = p.reply_markup;
  if (kb?.inline_keyboard !== undefined) {
    if (!Array.isArray(kb.inline_keyboard) || !kb.inline_keyboard.every((row: unknown) => Array.isArray(row))) return "keyboard not rows of buttons";
    for (const row of kb.inline_keyboard as Record<string, unknown>[][]) {
      if (row.length > 8) return "row of more than 8 buttons";
      for (const b of row) {
        if (typeof b.text !== "string" || b.text.trim() === "") return "button without text";
        const kinds = ["callback_data", "url"].filter((k) => b[k] !== undefined);
        if (kinds.length !== 1) return `button with ${kinds.join("+") || "no action"}`;
        if (b.callback_data !== undefined && (typeof b.callback_data !== "string" || b.callback_data === "" || Buffer.byteLength(b.callback_data) > 64)) return `callback data ${JSON.stringify(b.callback_data)}`;
      }
    }
  }
  if (kb?.keyboard !== undefined && (!Array.isArray(kb.keyboard) || !kb.keyboard.every((row: unknown) => Array.isArray(row) && row.length > 0))) return "reply keyboard malformed";
  return null;
}

/** State machine invariants over the whole database; returns the violations. */
export async function invariants(h: Harness): Promise<string[]> {
  const out: string[] = [];
  const cases = await h.db.prisma.case.findMany({ include: { events: { orderBy: { id: "asc" } } } });
  const valid = new Set(["received", "routed", "unroutable", "accepted", "resolved", "revisit", "reopened", "closed"]);
  const actions = ACTIONS as Record<string, { from: readonly string[]; to: string }>;
  for (const c of cases) {
    if (!valid.has(c.state)) out.push(`case ${c.id} in unknown state ${c.state}`);
    const t = c.events.filter((e) => e.toState !== null);
    if (t[0]?.type !== "filed" || t[0].toState !== "received" || t[0].fromState !== null) out.push(`case ${c.id} does not start with a 'filed' event`);
    if (c.events.filter((e) => e.type === "filed").length !== 1) out.push(`case ${c.id} has ${c.events.filter((e) => e.type === "filed").length} 'filed' events`);
    let state: string | null = "received";
    for (const e of t.slice(1)) {
      if (e.fromState !== state) out.push(`case ${c.id} event ${e.id} ${e.type} from ${e.fromState} but the case was ${state}`);
      const a = actions[e.type];
      if (!a || !a.from.includes(e.fromState!) || a.to !== e.toState) out.push(`case ${c.id} event ${e.id}: ${e.type} ${e.fromState}→${e.toState} is not in the lifecycle`);
      state = e.toState;
    }
    if (state !== c.state) out.push(`case ${c.id} is ${c.state} but its last transition says ${state}`);
  }
  return out;
}

const bigText = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom("", " ", "\u0000", "\u202e\u202d", "👨‍👩‍👧‍👦".repeat(600), "漏".repeat(5000), "a".repeat(4097), "<b>x</b>", "{$number}", "/start@estate_test_bot", "$(rm -rf)", "\ud800"),
);
const commands = fc.constantFrom("start", "new", "mycases", "help", "cancel", "language", "cases", "liaison", "office", "menu", "unknowncmd");
const commandArgs = fc.constantFrom("", "CO-HUAMEI", "OF-DONGCHENG", "join-CO-HUAMEI", "HEPING01", "x".repeat(300));

function mutate(data: string, how: number, r: string): string {
  switch (how % 6) {
    case 0: return data.replace(/\d+/g, (d) => String(Number(d) + 1 + (how % 5)));
    case 1: return data.slice(0, Math.max(0, data.length - 1 - (how % 4)));
    case 2: return data + r;
    case 3: return data.replace(/:[^:]*$/, `:${r}`);
    case 4: return data.replace(/^v1:[a-z]+/, `v1:${["la", "lr", "co", "rf", "xa", "ea", "erl", "conf", "cat"][how % 9]}`);
    default: return data.replace(/:/g, "::");
  }
}

export async function runFuzz(o: { sequences: number; maxLength?: number; seed?: number }): Promise<FuzzFigures> {
  const h = await harness();
  const f: FuzzFigures = { sequences: 0, updates: 0, replies: 0, malformed: 0, thrown: 0, apologies: 0, invariantViolations: 0, cases: 0, transitions: 0 };
  try {
    const a = u.person(660_001);
    const b = u.person(660_002, "Li", "Si", "en");
    const stranger = u.person(660_003);
    const liaison = u.person(LIAISON_CHAT["huamei-li"], "李", "联络");
    await h.db.prisma.liaison.update({ where: { code: "huamei-li" }, data: { telegramUserId: BigInt(liaison.user.id) } });
    await h.register(a);
    await h.register(b, { estate: "幸福花园" });
    // Real cases with real cards, so mutated real callback data hits real rows.
    await h.file(a, "水管漏水 fuzz 1");
    await h.file(a, "电梯坏了 fuzz 2");
    await h.file(b, "noise fuzz 3");
    const people = [a, b, stranger, liaison];
    const seen = () => [...new Set(h.api.calls.flatMap((c) => ((c.payload.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][]).flat().map((x) => x.callback_data ?? "").filter(Boolean)))];
    const office = u.group(OFFICE_CHAT.dongcheng);

    const step = fc.record({
      who: fc.nat(people.length - 1),
      kind: fc.nat(15),
      text: bigText,
      cmd: commands,
      arg: commandArgs,
      n: fc.nat(1_000_000),
      r: fc.string({ maxLength: 12 }),
      lat: fc.double({ min: -200, max: 200, noNaN: false }),
    });
    const build = (s: { who: number; kind: number; text: string; cmd: string; arg: string; n: number; r: string; lat: number }): Update => {
      const p = people[s.who]!;
      const real = seen();
      const data = real[s.n % Math.max(1, real.length)] ?? "v1:menu:new";
      switch (s.kind) {
        case 0: case 1: return u.text(p, s.text);
        case 2: case 3: return u.command(p, s.cmd, s.arg);
        case 4: return u.callback(p, data, 1 + (s.n % 50));
        case 5: case 6: return u.callback(p, mutate(data, s.n, s.r), 1 + (s.n % 50));
        case 7: return u.callback(p, s.text.slice(0, 80));
        case 8: return [u.sticker, u.voice, u.video, u.documentMsg][s.n % 4]!(p);
        case 9: return u.photo(p, `fuzz-${s.n}`, s.n % 2 ? s.text.slice(0, 2000) : undefined);
        case 10: return u.location(p, s.lat, -s.lat);
        case 11: return u.contact(p, `+86${s.n}`, s.n % 3 === 0 ? undefined : s.n % 3 === 1 ? p.user.id : s.n);
        case 12: return u.edited(p, 1 + (s.n % 20), s.text);
        case 13: {
          // Forged: a button press claiming another person's chat.
          const victim = people[(s.who + 1) % people.length]!;
          const up = u.callback(p, data, 1);
          (up.callback_query!.message as { chat: unknown }).chat = victim.chat;
          return up;
        }
        case 14: return u.command(p, s.cmd, s.arg, office);
        default: {
          const up = u.callback(p, data, 1);
          (up.callback_query!.message as { chat: unknown }).chat = office;
          return up;
        }
      }
    };

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: o.maxLength ?? 6 }), async (steps) => {
        f.sequences++;
        for (const s of steps) {
          const update = build(s);
          f.updates++;
          let calls: ApiCall[];
          try {
            calls = await h.send(update);
          } catch (err) {
            f.thrown++;
            f.firstProblem ??= `handleUpdate threw on ${JSON.stringify(update).slice(0, 300)}: ${(err as Error).message}`;
            throw err;
          }
          f.replies += calls.length;
          for (const c of calls) {
            if (APOLOGY.test(String(c.payload.text ?? ""))) {
              f.apologies++;
              f.firstProblem ??= `apology (an internal error) on ${JSON.stringify(update).slice(0, 300)}`;
            }
            const bad = malformed(c);
            if (bad) {
              f.malformed++;
              f.firstProblem ??= `${bad} in ${c.method} after ${JSON.stringify(update).slice(0, 200)}`;
            }
          }
        }
        const v = await invariants(h);
        f.invariantViolations += v.length;
        if (v.length) f.firstProblem ??= v[0];
        return f.malformed === 0 && f.invariantViolations === 0 && f.apologies === 0;
      }),
      { numRuns: o.sequences, seed: o.seed, endOnFailure: true },
    ).catch((err: Error) => {
      f.firstProblem ??= err.message.slice(0, 500);
    });
    f.cases = await h.db.prisma.case.count();
    f.transitions = await h.db.prisma.caseEvent.count({ where: { toState: { not: null } } });
  } finally {
    await h.close();
  }
  return f;
}
