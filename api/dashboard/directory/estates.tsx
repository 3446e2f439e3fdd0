// Directory pages for estates: the list, a new estate, and an estate's page — its fields, a change of
// managing company (history kept; the open cases stay or move as the office chooses), its buildings
// and units, deactivation. Every change goes through core/directory (validation + audit).
import express, { type Request, type Response, type Router } from "express";
import type { Db } from "../../../core/db/db.ts";
import { DirectoryError, type Refusal } from "../../../core/directory/audit.ts";
import { EstateInput } from "../../../core/directory/fields.ts";
import { contractHistory, estateByCode, moveEstate, saveEstate, setEstateActive } from "../../../core/directory/estates.ts";
import { buildingsOf, deactivateBuilding, saveBuilding } from "../../../core/directory/buildings.ts";
import { scopeOf } from "../../auth.ts";
import { HttpError } from "../../http.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { view, type View } from "../layout.ts";
import { refusedPage, attempt, Csrf, day, DIR, districtWide, Err, estateVisible, estateWhere, Field, field, forbidden, form, mayWriteStreet, Saved, Select, sendPage } from "./common.tsx";

type Estate = Awaited<ReturnType<typeof estateByCode>>;
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

export function estatePages(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const streetsFor = async (res: Response) => {
    const s = scopeOf(res);
    return db.street.findMany({ where: { active: true, ...(s.streetId !== null ? { id: s.streetId } : {}) }, orderBy: { code: "asc" } });
  };
  const companies = () => db.company.findMany({ where: { active: true }, orderBy: { code: "asc" } });
  const visible = async (res: Response, code: string) => {
    const e = await db.estate.findUnique({ where: { code }, include: { street: true, company: true } });
    if (!e || !estateVisible(scopeOf(res), e)) throw refusedPage(404, { reason: "unknown_estate", params: { code } });
    return e;
  };
  const writable = async (res: Response, code: string) => {
    const e = await visible(res, code);
    if (!mayWriteStreet(scopeOf(res), e.streetId)) forbidden();
    return e;
  };
  /** The form's estate fields (company only when creating: a change of company is a move). */
  const input = (req: Request, code: string, withCompany: boolean) =>
    EstateInput.parse({
      code,
      name: field(req, "name") ?? "",
      street: field(req, "street") ?? "",
      community: field(req, "community") ?? null,
      address: field(req, "address") ?? null,
      households: num(field(req, "households")) ?? 0,
      latitude: num(field(req, "latitude")) ?? null,
      longitude: num(field(req, "longitude")) ?? null,
      // The district's indicators (core/credit/indicators.ts): an unticked box is "no".
      ownersCommittee: field(req, "ownersCommittee") === "1",
      ownersCommitteeTermEnd: field(req, "ownersCommitteeTermEnd") ?? null,
      professionallyManaged: field(req, "professionallyManaged") === "1",
      tendered: field(req, "tendered") === "1",
      deliveredOn: field(req, "deliveredOn") ?? null,
      ...(withCompany ? { company: field(req, "company") ?? null, contractStart: field(req, "contractStart") ?? null, contractEnd: field(req, "contractEnd") ?? null } : {}),
    });

  r.get("/estates", async (req, res) => {
    const vw = v(req, res);
    const s = scopeOf(res);
    const rows = await db.estate.findMany({ where: estateWhere(s), include: { street: true, company: true }, orderBy: { code: "asc" } });
    const t = vw.t;
    sendPage(
      res,
      vw,
      t("dir_estates"),
      <>
        <Saved req={req} v={vw} />
        {districtWide(s) || s.role === "street" ? (
          <p>
            <a class="button" id="new-estate" href={`${DIR}/estates/new`}>
              {t("dir_new_estate")}
            </a>
          </p>
        ) : null}
        <div class="scroll">
          <table id="estates">
            <thead>
              <tr>
                <th>{t("dir_name")}</th>
                <th>{t("dir_code")}</th>
                <th>{t("street")}</th>
                <th>{t("company")}</th>
                <th class="num">{t("dir_households")}</th>
                <th>{t("dir_status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr id={`estate-${e.code}`}>
                  <td>
                    <a href={`${DIR}/estates/${e.code}`}>{e.name}</a>
                  </td>
                  <td><code>{e.code}</code></td>
                  <td>{e.street.name}</td>
                  <td>{e.company?.name ?? "—"}</td>
                  <td class="num">{e.households}</td>
                  <td>{t(e.active ? "dir_active" : "dir_inactive")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>,
      { tab: "estates" },
    );
  });

  const newForm = async (req: Request, res: Response, error?: Refusal[]) => {
    const vw = v(req, res);
    const t = vw.t;
    const [streets, cos] = await Promise.all([streetsFor(res), companies()]);
    const b = (req.body ?? {}) as Record<string, string>;
    sendPage(
      res,
      vw,
      t("dir_new_estate"),
      <form method="post" action={`${DIR}/estates`} class="card form" id="estate-form">
        <Err v={vw} error={error} />
        <Csrf v={vw} />
        <Field label={t("dir_code")} name="code" value={b.code} required />
        <EstateFields vw={vw} e={null} b={b} streets={streets} />
        <Select label={t("company")} name="company" options={cos.map((c) => [c.code, c.name])} value={b.company} empty="—" />
        <Field label={t("dir_contract_start")} name="contractStart" type="date" value={b.contractStart} />
        <Field label={t("dir_contract_end")} name="contractEnd" type="date" value={b.contractEnd} />
        <button>{t("dir_save")}</button>
      </form>,
      { status: error ? 400 : 200, tab: "estates" },
    );
  };
  r.get("/estates/new", async (req, res) => {
    const s = scopeOf(res);
    if (!(districtWide(s) || s.role === "street")) forbidden();
    await newForm(req, res);
  });
  r.post("/estates", form, async (req, res) => {
    const s = scopeOf(res);
    const out = await attempt(async () => {
      const e = input(req, field(req, "code") ?? "", true);
      const street = await db.street.findUnique({ where: { code: e.street } });
      if (street && !mayWriteStreet(s, street.id)) forbidden();
      if (await db.estate.findUnique({ where: { code: e.code } })) throw new DirectoryError("conflict", "estate_exists", { code: e.code });
      return db.$transaction((tx) => saveEstate(tx, s.actorId, e, d.clock.now()));
    });
    if (!out.ok) return newForm(req, res, out.error);
    await d.router.reload();
    res.redirect(303, `${DIR}/estates/${out.value.row.code}?saved`);
  });

  const estatePage = async (req: Request, res: Response, e: Estate, o: { error?: Refusal[]; moved?: string[] } = {}) => {
    const vw = v(req, res);
    const t = vw.t;
    const s = scopeOf(res);
    const write = mayWriteStreet(s, e.streetId);
    const [buildings, contracts, streets, cos, open] = await Promise.all([
      buildingsOf(db, e.id),
      contractHistory(db, e.id),
      streetsFor(res),
      companies(),
      db.case.count({ where: { estateId: e.id, state: { in: ["routed", "accepted", "reopened"] } } }),
    ]);
    const b = (req.method === "POST" ? (req.body ?? {}) : {}) as Record<string, string>;
    sendPage(
      res,
      vw,
      e.name,
      <>
        <Saved req={req} v={vw} />
        <Err v={vw} error={o.error} />
        {o.moved?.length ? <p class="ok" id="moved">{`${t("dir_moved")}: ${o.moved.join(", ")}`}</p> : null}
        <form method="post" action={`${DIR}/estates/${e.code}`} class="card form" id="estate-form">
          <Csrf v={vw} />
          <p>
            {t("dir_invite_code")}: <code>{e.inviteCode}</code> · {t(e.active ? "dir_active" : "dir_inactive")}
          </p>
          <EstateFields vw={vw} e={e} b={b} streets={write ? streets : [e.street]} />
          {write ? <button>{t("dir_save")}</button> : null}
        </form>
        <div class="card" id="contracts">
          <h2>{t("dir_contracts")}</h2>
          <ul>
            {contracts.map((c) => (
              <li>{`${c.company.name}：${day(c.startsOn) || "—"} → ${day(c.endsOn) || "…"}`}</li>
            ))}
          </ul>
          {write ? (
            <form method="post" action={`${DIR}/estates/${e.code}/move`} class="form" id="move-form">
              <h3>{t("dir_move_company")}</h3>
              <Csrf v={vw} />
              <Select label={t("company")} name="company" options={cos.filter((c) => c.id !== e.companyId).map((c) => [c.code, c.name])} />
              <Field label={t("dir_contract_start")} name="contractStart" type="date" />
              <fieldset>
                <legend>{`${t("dir_open_cases")}: ${open}`}</legend>
                <label class="inline">
                  <input type="radio" name="openCases" value="move" checked /> {t("dir_open_cases_move")}
                </label>
                <label class="inline">
                  <input type="radio" name="openCases" value="stay" /> {t("dir_open_cases_stay")}
                </label>
              </fieldset>
              <button>{t("dir_move_company")}</button>
            </form>
          ) : null}
        </div>
        <div class="card" id="buildings">
          <h2>{t("dir_buildings")}</h2>
          <div class="scroll">
            <table>
              <thead>
                <tr>
                  <th>{t("dir_name")}</th>
                  <th>{t("dir_units")}</th>
                  <th class="num">{t("dir_residents")}</th>
                  <th>{t("dir_status")}</th>
                </tr>
              </thead>
              <tbody>
                {buildings.map((x) => (
                  <tr>
                    <td>{x.name}</td>
                    <td>{x.units.map((u) => (u.active ? u.name : `${u.name}（${t("dir_inactive")}）`)).join("、")}</td>
                    <td class="num">{x._count.residents}</td>
                    <td>
                      {t(x.active ? "dir_active" : "dir_inactive")}
                      {write && x.active ? (
                        <form method="post" action={`${DIR}/estates/${e.code}/buildings/deactivate`} class="inline">
                          <Csrf v={vw} />
                          <input type="hidden" name="name" value={x.name} />
                          <button>{t("dir_deactivate")}</button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {write ? (
            <form method="post" action={`${DIR}/estates/${e.code}/buildings`} class="form" id="building-form">
              <Csrf v={vw} />
              <Field label={t("dir_building_name")} name="name" required placeholder="4号楼" />
              <Field label={t("dir_units")} name="units" placeholder="1单元,2单元" />
              <button>{t("dir_save")}</button>
            </form>
          ) : null}
        </div>
        {write ? (
          <form method="post" action={`${DIR}/estates/${e.code}/${e.active ? "deactivate" : "reactivate"}`} class="card" id={e.active ? "deactivate-form" : "reactivate-form"}>
            <Csrf v={vw} />
            <button>{t(e.active ? "dir_deactivate" : "dir_reactivate")}</button>
          </form>
        ) : null}
      </>,
      { status: o.error ? 400 : 200, tab: "estates" },
    );
  };

  r.get("/estates/:code", async (req, res) => estatePage(req, res, await visible(res, req.params.code)));
  r.post("/estates/:code", form, async (req, res) => {
    const e = await writable(res, req.params.code);
    const s = scopeOf(res);
    const out = await attempt(async () => {
      const x = input(req, e.code, false);
      const street = await db.street.findUnique({ where: { code: x.street } });
      if (street && !mayWriteStreet(s, street.id)) forbidden();
      return db.$transaction((tx) => saveEstate(tx, s.actorId, x, d.clock.now()));
    });
    if (!out.ok) return estatePage(req, res, e, { error: out.error });
    await d.router.reload();
    res.redirect(303, `${DIR}/estates/${e.code}?saved`);
  });
  r.post("/estates/:code/move", form, async (req, res) => {
    const e = await writable(res, req.params.code);
    const out = await attempt(() => {
      const start = field(req, "contractStart");
      if (start && !/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new DirectoryError("invalid", "v_date", undefined, "contractStart");
      return moveEstate({ db, cases: d.cases, now: () => d.clock.now() }, scopeOf(res).actorId, e.code, {
        company: field(req, "company") ?? "",
        contractStart: start ? new Date(`${start}T00:00:00Z`) : undefined,
        openCases: field(req, "openCases") === "stay" ? "stay" : "move",
      });
    });
    if (!out.ok) return estatePage(req, res, e, { error: out.error });
    await d.router.reload();
    await estatePage(req, res, await estateByCode(db, e.code), { moved: out.value.moved });
  });
  r.post("/estates/:code/buildings", form, async (req, res) => {
    const e = await writable(res, req.params.code);
    const units = (field(req, "units") ?? "").split(/[,，、\s]+/).filter(Boolean);
    const out = await attempt(() => db.$transaction((tx) => saveBuilding(tx, scopeOf(res).actorId, { estate: e.code, name: field(req, "name") ?? "", units })));
    if (!out.ok) return estatePage(req, res, e, { error: out.error });
    await d.router.reload();
    res.redirect(303, `${DIR}/estates/${e.code}?saved`);
  });
  r.post("/estates/:code/buildings/deactivate", form, async (req, res) => {
    const e = await writable(res, req.params.code);
    const out = await attempt(() => deactivateBuilding(db, scopeOf(res).actorId, e.code, field(req, "name") ?? "", field(req, "unit")));
    if (!out.ok) return estatePage(req, res, e, { error: out.error });
    await d.router.reload();
    res.redirect(303, `${DIR}/estates/${e.code}?saved`);
  });
  for (const [path, active] of [["deactivate", false], ["reactivate", true]] as const) {
    r.post(`/estates/:code/${path}`, form, async (req, res) => {
      const e = await writable(res, req.params.code);
      const out = await attempt(() => setEstateActive(db, scopeOf(res).actorId, e.code, active, d.clock.now()));
      if (!out.ok) return estatePage(req, res, e, { error: out.error });
      await d.router.reload();
      res.redirect(303, `${DIR}/estates/${e.code}?saved`);
    });
  }
  return r;
}

function EstateFields(p: { vw: View; e: Estate | null; b: Record<string, string>; streets: { code: string; name: string }[] }) {
  const { t } = p.vw;
  const val = (k: string, cur: unknown) => (p.b[k] !== undefined ? p.b[k] : cur === null || cur === undefined ? "" : String(cur));
  return (
    <>
      <Field label={t("dir_name")} name="name" value={val("name", p.e?.name)} required />
      <Select label={t("street")} name="street" options={p.streets.map((s) => [s.code, s.name])} value={val("street", p.e?.street.code)} />
      <Field label={t("dir_community")} name="community" value={val("community", p.e?.community)} />
      <Field label={t("dir_address")} name="address" value={val("address", p.e?.address)} />
      <Field label={t("dir_households")} name="households" type="number" value={val("households", p.e?.households)} required />
      <Field label={t("dir_latitude")} name="latitude" type="number" step="any" value={val("latitude", p.e?.latitude)} />
      <Field label={t("dir_longitude")} name="longitude" type="number" step="any" value={val("longitude", p.e?.longitude)} />
      <Flag label={t("in_f_ownersCommittee")} name="ownersCommittee" on={p.b.ownersCommittee !== undefined ? p.b.ownersCommittee === "1" : !!p.e?.ownersCommittee} />
      <Field label={t("in_f_ownersCommitteeTermEnd")} name="ownersCommitteeTermEnd" type="date" value={val("ownersCommitteeTermEnd", p.e?.ownersCommitteeTermEnd ? day(p.e.ownersCommitteeTermEnd) : null)} />
      <Flag label={t("in_f_professionallyManaged")} name="professionallyManaged" on={p.b.professionallyManaged !== undefined ? p.b.professionallyManaged === "1" : !!p.e?.professionallyManaged} />
      <Flag label={t("in_f_tendered")} name="tendered" on={p.b.tendered !== undefined ? p.b.tendered === "1" : !!p.e?.tendered} />
      <Field label={t("in_f_deliveredOn")} name="deliveredOn" type="date" value={val("deliveredOn", p.e?.deliveredOn ? day(p.e.deliveredOn) : null)} />
      {p.e ? <p>{`${t("company")}: ${p.e.company?.name ?? "—"}`}</p> : null}
    </>
  );
}

/** A yes/no flag of the district's indicators (sent as "1" when ticked). */
function Flag(p: { label: string; name: string; on: boolean }) {
  return (
    <label>
      <input type="checkbox" name={p.name} id={`f-${p.name}`} value="1" checked={p.on} style="display:inline-block;width:auto;margin:0 .4em 0 0;vertical-align:middle" />
      {p.label}
    </label>
  );
}
