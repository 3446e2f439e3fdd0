// Case 7 (bot side): every button that touches a case, pressed by each kind of person — the case's
// resident, another resident, the case company's liaison, another company's liaison, a member of the
// case's street office (东城), of another street office (西苑), of the district office, a stranger. Only the allowed cells act; the matrix
// is printed. Besides the case cards' buttons: the sub-steps behind them — the liaison's extension
// request (lxd: pick +n working days) and resolve (lrd: done), the office's decision on an extension
// request (xa/xd) and the reassign steps (erc: pick another company, erl: pick the liaison). A refused
// press must answer politely and change no row: not the case, not its events or extension requests,
// and no message to anyone but the presser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiCall } from "../helpers/fakeBotApi.ts";
import * as u from "../helpers/updates.ts";
import { harness, LIAISON_CHAT, OFFICE_CHAT, type Harness } from "../bot/harness.ts";
import { report } from "./service.ts";

let h: Harness;
// The bot's polite refusals (zh-Hans): unknown/foreign case, not your company, not a member, stale button.
const REFUSAL = /^(未找到该工单|此工单不属于贵公司，无法操作|只有负责该街道|请先发送 \/start|现在不需要这个|这个按钮已过期|工单 \S+ 当前为“[^”]+”，这个操作已不可用)/;

type Who = "resident" | "other-resident" | "liaison" | "other-liaison" | "street-office" | "other-street" | "district-office" | "stranger";
const WHO: Who[] = ["resident", "other-resident", "liaison", "other-liaison", "street-office", "other-street", "district-office", "stranger"];
const people: Record<Who, u.Person> = {
  resident: u.person(680_001),
  "other-resident": u.person(680_002),
  liaison: u.person(0),
  "other-liaison": u.person(0),
  "street-office": u.person(680_005),
  "other-street": u.person(680_008),
  "district-office": u.person(680_006),
  stranger: u.person(680_007),
};

beforeAll(async () => {
  h = await harness();
  await h.register(people.resident);
  await h.register(people["other-resident"]);
  const c = await fileCase();
  const own = await h.db.prisma.liaison.findUniqueOrThrow({ where: { id: c.liaisonId! } });
  const other = await h.db.prisma.liaison.findFirstOrThrow({ where: { companyId: { not: own.companyId }, chatId: { not: null } } });
  for (const [who, l] of [["liaison", own], ["other-liaison", other]] as const) {
    await h.db.prisma.liaison.update({ where: { id: l.id }, data: { telegramUserId: l.chatId } });
    people[who] = u.person(Number(l.chatId));
  }
  await h.send(u.command(people["street-office"], "office", "OF-DONGCHENG"));
  await h.send(u.command(people["district-office"], "office", "OF-DISTRICT"));
  await h.send(u.command(people["other-street"], "office", "OF-XIYUAN"));
});
afterAll(async () => h?.close());

async function fileCase() {
  const r = await h.db.prisma.resident.findUniqueOrThrow({ where: { telegramUserId: BigInt(people.resident.user.id) } });
  const res = await h.cases.file({ sourceKey: `authz:${Math.random()}`, kind: "repair", category: "water", description: "authz bot", estateId: r.estateId!, buildingId: r.buildingId, unitId: r.unitId, residentId: r.id, actor: { type: "resident", id: r.id } });
  await h.sender.drain();
  return res.case;
}

