// Directory pages for property companies and their liaisons: list, add, edit (name, contact, grade
// 资质等级, active/suspended; suspend and reactivate), invite, rename and reactivate liaisons,
// deactivate a liaison — its open cases go to another liaison of the company (the office's pick) or
// the office queue, never orphaned. A street office
// sees the companies working in its street; admin and district change them.
import express, { type Request, type Response, type Router } from "express";
import type { Db } from "../../../core/db/db.ts";
import type { Refusal } from "../../../core/directory/audit.ts";
import { CompanyInput, LiaisonInput } from "../../../core/directory/fields.ts";
import { saveCompany, setCompanyActive } from "../../../core/directory/companies.ts";
import { deactivateLiaison, reactivateLiaison, renameLiaison, saveLiaison } from "../../../core/directory/liaisons.ts";
import type { Scope } from "../../../core/directory/staff.ts";
import { liaisonChannel } from "../../../core/delivery/liaison-channel.ts";
import { maskedPhone } from "../../../core/access/phone-codes.ts";
import { scopeOf } from "../../auth.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { view } from "../layout.ts";
import { attempt, Csrf, day, DIR, districtWide, Err, Field, field, forbidden, form, Saved, Select, sendPage } from "./common.tsx";

const OPEN = ["routed", "accepted", "reopened"] as const;

