// Demo district for a newcomer: 2 streets, 4 estates with buildings and units, 3 companies with
// liaisons, a district office, one office per street, a community and an owners' committee. The
// same rows are the example workbook (`npm run import -- --example`), and seedDemo writes them
// through the directory services, so the demo, the import and the dashboard agree. Idempotent.
// Estates carry their centre's coordinates (Open311 lat/long pick the nearest estate).
// The demo's own routing rules (they name its estates and liaisons) are here too, not in the shipped
// rules/routing.json, which must route any district: `npm run seed` adds them (withDemoRules).
import type { Db } from "../db/db.ts";
import type { BuildingIn, CompanyIn, EstateIn, LiaisonIn, OfficeIn, StreetIn } from "./fields.ts";
import { saveStreet } from "./streets.ts";
import { saveCompany } from "./companies.ts";
import { saveEstate } from "./estates.ts";
import { saveBuildingsOfEstate } from "./buildings.ts";
import { saveLiaison } from "./liaisons.ts";
import { saveOffice } from "./offices.ts";

export const DEMO = {
  streets: [
    { code: "dongcheng", name: "东城街道" },
    { code: "xiyuan", name: "西苑街道" },
  ],
  companies: [
    { code: "huamei", name: "华美物业", inviteCode: "CO-HUAMEI", contact: "0571-8800 1234", grade: "一级", liaisons: [{ code: "huamei-li", name: "李工" }] },
    { code: "anju", name: "安居物业", inviteCode: "CO-ANJU", contact: "0571-8800 5678", grade: "二级", liaisons: [{ code: "anju-wang", name: "王经理" }, { code: "anju-zhao", name: "赵师傅" }] },
    { code: "lvyuan", name: "绿苑物业", inviteCode: "CO-LVYUAN", contact: "0571-8800 9012", grade: "三级", liaisons: [{ code: "lvyuan-chen", name: "陈主管" }] },
  ],
  estates: [
    { code: "heping", name: "和平小区", street: "dongcheng", company: "huamei", inviteCode: "HEPING01", households: 480, community: "和平社区", address: "东城街道和平路 18 号", lat: 39.9288, lng: 116.4172, since: "2021-01-01" },
    { code: "xingfu", name: "幸福花园", street: "dongcheng", company: "anju", inviteCode: "XINGFU01", households: 720, community: "幸福社区", address: "东城街道幸福路 66 号", lat: 39.9342, lng: 116.4251, since: "2022-07-01" },
    { code: "jinxiu", name: "锦绣家园", street: "xiyuan", company: "anju", inviteCode: "JINXIU01", households: 350, community: "锦绣社区", address: "西苑街道锦绣街 9 号", lat: 39.9481, lng: 116.3012, since: "2020-03-01" },
    { code: "chunhui", name: "春晖苑", street: "xiyuan", company: "lvyuan", inviteCode: "CHUNHUI01", households: 260, community: "锦绣社区", address: "西苑街道春晖巷 3 号", lat: 39.9536, lng: 116.3094, since: "2023-01-01" },
  ],
  buildingsPerEstate: 3,
  unitsPerBuilding: 2,
} as const;

/** Routing rules that only make sense in the demo district (rules/routing.json's format). */
export const DEMO_ROUTING_RULES = [
  {
    id: "xingfu-night-emergencies",
    description: "幸福花园 夜间(18:00–08:00)紧急情况直接派给值班的赵师傅。Xingfu night-time emergencies go to the on-call technician Zhao.",
    priority: 70,
    when: { estates: ["xingfu"], categories: ["lift_entrapment", "gas_smell", "burst_pipe", "fire_safety"], time: { from: "18:00", to: "08:00" } },
    then: { company: "anju", liaison: "anju-zhao" },
  },
  {
    id: "jinxiu-3-lift-urgent",
    description: "锦绣家园3号楼老年住户多，电梯故障按加急处理。Jinxiu building 3 has many elderly residents: lift faults are urgent.",
    priority: 60,
    when: { estates: ["jinxiu"], buildings: ["3号楼"], categories: ["lift"] },
    then: { company: "anju", liaison: "anju-zhao", urgency: "urgent" },
  },
  {
    id: "anju-repairs-technician",
    description: "安居物业管理的小区：报修派给维修主管赵师傅。Anju estates: repair requests go to technician Zhao.",
    priority: 40,
    when: { estates: ["xingfu", "jinxiu"], kinds: ["repair"] },
    then: { company: "anju", liaison: "anju-zhao" },
  },
  {
    id: "anju-complaints-manager",
    description: "安居物业管理的小区：投诉和建议派给王经理。Anju estates: complaints and suggestions go to manager Wang.",
    priority: 40,
    when: { estates: ["xingfu", "jinxiu"], kinds: ["complaint", "suggestion"] },
    then: { company: "anju", liaison: "anju-wang" },
  },
];

