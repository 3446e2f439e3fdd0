// /api/v1/campaigns through HTTP: who may do what (district, street, community committee), the
// figures against a hand-counted ledger, and the import of 300 problems (round trip through the
// ledger export, bad rows with sheet/row/column, nothing written, idempotent).
import ExcelJS from "exceljs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../core/directory/staff.ts";
import { officeApp, type OfficeFixture } from "../helpers/office.ts";

let f: OfficeFixture;
let community: string;
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const phases = { inspect: { from: "2026-10-01T00:00:00+08:00", to: "2026-10-31T23:59:00+08:00" }, rectify: { from: "2026-11-01T00:00:00+08:00", to: "2026-12-31T23:59:00+08:00" }, accept: { from: "2027-01-04T00:00:00+08:00", to: "2027-01-15T23:59:00+08:00" } };

beforeAll(async () => {
  f = await officeApp({}, { campaigns: true });
  community = (await createApiToken(f.db.prisma, { name: "heping-community", role: "community", estates: ["heping"] })).token;
}, 180_000);
afterAll(async () => f?.db.close());

async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("问题");
  ws.addRow(["小区", "楼栋", "问题类别", "问题描述", "来源", "发现日期", "责任单位"]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("/api/v1/campaigns", { timeout: 300_000 }, () => {
  it("authorizes every role: the district creates and acts anywhere, a street token in its streets only, the community committee reads its estates only", async () => {
    const c = await request(f.app).post("/api/v1/campaigns").set(auth(f.tokens.district)).send({ name: "区专项整治", phases });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ name: "区专项整治", street: null, phase: "rectify", targets: { rectification: 0.9, timeliness: 0.9 } });
    const id = c.body.id as number;
    const reg = (token: string, estate: string) => request(f.app).post(`/api/v1/campaigns/${id}/problems`).set(auth(token)).send({ estate, category: "fire", description: `${estate} 消防栓缺水`, source: "inspection" });
    expect((await reg(f.tokens.district, "jinxiu")).status).toBe(201);
    const own = await reg(f.tokens.dongcheng, "heping");
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ estateName: "和平小区", responsibleName: "华美物业", state: "found" });
    // Another street's estate: refused, nothing written.
    const other = await reg(f.tokens.dongcheng, "jinxiu");
    expect(other.status).toBe(400);
    expect(other.body.message).toContain('estate "jinxiu" not found');
    // The street sees only its own problems; the committee only its estate's, and may not write.
    expect((await request(f.app).get(`/api/v1/campaigns/${id}/problems`).set(auth(f.tokens.dongcheng))).body.items.map((p: { estate: string }) => p.estate)).toEqual(["heping"]);
    expect((await request(f.app).get(`/api/v1/campaigns/${id}/problems`).set(auth(f.tokens.district))).body.items.map((p: { estate: string }) => p.estate)).toEqual(["jinxiu", "heping"]);
    expect((await request(f.app).get(`/api/v1/campaigns/${id}/problems`).set(auth(community))).body.items.map((p: { estate: string }) => p.estate)).toEqual(["heping"]);
    expect((await reg(community, "heping")).status).toBe(403);
    const pid = own.body.id as number;
    expect((await request(f.app).post(`/api/v1/campaigns/${id}/problems/${pid}/actions`).set(auth(community)).send({ action: "set_measure", measure: "补水" })).status).toBe(403);
    expect((await request(f.app).post(`/api/v1/campaigns`).set(auth(community)).send({ name: "x", phases })).status).toBe(403);
    // A street token acts on its own problem; a 销号 before the acceptance is refused with the reason.
    const set = await request(f.app).post(`/api/v1/campaigns/${id}/problems/${pid}/actions`).set(auth(f.tokens.dongcheng)).send({ action: "set_measure", measure: "补水并检测", deadlineWorkdays: 5 });
    expect(set.body).toMatchObject({ state: "rectifying", measure: "补水并检测" });
    const early = await request(f.app).post(`/api/v1/campaigns/${id}/problems/${pid}/actions`).set(auth(f.tokens.dongcheng)).send({ action: "close" });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('"close" is not possible in state "rectifying"');
    // No token at all.
    expect((await request(f.app).get("/api/v1/campaigns")).status).toBe(401);
  });

  it("gives the figures a hand count gives: 整改率 closed/registered, 维修及时率 closed by the deadline/due", async () => {
    const c = await request(f.app).post("/api/v1/campaigns").set(auth(f.tokens.district)).send({ name: "数字核对", phases });
    const id = c.body.id as number;
    const act = (pid: number, body: object) => request(f.app).post(`/api/v1/campaigns/${id}/problems/${pid}/actions`).set(auth(f.tokens.district)).send(body);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push((await request(f.app).post(`/api/v1/campaigns/${id}/problems`).set(auth(f.tokens.district)).send({ estate: i < 3 ? "heping" : "chunhui", category: "sanitation", description: `问题 ${i}`, source: "inspection" })).body.id);
    // Mon 2 Nov 10:00: deadlines 2 working days → Wed 4 Nov 18:00 for the first four; #4 gets none.
    for (const pid of ids.slice(0, 4)) await act(pid, { action: "set_measure", measure: "清理", deadlineWorkdays: 2 });
    // #0 closed on time (Tue), #1 closed late (Thu), #2 and #3 still open past their deadline, #4 without a deadline.
    f.clock.set("2026-11-03T10:00:00+08:00");
    await act(ids[0]!, { action: "pass" });
    await act(ids[0]!, { action: "close" });
    f.clock.set("2026-11-05T10:00:00+08:00");
    await act(ids[1]!, { action: "pass" });
    await act(ids[1]!, { action: "close" });
    // By hand on Thu 5 Nov: registered 5; closed 2 (#0, #1); due = closed 2 + open past deadline (#2, #3) = 4; on time 1 (#0).
    const all = await request(f.app).get(`/api/v1/campaigns/${id}/figures?by=estate`).set(auth(f.tokens.district));
    expect(all.body).toMatchObject({ registered: 5, closed: 2, closed_on_time: 1, due: 4, rectification_rate: 0.4, timeliness_rate: 0.25 });
    expect(all.body.by).toEqual([
      { key: "chunhui", label: "春晖苑", registered: 2, closed: 0, closed_on_time: 0, due: 1, rectification_rate: 0, timeliness_rate: 0 },
      { key: "heping", label: "和平小区", registered: 3, closed: 2, closed_on_time: 1, due: 3, rectification_rate: 2 / 3, timeliness_rate: 1 / 3 },
    ]);
    // A street sees its own figures only (东城 has 和平小区).
    const street = await request(f.app).get(`/api/v1/campaigns/${id}/figures`).set(auth(f.tokens.dongcheng));
    expect(street.body).toMatchObject({ registered: 3, closed: 2, closed_on_time: 1, due: 3 });
    f.clock.set("2026-11-02T10:00:00+08:00");
  });

  it("imports 300 problems: bad rows named with sheet/row/column and nothing written; then all; again changes nothing; the exported ledger imports back the same", async () => {
    const c = await request(f.app).post("/api/v1/campaigns").set(auth(f.tokens.district)).send({ name: "导入核对", phases });
    const id = c.body.id as number;
    const estates = ["和平小区", "幸福花园", "锦绣家园", "春晖苑"];
    const cats = ["开发遗留", "设施设备", "消防", "环境卫生", "秩序", "服务"];
    const rows = Array.from({ length: 300 }, (_, i) => [estates[i % 4]!, `${(i % 3) + 1}号楼`, cats[i % 6]!, `第${i + 1}项：楼道照明损坏`, i % 5 === 0 ? "12345工单 A" + (1000 + i) : "排查发现", "2026-10-12", i % 7 === 0 ? "区住建局" : ""]);
    const bad = rows.map((r) => [...r]);
    bad[9]![0] = "不存在小区";
    bad[120]![2] = "绿化";
    bad[299]![5] = "十月";
    const imp = (b: Buffer, q = "") => request(f.app).post(`/api/v1/campaigns/${id}/problems/import${q}`).set(auth(f.tokens.district)).set("Content-Type", "application/octet-stream").send(b);
    const refused = await imp(await workbook(bad));
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toEqual([
      { sheet: "问题", row: 11, column: "小区", reason: 'no estate "不存在小区" (code or name)' },
      { sheet: "问题", row: 122, column: "问题类别", reason: expect.stringContaining('unknown category "绿化"') },
      { sheet: "问题", row: 301, column: "发现日期", reason: '"十月" is not a date YYYY-MM-DD' },
    ]);
    expect(await f.db.prisma.campaignProblem.count({ where: { campaignId: id } })).toBe(0);

    const good = await workbook(rows);
    expect((await imp(good)).body).toEqual({ ok: true, created: 300, unchanged: 0, problems: [] });
    expect((await imp(good)).body).toEqual({ ok: true, created: 0, unchanged: 300, problems: [] });
    const stored = await f.db.prisma.campaignProblem.findMany({ where: { campaignId: id }, orderBy: { seq: "asc" } });
    expect(stored).toHaveLength(300);
    expect(stored[5]).toMatchObject({ seq: 6, source: "hotline", sourceRef: "A1005", category: "service", responsibleName: "安居物业" });
    expect(stored[7]).toMatchObject({ responsibleKind: "department", responsibleName: "区住建局" });

    // Round trip: the ledger export imports into a second campaign as the same ledger.
    const xlsx = await request(f.app).get(`/api/v1/campaigns/${id}/ledger.xlsx`).set(auth(f.tokens.district)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on("data", (ch: Buffer) => chunks.push(ch));
      res.on("end", () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect((wb.worksheets[0]!.getRow(1).values as string[]).slice(1)).toEqual(["序号", "小区", "问题类别", "问题描述", "来源", "发现日期", "责任单位", "责任人", "整改措施", "整改时限", "进展", "验收轮次", "验收结论", "销号日期", "回访结果", "回头看日期", "回头看结论"]);
    const c2 = await request(f.app).post("/api/v1/campaigns").set(auth(f.tokens.district)).send({ name: "导入核对二", phases });
    const back = await request(f.app).post(`/api/v1/campaigns/${c2.body.id}/problems/import`).set(auth(f.tokens.district)).set("Content-Type", "application/octet-stream").send(xlsx.body);
    expect(back.body).toMatchObject({ ok: true, created: 300 });
    const pick = (p: { estateId: number; category: string; source: string; sourceRef: string | null; responsibleName: string; foundOn: Date }) => [p.estateId, p.category, p.source, p.sourceRef, p.responsibleName, p.foundOn.toISOString().slice(0, 10)];
    const again = await f.db.prisma.campaignProblem.findMany({ where: { campaignId: c2.body.id }, orderBy: { seq: "asc" } });
    expect(again.map(pick)).toEqual(stored.map(pick));
    expect(again.map((p) => p.description)).toEqual(stored.map((p) => [p.building, p.place, p.description].filter(Boolean).join(" · ")));
  });
});
