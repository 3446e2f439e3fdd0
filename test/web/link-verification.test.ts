// Verification belongs to a unit (issue 24.3): a resident registered on the web without the invite
// code waits for approval with their case held; linking a Telegram account verified in ANOTHER
// estate must neither verify them nor route the held case. A Telegram account verified at the very
// same unit does. Link codes last 10 minutes and work once.
import { describe, expect, it } from "vitest";
import * as u from "../helpers/updates.ts";
import { Phone, withFrontDoor } from "./fixture.ts";
import { linkCodeFor } from "../../core/residents/link-codes.ts";

const e = withFrontDoor();
const replies = (p: u.Person) => e.api.texts(p.chat.id);
/** Waits until the replies since `count` say `text` (other messages may come first). */
const expectReply = (p: u.Person, count: number, text: string) => expect.poll(() => replies(p).slice(count).join("\n"), { timeout: 10_000 }).toContain(text);

/** A web resident of heping's first unit, registered without the invite code, with one held case. */
async function pendingWebResident(phoneNumber: string) {
  const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "heping" }, include: { buildings: { include: { units: true }, orderBy: { id: "asc" } } } });
  const unit = estate.buildings[0]!.units[0]!;
  const phone = new Phone();
  const link = await e.link("heping");
  await phone.get(link);
  await phone.postForm(link, { unitId: String(unit.id), phone: phoneNumber });
  await phone.get(`${e.svc.base}/r/file`);
  const filed = await phone.postMultipart(`${e.svc.base}/r/file`, { description: "楼道灯不亮", category: "water", draft: `held-${phoneNumber}` });
  const number = decodeURIComponent(/cases\/([^?]+)/.exec(filed.location!)![1]!);
  const web = await e.db.prisma.resident.findFirstOrThrow({ where: { phone: phoneNumber } });
  expect(web.status).toBe("pending");
  expect((await e.db.prisma.case.findUniqueOrThrow({ where: { number } })).state).toBe("awaiting_approval");
  const mine = await phone.get(`${e.svc.base}/r/cases`);
  const code = /id="link-code">([^<]+)</.exec(mine.text)![1]!.trim();
  return { phone, web, number, code, estate, unit };
}

describe("link codes: verification belongs to a unit", () => {
  it("a Telegram account verified in another estate links, but verifies nobody and routes nothing", async () => {
    const w = await pendingWebResident("13600000101");
    const xingfu = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: "xingfu" }, include: { buildings: { include: { units: true } } } });
    const tg = u.person(661001);
    await e.db.prisma.resident.create({ data: { telegramUserId: 661001n, chatId: 661001n, name: "外人", language: "zh-Hans", status: "verified", estateId: xingfu.id, buildingId: xingfu.buildings[0]!.id, unitId: xingfu.buildings[0]!.units[0]!.id } });
    const held = await e.db.prisma.case.findUniqueOrThrow({ where: { number: w.number } });
    const caseMessagesBefore = await e.db.prisma.outboxMessage.count({ where: { caseId: held.id } });

    const n = replies(tg).length;
    await e.svc.post(u.command(tg, "link", w.code));
    await expectReply(tg, n, "已绑定");

    const after = await e.db.prisma.resident.findUniqueOrThrow({ where: { id: w.web.id } });
    expect(after.telegramUserId).toBe(661001n);
    expect(after.status).toBe("pending");
    const c = await e.db.prisma.case.findUniqueOrThrow({ where: { number: w.number } });
    expect(c.state).toBe("awaiting_approval");
    expect(c.liaisonId).toBeNull();
    // Nobody was told of it: no liaison card, no notice about the case.
    expect(await e.db.prisma.outboxMessage.count({ where: { caseId: held.id } })).toBe(caseMessagesBefore);
    // The web page still says the case waits for approval.
    expect((await w.phone.get(`${e.svc.base}/r/cases`)).text).toContain("等待审核");
  });

  it("a Telegram account verified at the same unit verifies the web resident and routes the held case", async () => {
    const w = await pendingWebResident("13600000102");
    const tg = u.person(661002);
    await e.db.prisma.resident.create({ data: { telegramUserId: 661002n, chatId: 661002n, name: "本人", language: "zh-Hans", status: "verified", estateId: w.estate.id, buildingId: w.estate.buildings[0]!.id, unitId: w.unit.id } });
    const n = replies(tg).length;
    await e.svc.post(u.command(tg, "link", w.code));
    await expectReply(tg, n, "已绑定");
    expect((await e.db.prisma.resident.findUniqueOrThrow({ where: { id: w.web.id } })).status).toBe("verified");
    await expect.poll(async () => (await e.db.prisma.case.findUniqueOrThrow({ where: { number: w.number } })).state, { timeout: 10_000 }).toBe("routed");
  });

  it("a code is good for 10 minutes and once", async () => {
    const w = await pendingWebResident("13600000103");
    // A code made 11 minutes ago (the page's own code set aside first, so a new one is drawn).
    await e.db.prisma.residentLinkCode.updateMany({ where: { residentId: w.web.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const stale = await linkCodeFor(e.db.prisma, w.web.id, new Date(Date.now() - 11 * 60_000));
    const tg = u.person(661003);
    let n = replies(tg).length;
    await e.svc.post(u.command(tg, "link", stale.code));
    await expectReply(tg, n, "绑定码已过期");
    expect((await e.db.prisma.resident.findUniqueOrThrow({ where: { id: w.web.id } })).telegramUserId).toBeNull();
    // A fresh one (the page draws it): once.
    const fresh = /id="link-code">([^<]+)</.exec((await w.phone.get(`${e.svc.base}/r/cases`)).text)![1]!.trim();
    n = replies(tg).length;
    await e.svc.post(u.command(tg, "link", fresh));
    await expectReply(tg, n, "已绑定");
    const other = u.person(661004);
    await e.svc.post(u.command(other, "link", fresh));
    await expectReply(other, 0, "已经用过");
  });
});