export function companyPages(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  /** A street office sees the companies managing an estate of its street. */
  const companyWhere = (s: Scope) => (s.streetId !== null ? { estates: { some: { streetId: s.streetId } } } : {});
  const office = (res: Response) => {
    if (!districtWide(scopeOf(res))) forbidden();
  };

  const companiesPage = async (req: Request, res: Response, error?: Refusal[]) => {
    const vw = v(req, res);
    const t = vw.t;
    const s = scopeOf(res);
    const rows = await db.company.findMany({ where: companyWhere(s), include: { _count: { select: { estates: true } } }, orderBy: { code: "asc" } });
    const b = (req.method === "POST" ? (req.body ?? {}) : {}) as Record<string, string>;
    const edit = typeof req.query.edit === "string" ? rows.find((c) => c.code === req.query.edit) : undefined;
    sendPage(
      res,
      vw,
      t("dir_companies"),
      <>
        <Saved req={req} v={vw} />
        <Err v={vw} error={error} />
        <div class="scroll">
          <table id="companies">
            <thead>
              <tr>
                <th>{t("dir_name")}</th>
                <th>{t("dir_code")}</th>
                <th>{t("dir_grade")}</th>
                <th>{t("dir_contact")}</th>
                <th class="num">{t("dir_estates")}</th>
                <th>{t("dir_status")}</th>
                {districtWide(s) ? <th>{t("dir_invite_code")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr id={`company-${c.code}`}>
                  <td>{districtWide(s) ? <a href={`${DIR}/companies?edit=${c.code}#company-form`}>{c.name}</a> : c.name}</td>
                  <td><code>{c.code}</code></td>
                  <td>{c.grade ?? "—"}</td>
                  <td>{c.contact ?? "—"}</td>
                  <td class="num">{c._count.estates}</td>
                  <td>
                    {t(c.active ? "dir_active" : "dir_suspended")}
                    {districtWide(s) ? (
                      <form method="post" action={`${DIR}/companies/${c.code}/${c.active ? "suspend" : "reactivate"}`} class="inline">
                        <Csrf v={vw} />
                        <button>{t(c.active ? "dir_suspend" : "dir_reactivate")}</button>
                      </form>
                    ) : null}
                  </td>
                  {districtWide(s) ? (
                    <td>
                      <code>{c.inviteCode}</code>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {districtWide(s) ? (
          <form method="post" action={`${DIR}/companies`} class="card form" id="company-form">
            <h2>{edit ? edit.name : t("dir_new_company")}</h2>
            <Csrf v={vw} />
            <Field label={t("dir_code")} name="code" value={b.code ?? edit?.code} required />
            <Field label={t("dir_name")} name="name" value={b.name ?? edit?.name} required />
            <Field label={t("dir_contact")} name="contact" value={b.contact ?? edit?.contact} />
            <Field label={t("dir_grade")} name="grade" value={b.grade ?? edit?.grade} placeholder="一级" />
            <Field label={t("in_f_qualificationCertNo")} name="qualificationCertNo" value={b.qualificationCertNo ?? edit?.qualificationCertNo} />
            <Field label={t("in_f_qualificationExpiresOn")} name="qualificationExpiresOn" type="date" value={b.qualificationExpiresOn ?? (edit?.qualificationExpiresOn ? day(edit.qualificationExpiresOn) : "")} />
            <Select label={t("dir_status")} name="active" options={[["1", t("dir_active")], ["0", t("dir_suspended")]]} value={b.active ?? (edit && !edit.active ? "0" : "1")} />
            <button>{t("dir_save")}</button>
          </form>
        ) : null}
      </>,
      { status: error ? 400 : 200, tab: "companies" },
    );
  };
  r.get("/companies", (req, res) => companiesPage(req, res));
  for (const [path, active] of [["suspend", false], ["reactivate", true]] as const) {
    r.post(`/companies/:code/${path}`, form, async (req, res) => {
      office(res);
      const out = await attempt(() => setCompanyActive(db, scopeOf(res).actorId, req.params.code, active));
      if (!out.ok) return companiesPage(req, res, out.error);
      await d.router.reload();
      res.redirect(303, `${DIR}/companies?saved`);
    });
  }
  r.post("/companies", form, async (req, res) => {
    office(res);
    const out = await attempt(() => {
      const c = CompanyInput.parse({ code: field(req, "code") ?? "", name: field(req, "name") ?? "", contact: field(req, "contact") ?? null, grade: field(req, "grade") ?? null, qualificationCertNo: field(req, "qualificationCertNo") ?? null, qualificationExpiresOn: field(req, "qualificationExpiresOn") ?? null, active: field(req, "active") !== "0" });
      return db.$transaction((tx) => saveCompany(tx, scopeOf(res).actorId, c));
    });
    if (!out.ok) return companiesPage(req, res, out.error);
    await d.router.reload();
    res.redirect(303, `${DIR}/companies?saved`);
  });

  const liaisonsPage = async (req: Request, res: Response, o: { error?: Refusal[]; moved?: string[] } = {}) => {
    const vw = v(req, res);
    const t = vw.t;
    const s = scopeOf(res);
    const [rows, cos] = await Promise.all([
      db.liaison.findMany({ where: { company: companyWhere(s) }, include: { company: true, _count: { select: { cases: { where: { state: { in: [...OPEN] } } } } } }, orderBy: [{ companyId: "asc" }, { id: "asc" }] }),
      db.company.findMany({ where: { active: true }, orderBy: { code: "asc" } }),
    ]);
    const b = (req.method === "POST" ? (req.body ?? {}) : {}) as Record<string, string>;
    const wide = districtWide(s);
    sendPage(
      res,
      vw,
      t("dir_liaisons"),
      <>
        <Saved req={req} v={vw} />
        <Err v={vw} error={o.error} />
        {o.moved ? <p class="ok" id="moved">{`${t("dir_moved")}: ${o.moved.length ? o.moved.join(", ") : t("none")}`}</p> : null}
        <div class="scroll">
          <table id="liaisons">
            <thead>
              <tr>
                <th>{t("dir_name")}</th>
                <th>{t("company")}</th>
                <th>{t("dir_reached_by")}</th>
                <th>{t("dir_last_sign_in")}</th>
                <th class="num">{t("dir_open_cases")}</th>
                <th>{t("dir_status")}</th>
                {wide ? <th>{t("actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((l) => (
                <tr id={`liaison-${l.code}`}>
                  <td>
                    {l.name} <small class="muted"><code>{l.code}</code></small>
                    {wide ? (
                      <form method="post" action={`${DIR}/liaisons/${l.code}/rename`} class="form compact rename">
                        <Csrf v={vw} />
                        <input name="name" aria-label={t("dir_name")} value={l.name} required />
                        <button>{t("dir_rename")}</button>
                      </form>
                    ) : null}
                  </td>
                  <td>{l.company.name}</td>
                  {/* The one channel choice (core/delivery/liaison-channel.ts) decides what this cell says. */}
                  <td class="reach">
                    {((ch) => (ch === "telegram" ? t("dir_reach_telegram") : ch === "sms" ? t("dir_reach_sms").replace("{phone}", maskedPhone(l.phone!)) : t("dir_reach_none")))(liaisonChannel({ ...l, active: true }))}
                  </td>
                  <td class="last-sign-in">{l.lastSignInAt ? vw.fmt(l.lastSignInAt) : t("dir_never")}</td>
                  <td class="num open-cases">{l._count.cases}</td>
                  <td class="status">{t(l.active ? "dir_active" : "dir_inactive")}</td>
                  {wide ? (
                    <td>
                      {l.active ? (
                        <form method="post" action={`${DIR}/liaisons/${l.code}/deactivate`} class="form compact">
                          <Csrf v={vw} />
                          <Select
                            label={t("dir_cases_to")}
                            name="to"
                            options={[["", t("dir_auto_heir")], ...rows.filter((x) => x.active && x.id !== l.id && x.companyId === l.companyId).map((x): [string, string] => [x.code, x.name]), ["queue", t("dir_queue")]]}
                          />
                          <button>{t("dir_deactivate")}</button>
                        </form>
                      ) : (
                        <form method="post" action={`${DIR}/liaisons/${l.code}/reactivate`} class="inline">
                          <Csrf v={vw} />
                          <button>{t("dir_reactivate")}</button>
                        </form>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {wide ? (
          <form method="post" action={`${DIR}/liaisons`} class="card form" id="liaison-form">
            <h2>{t("dir_new_liaison")}</h2>
            <p class="muted">{t("dir_liaison_note")}</p>
            <Csrf v={vw} />
            <Field label={t("dir_code")} name="code" value={b.code} required placeholder="huamei-zhang" />
            <Field label={t("dir_name")} name="name" value={b.name} required />
            <Select label={t("company")} name="company" options={cos.map((c) => [c.code, c.name])} value={b.company} />
            <Field label={t("dir_phone")} name="phone" value={b.phone} placeholder="13912345678" />
            <button>{t("dir_save")}</button>
          </form>
        ) : null}
      </>,
      { status: o.error ? 400 : 200, tab: "liaisons" },
    );
  };
  r.get("/liaisons", (req, res) => liaisonsPage(req, res));
  r.post("/liaisons", form, async (req, res) => {
    office(res);
    const out = await attempt(() => {
      const phone = field(req, "phone")?.replace(/[\s-]/g, "");
      const l = LiaisonInput.parse({ code: field(req, "code") ?? "", name: field(req, "name") ?? "", company: field(req, "company") ?? "", ...(phone ? { phone } : {}) });
      return db.$transaction((tx) => saveLiaison(tx, scopeOf(res).actorId, l));
    });
    if (!out.ok) return liaisonsPage(req, res, { error: out.error });
    await d.router.reload();
    res.redirect(303, `${DIR}/liaisons?saved`);
  });
  r.post("/liaisons/:code/rename", form, async (req, res) => {
    office(res);
    const out = await attempt(() => renameLiaison(db, scopeOf(res).actorId, req.params.code, LiaisonInput.shape.name.parse(field(req, "name") ?? "")));
    if (!out.ok) return liaisonsPage(req, res, { error: out.error });
    await d.router.reload();
    res.redirect(303, `${DIR}/liaisons?saved`);
  });
  r.post("/liaisons/:code/reactivate", form, async (req, res) => {
    office(res);
    const out = await attempt(() => reactivateLiaison(db, scopeOf(res).actorId, req.params.code));
    if (!out.ok) return liaisonsPage(req, res, { error: out.error });
    await d.router.reload();
    res.redirect(303, `${DIR}/liaisons?saved`);
  });
  r.post("/liaisons/:code/deactivate", form, async (req, res) => {
    office(res);
    const out = await attempt(() => deactivateLiaison({ db, cases: d.cases }, scopeOf(res).actorId, req.params.code, field(req, "to")));
    if (!out.ok) return liaisonsPage(req, res, { error: out.error });
    await d.router.reload();
    await liaisonsPage(req, res, { moved: out.value.moved });
  });
  return r;
}