/**
 * routing.json's text with the demo's rules added at the top (those not there yet, by id), or null
 * when all are there already: seeding again changes nothing, and an office's own edits stay.
 */
export function withDemoRules(routingText: string): string | null {
  const file = JSON.parse(routingText) as { rules: { id?: string }[] };
  const have = new Set(file.rules.map((r) => r.id));
  const missing = DEMO_ROUTING_RULES.filter((r) => !have.has(r.id));
  if (!missing.length) return null;
  file.rules = [...missing, ...file.rules];
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The demo as directory inputs, in dependency order (the example workbook's rows). */
export function demoRows() {
  const streets: StreetIn[] = DEMO.streets.map((s) => ({ ...s }));
  const companies: CompanyIn[] = DEMO.companies.map((c) => ({ code: c.code, name: c.name, contact: c.contact, grade: c.grade, inviteCode: c.inviteCode }));
  const estates: EstateIn[] = DEMO.estates.map((e) => ({
    code: e.code,
    name: e.name,
    street: e.street,
    community: e.community,
    address: e.address,
    households: e.households,
    latitude: e.lat,
    longitude: e.lng,
    company: e.company,
    contractStart: new Date(`${e.since}T00:00:00Z`),
    contractEnd: null,
    inviteCode: e.inviteCode,
  }));
  const buildings: BuildingIn[] = DEMO.estates.flatMap((e) =>
    Array.from({ length: DEMO.buildingsPerEstate }, (_, b) => ({ estate: e.code, name: `${b + 1}号楼`, units: Array.from({ length: DEMO.unitsPerBuilding }, (_, u) => `${u + 1}单元`) })),
  );
  const liaisons: LiaisonIn[] = DEMO.companies.flatMap((c) => c.liaisons.map((l) => ({ ...l, company: c.code })));
  const offices: OfficeIn[] = [
    { code: "district", name: "区物业办", level: "district", street: null },
    ...DEMO.streets.map((s) => ({ code: s.code, name: `${s.name}办事处`, level: "street" as const, street: s.code })),
    { code: "heping-community", name: "和平社区居委会", level: "community", street: "dongcheng", estates: ["heping"] },
    { code: "xingfu-owners", name: "幸福花园业委会", level: "owners", street: "dongcheng", estates: ["xingfu"] },
  ];
  return { streets, companies, estates, buildings, liaisons, offices };
}

export async function seedDemo(db: Db, who = "seed"): Promise<{ estates: number; companies: number; liaisons: number }> {
  const rows = demoRows();
  const now = new Date();
  await db.$transaction(
    async (tx) => {
      for (const s of rows.streets) await saveStreet(tx, who, s);
      for (const c of rows.companies) await saveCompany(tx, who, c);
      for (const e of rows.estates) await saveEstate(tx, who, e, now);
      for (const e of DEMO.estates) {
        const estate = await tx.estate.findUniqueOrThrow({ where: { code: e.code }, select: { id: true, code: true } });
        await saveBuildingsOfEstate(tx, who, estate, rows.buildings.filter((b) => b.estate === e.code).map((b) => ({ name: b.name, units: b.units ?? [] })));
      }
      for (const l of rows.liaisons) await saveLiaison(tx, who, l);
      for (const o of rows.offices) await saveOffice(tx, who, o);
    },
    { timeout: 60_000 },
  );
  return { estates: rows.estates.length, companies: rows.companies.length, liaisons: rows.liaisons.length };
}