interface Action {
  /** The button's callback data, for the case and what `setup` returned (a flow token, a request id…). */
  data: (id: number, s: Record<string, string | number>) => string;
  /** Pressed in the office group (office buttons), else in the presser's private chat. */
  group?: boolean;
  setup?: (id: number) => Promise<Record<string, string | number> | void>;
  allowed: Who[];
  /** The allowed press must change rows (not just show the next step). */
  mustChange?: boolean;
}
const toRevisit = async (id: number) => {
  await h.cases.apply(id, "resolve", { type: "system" });
  await h.cases.apply(id, "startRevisit", { type: "system" });
};
const escalated = async (id: number) => {
  await h.db.prisma.case.update({ where: { id }, data: { escalationLevel: 1, escalatedAt: h.clock.now() } });
};
/** The case's liaison starts a flow on its card and answers the first prompt; returns the flow's token. */
const liaisonFlow = (button: "lx" | "lr", answer: string) => async (id: number) => {
  const l = people.liaison;
  await h.send(u.command(l, "cancel"));
  await h.send(u.callback(l, `v1:${button}:${id}`));
  await h.send(u.text(l, answer));
  const session = await h.db.prisma.botSession.findUniqueOrThrow({ where: { key: `tg:${l.chat.id}` } });
  const flow = (session.value as { flow?: { t: string; id: string; caseId: number; step: string } }).flow;
  if (flow?.caseId !== id || !["ext-date", "resolve-photo"].includes(flow.step)) throw new Error(`liaison flow not at its button step: ${JSON.stringify(flow)}`);
  return { tok: flow.id };
};
/** A pending extension request, as the liaison's flow leaves it. */
const pendingExtension = async (id: number) => {
  const c = await h.db.prisma.case.findUniqueOrThrow({ where: { id } });
  const req = await h.db.prisma.extensionRequest.create({
    data: { caseId: id, requestedBy: String(c.liaisonId), reason: "等配件", requestedDueAt: new Date(c.resolutionDueAt!.getTime() + 86_400_000), createdAt: h.clock.now() },
  });
  return { req: req.id };
};
/** Escalated, with another company (and its first active liaison) to reassign to. */
const escalatedWithTarget = async (id: number) => {
  await escalated(id);
  const c = await h.db.prisma.case.findUniqueOrThrow({ where: { id } });
  const target = await h.db.prisma.liaison.findFirstOrThrow({ where: { companyId: { not: c.companyId! }, active: true }, orderBy: { id: "asc" } });
  return { company: target.companyId, liaison: target.id };
};
const ACTIONS: Record<string, Action> = {
  "co open (resident)": { data: (id) => `v1:co:${id}`, allowed: ["resident"] },
  "cm add message": { data: (id) => `v1:cm:${id}`, allowed: ["resident"] },
  "cp add photo": { data: (id) => `v1:cp:${id}`, allowed: ["resident"] },
  "rf fixed": { mustChange: true, data: (id) => `v1:rf:${id}:y`, setup: toRevisit, allowed: ["resident"] },
  "rf not fixed": { mustChange: true, data: (id) => `v1:rf:${id}:n`, setup: toRevisit, allowed: ["resident"] },
  "lo open (liaison)": { data: (id) => `v1:lo:${id}`, allowed: ["liaison"] },
  "la accept": { mustChange: true, data: (id) => `v1:la:${id}`, allowed: ["liaison"] },
  "lm message resident": { data: (id) => `v1:lm:${id}`, allowed: ["liaison"] },
  "lr resolve": { data: (id) => `v1:lr:${id}`, allowed: ["liaison"] },
  "lx ask extension": { data: (id) => `v1:lx:${id}`, allowed: ["liaison"] },
  "ln not ours": { data: (id) => `v1:ln:${id}`, allowed: ["liaison"] },
  "ea acknowledge": { mustChange: true, data: (id) => `v1:ea:${id}`, group: true, setup: escalated, allowed: ["street-office", "district-office"] },
  "er reassign": { data: (id) => `v1:er:${id}`, group: true, setup: escalated, allowed: ["street-office", "district-office"] },
  "erx other company": { data: (id) => `v1:erx:${id}`, group: true, setup: escalated, allowed: ["street-office", "district-office"] },
  // Sub-steps: the liaison's flows, past their first prompt.
  "lxd extension +1 day": { mustChange: true, data: (_id, s) => `v1:lxd:${s.tok}:1`, setup: liaisonFlow("lx", "需要采购配件"), allowed: ["liaison"] },
  "lrd resolve done": { mustChange: true, data: (_id, s) => `v1:lrd:${s.tok}`, setup: liaisonFlow("lr", "已更换水管"), allowed: ["liaison"] },
  // The office's decision on a pending extension request, and the reassign steps.
  "xa approve extension": { mustChange: true, data: (_id, s) => `v1:xa:${s.req}`, group: true, setup: pendingExtension, allowed: ["street-office", "district-office"] },
  "xd deny extension": { mustChange: true, data: (_id, s) => `v1:xd:${s.req}`, group: true, setup: pendingExtension, allowed: ["street-office", "district-office"] },
  "erc pick company": { data: (id, s) => `v1:erc:${id}:${s.company}`, group: true, setup: escalatedWithTarget, allowed: ["street-office", "district-office"] },
  "erl pick liaison": { mustChange: true, data: (id, s) => `v1:erl:${id}:${s.liaison}`, group: true, setup: escalatedWithTarget, allowed: ["street-office", "district-office"] },
};

