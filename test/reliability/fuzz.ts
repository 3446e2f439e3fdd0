// Case 6, shared by the test (a few hundred sequences) and bench:reliability (10,000): random update
// sequences into the real bot (harness: fresh DB, demo district, fake Bot API), then checks that
// every reply is well-formed and the case state machine's invariants hold.
//
// Random updates alone rarely get a case past `routed` (a resolve takes a button, a text and another
// button, in order). So a share of the sequences (`flowShare`, default 1/3) first walks a case down
// the real lifecycle — a resident files it through the buttons, its liaison accepts it, resolves it
// (or hands it back: "not ours"), the revisit job asks, the resident answers fixed / not fixed and
// rates, the liaison takes a reopened case again — stopping at a random depth, and only then sends
// the random updates (which now meet cases in every state). `reached` counts the cases that ever
// entered each state; `final` where they ended.
import fc from "fast-check";
import type { Update } from "grammy/types";
import { ACTIONS } from "../../core/cases/lifecycle.ts";
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
  /** Sequences that began with a walk down the real lifecycle. */
  flows: number;
  /** Cases that ever entered each state (from the event log). */
  reached: Record<string, number>;
  /** Cases per state at the end. */
  final: Record<string, number>;
  seed?: number;
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

/** State machine invariants over the whole database (or these cases); returns the violations. */
export async function invariants(h: Harness, caseIds?: number[]): Promise<string[]> {
  const out: string[] = [];
  if (caseIds?.length === 0) return out;
  const cases = await h.db.prisma.case.findMany({ where: caseIds ? { id: { in: caseIds } } : {}, include: { events: { orderBy: { id: "asc" } } } });
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

export async function runFuzz(o: { sequences: number; maxLength?: number; seed?: number; flowShare?: number }): Promise<FuzzFigures> {
  const h = await harness();
  const f: FuzzFigures = { sequences: 0, updates: 0, replies: 0, malformed: 0, thrown: 0, apologies: 0, invariantViolations: 0, cases: 0, transitions: 0, flows: 0, reached: {}, final: {}, seed: o.seed };
  try {
    const a = u.person(660_001);
    const b = u.person(660_002, "Li", "Si"); // zh-hans: the harness files through the Chinese labels
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
    // Every liaison with a chat can press (the flows act as the case's own liaison).
    for (const chat of Object.values(LIAISON_CHAT)) await h.db.prisma.liaison.updateMany({ where: { chatId: chat }, data: { telegramUserId: BigInt(chat) } });
    // Every callback data the bot ever sent, kept as calls arrive (the call log is trimmed between
    // sequences; re-scanning it at every step made long runs quadratic).
    const seenSet = new Set<string>();
    const seenList: string[] = [];
    const collect = (c: ApiCall) => {
      for (const x of ((c.payload.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][]).flat()) {
        const d = x?.callback_data;
        if (d && !seenSet.has(d)) {
          seenSet.add(d);
          seenList.push(d);
        }
      }
    };
    h.api.calls.forEach(collect);
    h.api.on("call", collect);
    const seen = () => seenList;
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

    /** Sends one update through the bot and checks every reply; returns the calls it caused. */
    const send = async (update: Update): Promise<ApiCall[]> => {
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
      return calls;
    };
    /** The newest button with this prefix the bot sent to the person's chat, or null. */
    const newest = (p: u.Person, prefix: string): string | null => {
      for (let i = h.api.calls.length - 1; i >= 0; i--) {
        const c = h.api.calls[i]!;
        if (String(c.payload.chat_id) !== String(p.chat.id)) continue;
        const d = ((c.payload.reply_markup?.inline_keyboard ?? []) as { callback_data?: string }[][]).flat().map((x) => x.callback_data ?? "").find((x) => x.startsWith(prefix));
        if (d) return d;
      }
      return null;
    };
    let flowNo = 0;
    /**
     * Walks one new case down the real lifecycle, `depth` steps deep: file (resident a or b, through
     * the buttons), accept, resolve (or "not ours"), the revisit job asks, fixed / not fixed, rating,
     * a reopened case accepted again. Stops quietly where a button it needs is not there.
     */
    const walk = async (w: { owner: number; depth: number; handBack: boolean; fixed: boolean; score: number }) => {
      f.flows++;
      const p = [a, b][w.owner]!;
      await send(u.command(p, "cancel"));
      await send(u.command(p, "new"));
      const steps: [string, string][] = [["v1:kind:", ":repair"], ["v1:cat:", ":water"]];
      for (const [prefix, suffix] of steps) {
        const d = newest(p, prefix);
        if (!d) return;
        await send(u.callback(p, d.replace(/:[^:]*$/, suffix)));
      }
      await send(u.text(p, `fuzz flow ${++flowNo}`));
      for (const prefix of ["v1:urg:", "v1:conf:"]) {
        const d = newest(p, prefix);
        if (!d) return;
        await send(u.callback(p, prefix === "v1:urg:" ? d.replace(/:[yn]$/, ":n") : d));
      }
      const c = await h.db.prisma.case.findFirst({ where: { description: `fuzz flow ${flowNo}` } });
      if (!c || w.depth < 1 || !c.liaisonId) return;
      const l = await h.db.prisma.liaison.findUniqueOrThrow({ where: { id: c.liaisonId } });
      if (!l.telegramUserId) return;
      const lp = u.person(Number(l.telegramUserId), "联", "络");
      await send(u.command(lp, "cancel"));
      await send(u.callback(lp, `v1:la:${c.id}`));
      if (w.depth < 2) return;
      if (w.handBack) {
        await send(u.callback(lp, `v1:ln:${c.id}`));
        await send(u.text(lp, "不是我们管的"));
        return;
      }
      await send(u.callback(lp, `v1:lr:${c.id}`));
      await send(u.text(lp, "已修好"));
      const done = newest(lp, "v1:lrd:");
      if (!done) return;
      await send(u.callback(lp, done));
      if (w.depth < 3) return;
      // The revisit job's question (what Sweeps does at the revisit moment).
      await h.cases.apply(c.id, "startRevisit", { type: "system" }, { expect: ["resolved"] }).catch(() => null);
      if (w.depth < 4) return;
      await send(u.callback(p, `v1:rf:${c.id}:${w.fixed ? "y" : "n"}`));
      if (w.depth < 5) return;
      await send(u.callback(p, `v1:rs:${c.id}:${w.score}`));
      if (!w.fixed && w.depth >= 6) await send(u.callback(lp, `v1:la:${c.id}`));
    };
    const flow = fc.record({ owner: fc.nat(1), depth: fc.nat(6), handBack: fc.nat(3).map((x) => x === 0), fixed: fc.boolean(), score: fc.integer({ min: 1, max: 5 }) });
    const share = o.flowShare ?? 1 / 3;
    const weight = Math.round(Math.min(1, Math.max(0, share)) * 100);
    const sequence = fc.record({
      walk: weight === 0 ? fc.constant(null) : weight === 100 ? flow : fc.oneof({ weight: 100 - weight, arbitrary: fc.constant(null) }, { weight, arbitrary: flow }),
      steps: fc.array(step, { minLength: 1, maxLength: o.maxLength ?? 6 }),
    });

    let lastEvent = 0;
    await fc.assert(
      fc.asyncProperty(sequence, async ({ walk: w, steps }) => {
        f.sequences++;
        if (h.api.calls.length > 2000) h.api.calls.length = 0; // memory and `newest` stay small
        if (w) await walk(w);
        for (const s of steps) await send(build(s));
        // The cases this sequence touched (a new event); all of them once more at the end.
        const touched = await h.db.prisma.caseEvent.findMany({ where: { id: { gt: lastEvent } }, select: { id: true, caseId: true } });
        lastEvent = touched.reduce((m, e) => Math.max(m, e.id), lastEvent);
        const v = await invariants(h, [...new Set(touched.map((e) => e.caseId))]);
        f.invariantViolations += v.length;
        if (v.length) f.firstProblem ??= v[0];
        return f.malformed === 0 && f.invariantViolations === 0 && f.apologies === 0;
      }),
      { numRuns: o.sequences, seed: o.seed, endOnFailure: true },
    ).catch((err: Error) => {
      f.firstProblem ??= err.message.slice(0, 500);
    });
    const all = await invariants(h);
    f.invariantViolations += all.length;
    if (all.length) f.firstProblem ??= all[0];
    f.cases = await h.db.prisma.case.count();
    f.transitions = await h.db.prisma.caseEvent.count({ where: { toState: { not: null } } });
    for (const r of await h.db.prisma.$queryRaw<{ state: string; n: number }[]>`
      SELECT "toState"::text AS state, count(DISTINCT "caseId")::int AS n FROM "CaseEvent" WHERE "toState" IS NOT NULL GROUP BY 1 ORDER BY 1`)
      f.reached[r.state] = r.n;
    for (const r of await h.db.prisma.case.groupBy({ by: ["state"], _count: { _all: true } })) f.final[r.state] = r._count._all;
  } finally {
    await h.close();
  }
  return f;
}
