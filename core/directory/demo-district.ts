// Demo district for a newcomer: 2 streets, 4 estates with buildings and units, 3 companies with
// liaisons, a district office and one office per street. Idempotent (upserts by code). Estates carry
// their centre's coordinates (Open311 lat/long pick the nearest estate).
import type { Db } from "../db/db.ts";

export const DEMO = {
  streets: [
    { code: "dongcheng", name: "东城街道" },
    { code: "xiyuan", name: "西苑街道" },
  ],
  companies: [
    { code: "huamei", name: "华美物业", inviteCode: "CO-HUAMEI", liaisons: [{ code: "huamei-li", name: "李工" }] },
    { code: "anju", name: "安居物业", inviteCode: "CO-ANJU", liaisons: [{ code: "anju-wang", name: "王经理" }, { code: "anju-zhao", name: "赵师傅" }] },
    { code: "lvyuan", name: "绿苑物业", inviteCode: "CO-LVYUAN", liaisons: [{ code: "lvyuan-chen", name: "陈主管" }] },
  ],
  estates: [
    { code: "heping", name: "和平小区", street: "dongcheng", company: "huamei", inviteCode: "HEPING01", households: 480, latitude: 39.9288, longitude: 116.4172 },
    { code: "xingfu", name: "幸福花园", street: "dongcheng", company: "anju", inviteCode: "XINGFU01", households: 720, latitude: 39.9342, longitude: 116.4251 },
    { code: "jinxiu", name: "锦绣家园", street: "xiyuan", company: "anju", inviteCode: "JINXIU01", households: 350, latitude: 39.9481, longitude: 116.3012 },
    { code: "chunhui", name: "春晖苑", street: "xiyuan", company: "lvyuan", inviteCode: "CHUNHUI01", households: 260, latitude: 39.9536, longitude: 116.3094 },
  ],
  buildingsPerEstate: 3,
  unitsPerBuilding: 2,
} as const;

export async function seedDemo(db: Db): Promise<{ estates: number; companies: number; liaisons: number }> {
  if (!(await db.office.findFirst({ where: { level: "district" } }))) {
    await db.office.create({ data: { level: "district", name: "区物业办", inviteCode: "OF-DISTRICT" } });
  }
  const streetIds = new Map<string, number>();
  for (const s of DEMO.streets) {
    const street = await db.street.upsert({ where: { code: s.code }, update: { name: s.name }, create: s });
    streetIds.set(s.code, street.id);
    await db.office.upsert({
      where: { streetId: street.id },
      update: {},
      // Office staff join the bot with it (/office OF-DONGCHENG) to decide extension requests.
      create: { level: "street", name: `${s.name}办事处`, streetId: street.id, inviteCode: `OF-${s.code.toUpperCase()}` },
    });
  }
  const companyIds = new Map<string, number>();
  let liaisons = 0;
  for (const c of DEMO.companies) {
    const company = await db.company.upsert({
      where: { code: c.code },
      update: { name: c.name },
      create: { code: c.code, name: c.name, inviteCode: c.inviteCode },
    });
    companyIds.set(c.code, company.id);
    for (const l of c.liaisons) {
      await db.liaison.upsert({ where: { code: l.code }, update: {}, create: { ...l, companyId: company.id } });
      liaisons++;
    }
  }
  for (const e of DEMO.estates) {
    const data = {
      name: e.name,
      streetId: streetIds.get(e.street)!,
      companyId: companyIds.get(e.company)!,
      inviteCode: e.inviteCode,
      households: e.households,
      latitude: e.latitude,
      longitude: e.longitude,
    };
    const estate = await db.estate.upsert({ where: { code: e.code }, update: data, create: { code: e.code, ...data } });
    for (let b = 1; b <= DEMO.buildingsPerEstate; b++) {
      const building = await db.building.upsert({
        where: { estateId_name: { estateId: estate.id, name: `${b}号楼` } },
        update: {},
        create: { estateId: estate.id, name: `${b}号楼` },
      });
      for (let u = 1; u <= DEMO.unitsPerBuilding; u++) {
        await db.unit.upsert({
          where: { buildingId_name: { buildingId: building.id, name: `${u}单元` } },
          update: {},
          create: { buildingId: building.id, name: `${u}单元` },
        });
      }
    }
  }
  return { estates: DEMO.estates.length, companies: DEMO.companies.length, liaisons };
}