/** The rows a press may change: the case, its events, its extension requests. */
async function rows(id: number): Promise<string> {
  const [c, events, ext] = await Promise.all([
    h.db.prisma.case.findUniqueOrThrow({ where: { id } }),
    h.db.prisma.caseEvent.count({ where: { caseId: id } }),
    h.db.prisma.extensionRequest.findMany({ where: { caseId: id }, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ c, events, ext }, (_k, v) => (typeof v === "bigint" ? String(v) : v));
}

describe("reliability: who may press which case button", () => {
  it("only the allowed cells act; refused presses change nothing", async () => {
    const matrix: Record<string, Record<string, string>> = {};
    const wrong: string[] = [];
    let tried = 0;
    for (const [name, a] of Object.entries(ACTIONS)) {
      matrix[name] = {};
      for (const who of WHO) {
        tried++;
        const c = await fileCase();
        const s = (await a.setup?.(c.id)) ?? {};
        const p = people[who];
        const before = await rows(c.id);
        const update = u.callback(p, a.data(c.id, s), 1);
        if (a.group) (update.callback_query!.message as { chat: unknown }).chat = u.group(OFFICE_CHAT.dongcheng);
        const chat = String(update.callback_query!.message!.chat.id);
        const outBefore = await h.db.prisma.outboxMessage.count({ where: { chatId: { not: BigInt(chat) } } });
        const calls: ApiCall[] = await h.send(update);
        const changed = (await rows(c.id)) !== before;
        // Messages to anyone but the presser's chat (a liaison, the resident, another group).
        const elsewhere = (await h.db.prisma.outboxMessage.count({ where: { chatId: { not: BigInt(chat) } } })) - outBefore;
        // What the presser saw: the button's answer and messages to the chat it was pressed in.
        const texts = calls.filter((x) => x.method === "answerCallbackQuery" || String(x.payload.chat_id) === chat).map((x) => String(x.payload.text ?? "")).filter(Boolean);
        const refused = texts.length === 0 || texts.every((t) => REFUSAL.test(t));
        const acted = changed || !refused;
        matrix[name]![who] = changed ? "acted" : acted ? "shown" : "refused";
        if (acted !== a.allowed.includes(who)) wrong.push(`${name} × ${who}: ${matrix[name]![who]} (${texts.join(" / ").slice(0, 80)})`);
        if (!a.allowed.includes(who) && changed) wrong.push(`${name} × ${who}: refused but changed the case`);
        if (!a.allowed.includes(who) && elsewhere) wrong.push(`${name} × ${who}: refused but sent ${elsewhere} message(s) elsewhere`);
        if (!a.allowed.includes(who) && texts.length === 0) wrong.push(`${name} × ${who}: no answer at all (the button keeps spinning)`);
        // The allowed presser of a sub-step really did what it says.
        if (a.allowed.includes(who) && a.mustChange && !changed) wrong.push(`${name} × ${who}: allowed but changed nothing (${texts.join(" / ").slice(0, 80)})`);
        // Leave no half-open conversation for the next cell.
        if (!a.group) await h.send(u.command(p, "cancel"));
      }
    }
    console.log(`\n${"button".padEnd(22)}${WHO.map((w) => w.padEnd(16)).join("")}`);
    for (const [name, row] of Object.entries(matrix)) console.log(`${name.padEnd(22)}${WHO.map((w) => row[w]!.padEnd(16)).join("")}`);
    report("authz-bot", { tried, lost: 0, duplicated: 0, wrongCells: wrong.length, wrong: wrong.slice(0, 12) });
    expect(wrong).toEqual([]);
  }, 180_000);
});
void LIAISON_CHAT;
