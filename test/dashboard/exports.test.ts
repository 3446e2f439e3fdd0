// Exports for Excel/WPS: the case list, the overdue list and the figures as .xlsx (read back with
// exceljs) and CSV — headers in the reader's language, names not codes, local times, formatted
// percentages, the filter and date in a Chinese file name (RFC 5987 filename*).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import ExcelJS from "exceljs";
import { officeApp, PASSWORD, type OfficeFixture } from "../helpers/office.ts";

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
};
async function sheet(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return { ws, rows };
}

describe("exports (.xlsx and CSV)", () => {
  let f: OfficeFixture;
  let agent: ReturnType<typeof request.agent>;
  beforeAll(async () => {
    f = await officeApp();
    agent = request.agent(f.app);
    const form = await agent.get("/login");
    await agent.post("/login").type("form").send({ username: "district", password: PASSWORD, _csrf: csrfOf(form.text) });
  });
  afterAll(async () => f.db.drop());

  it("exports the case list as xlsx with Chinese headers, names and local times", async () => {
    const c = await f.file("heping", { description: "=1+1 厨房漏水" });
    const res = await agent.get("/dashboard/cases.xlsx?estate=heping").buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("spreadsheetml");
    // 2026-11-02 local; the estate filter's name in the file name, encoded per RFC 5987.
    expect(res.headers["content-disposition"]).toContain(`filename*=UTF-8''${encodeURIComponent("案件-和平小区-2026-11-02.xlsx")}`);
    const { ws, rows } = await sheet(res.body as Buffer);
    expect(rows[0]!.slice(0, 8)).toEqual(["编号", "状态", "类型", "类别", "紧急程度", "街道", "小区", "物业公司"]);
    const row = rows.find((r) => r[0] === c.number)!;
    expect(row.slice(1, 8)).toEqual(["已派单", "报修", expect.any(String), "普通", "东城街道", "和平小区", "华美物业"]);
    // Filed at 10:00 Beijing time (02:00 UTC): the cell shows 10:00, formatted as a date-time.
    const filed = row[9] as Date;
    expect(filed.toISOString().slice(0, 16)).toBe("2026-11-02T10:00");
    expect(ws.getColumn(10).numFmt).toBe("yyyy-mm-dd hh:mm");
    // Each deadline with its standing in words beside it (routed at 10:00 and still open: 未到期).
    expect([rows[0]![10], rows[0]![11], rows[0]![12], rows[0]![13]]).toEqual(["响应时限", "响应情况", "办结时限", "办结情况"]);
    expect([row[11], row[13]]).toEqual(["未到期", "未到期"]);
    expect(row[21]).toBe("'=1+1 厨房漏水"); // a formula-looking text stays text
  });

  it("exports the overdue list as CSV in the reader's language with local times", async () => {
    const c = await f.file("xingfu");
    // Past its deadlines (moved on the row: moving the clock days ahead would end the session).
    await f.db.prisma.case.update({ where: { id: c.id }, data: { responseDueAt: new Date(f.clock.now().getTime() - 7_200_000), resolutionDueAt: new Date(f.clock.now().getTime() - 3_600_000) } });
    const res = await agent.get("/dashboard/cases.csv?overdue=true&lang=en");
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toMatch(/filename="?Overdue-Cases-2026-11-02\.csv/);
    const lines = res.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^Number,State,Kind,Category,Urgency,Street,Estate,Company,Liaison,Filed,/);
    const line = lines.find((l) => l.startsWith(c.number))!;
    expect(line).toContain("幸福花园");
    expect(line).toContain(",2026-11-02 10:00,"); // local, not 02:00Z
    expect(line).not.toMatch(/\dT\d/);
    expect(line).toContain(",yes,");
  });

  it("exports figures with formatted percentages and n, in xlsx and CSV", async () => {
    const res = await agent.get("/dashboard/figures.xlsx?by=company&lang=zh-Hans").buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toContain(encodeURIComponent("统计-按物业公司-"));
    const { ws, rows } = await sheet(res.body as Buffer);
    expect(rows[0]).toEqual(["物业公司", "案件数", "响应率", "响应率 n", "办结率", "办结率 n", "满意率", "满意率 n", "重复投诉率", "重复投诉率 n", "超时数"]);
    const huamei = rows.find((r) => r[0] === "华美物业")!;
    expect(huamei[3]).toMatch(/^\d+\/\d+$/);
    expect(ws.getColumn(3).numFmt).toBe("0.0%");
    const csv = await agent.get("/dashboard/figures.csv?by=estate");
    const lines = csv.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("小区,案件数,响应率,响应率 n,办结率,办结率 n,满意率,满意率 n,重复投诉率,重复投诉率 n,超时数");
    const heping = lines.find((l) => l.startsWith("和平小区,"))!;
    expect(heping).toMatch(/^和平小区,\d+,(\d+\.\d%)?,\d+\/\d+,/);
    expect(csv.text).not.toMatch(/0\.\d{4,}/); // never 0.6666666666666666
  });
});
