// Case 7 (bot side): every button that touches a case, pressed by each kind of person — the case's
// resident, another resident, the case company's liaison, another company's liaison, a member of the
// case's street office (东城), of another street office (西苑), of the district office, a stranger. Only the allowed cells act; the matrix
// is printed. Extension decisions (xa/xd) are left to test/bot/liaison-office.test.ts.
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
  data: (id: number) => string;
  /** Pressed in the office group (office buttons), else in the presser's private chat. */
  group?: boolean;
  setup?: (id: number) => Promise<void>;
  allowed: Who[];
}
const toRevisit = async (id: number) => {
  await h.cases.apply(id, "resolve", { type: "system" }, { patch: (r, now) => ({ resolvedAt: now, acceptedAt: r.acceptedAt ?? now }) });
  await h.cases.apply(id, "startRevisit", { type: "system" }, { patch: (_r, now) => ({ revisitAskedAt: now }) });
};
const escalated = async (id: number) => {
  await h.db.prisma.case.update({ where: { id }, data: { escalationLevel: 1, escalatedAt: h.clock.now() } });
};
const ACTIONS: Record<string, Action> = {
  "co open (resident)": { data: (id) => `v1:co:${id}`, allowed: ["resident"] },
  "cm add message": { data: (id) => `v1:cm:${id}`, allowed: ["resident"] },
  "cp add photo": { data: (id) => `v1:cp:${id}`, allowed: ["resident"] },
  "rf fixed": { data: (id) => `v1:rf:${id}:y`, setup: toRevisit, allowed: ["resident"] },
  "rf not fixed": { data: (id) => `v1:rf:${id}:n`, setup: toRevisit, allowed: ["resident"] },
  "lo open (liaison)": { data: (id) => `v1:lo:${id}`, allowed: ["liaison"] },
  "la accept": { data: (id) => `v1:la:${id}`, allowed: ["liaison"] },
  "lm message resident": { data: (id) => `v1:lm:${id}`, allowed: ["liaison"] },
  "lr resolve": { data: (id) => `v1:lr:${id}`, allowed: ["liaison"] },
  "lx ask extension": { data: (id) => `v1:lx:${id}`, allowed: ["liaison"] },
  "ln not ours": { data: (id) => `v1:ln:${id}`, allowed: ["liaison"] },
  "ea acknowledge": { data: (id) => `v1:ea:${id}`, group: true, setup: escalated, allowed: ["street-office", "district-office"] },
  "er reassign": { data: (id) => `v1:er:${id}`, group: true, setup: escalated, allowed: ["street-office", "district-office"] },
  "erx other company": { data: (id) => `v1:erx:${id}`, group: true, setup: escalated, allowed: ["street-office", "district-office"] },
};

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
        await a.setup?.(c.id);
        const p = people[who];
        const before = await h.db.prisma.caseEvent.count({ where: { caseId: c.id } });
        const update = u.callback(p, a.data(c.id), 1);
        if (a.group) (update.callback_query!.message as { chat: unknown }).chat = u.group(OFFICE_CHAT.dongcheng);
        const calls: ApiCall[] = await h.send(update);
        const changed = (await h.db.prisma.caseEvent.count({ where: { caseId: c.id } })) > before;
        // What the presser saw: the button's answer and messages to the chat it was pressed in.
        const chat = String(update.callback_query!.message!.chat.id);
        const texts = calls.filter((x) => x.method === "answerCallbackQuery" || String(x.payload.chat_id) === chat).map((x) => String(x.payload.text ?? "")).filter(Boolean);
        const refused = texts.length === 0 || texts.every((t) => REFUSAL.test(t));
        const acted = changed || !refused;
        matrix[name]![who] = changed ? "acted" : acted ? "shown" : "refused";
        if (acted !== a.allowed.includes(who)) wrong.push(`${name} × ${who}: ${matrix[name]![who]} (${texts.join(" / ").slice(0, 80)})`);
        if (!a.allowed.includes(who) && changed) wrong.push(`${name} × ${who}: refused but changed the case`);
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
