// Directory page for streets (街道): the list, and for admin and district a street added, renamed or
// deactivated (refused while it still has active estates). A street is never deleted.
import express, { type Request, type Response, type Router } from "express";
import type { Db } from "../../../core/db/db.ts";
import type { Refusal } from "../../../core/directory/audit.ts";
import { StreetInput } from "../../../core/directory/fields.ts";
import { renameStreet, saveStreet, setStreetActive } from "../../../core/directory/streets.ts";
import { scopeOf } from "../../auth.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { view } from "../layout.ts";
import { attempt, Csrf, DIR, districtWide, Err, Field, field, forbidden, form, Saved, sendPage } from "./common.tsx";

export function streetPages(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  const page = async (req: Request, res: Response, error?: Refusal[]) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const t = vw.t;
    const s = scopeOf(res);
    const rows = await db.street.findMany({ where: s.streetId !== null ? { id: s.streetId } : {}, include: { _count: { select: { estates: true } } }, orderBy: { code: "asc" } });
    const b = (req.method === "POST" ? (req.body ?? {}) : {}) as Record<string, string>;
    sendPage(
      res,
      vw,
      t("dir_streets"),
      <>
        <Saved req={req} v={vw} />
        <Err v={vw} error={error} />
        <div class="scroll">
          <table id="streets">
            <thead>
              <tr>
                <th>{t("dir_name")}</th>
                <th>{t("dir_code")}</th>
                <th class="num">{t("dir_estates")}</th>
                <th>{t("dir_status")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr id={`street-${x.code}`}>
                  <td>
                    {x.name}
                    {districtWide(s) ? (
                      <form method="post" action={`${DIR}/streets/${x.code}/rename`} class="form compact rename">
                        <Csrf v={vw} />
                        <input name="name" aria-label={t("dir_name")} value={x.name} required maxlength={100} />
                        <button>{t("dir_rename")}</button>
                      </form>
                    ) : null}
                  </td>
                  <td><code>{x.code}</code></td>
                  <td class="num">{x._count.estates}</td>
                  <td>
                    {t(x.active ? "dir_active" : "dir_inactive")}
                    {districtWide(s) ? (
                      <form method="post" action={`${DIR}/streets/${x.code}/${x.active ? "deactivate" : "reactivate"}`} class="inline">
                        <Csrf v={vw} />
                        <button>{t(x.active ? "dir_deactivate" : "dir_reactivate")}</button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {districtWide(s) ? (
          <form method="post" action={`${DIR}/streets`} class="card form" id="street-form">
            <h2>{t("dir_new_street")}</h2>
            <Csrf v={vw} />
            <Field label={t("dir_code")} name="code" value={b.code} required />
            <Field label={t("dir_name")} name="name" value={b.name} required placeholder="东城街道" />
            <button>{t("dir_save")}</button>
          </form>
        ) : null}
      </>,
      { status: error ? 400 : 200, tab: "streets" },
    );
  };
  r.get("/streets", (req, res) => page(req, res));
  r.post("/streets", form, async (req, res) => {
    if (!districtWide(scopeOf(res))) forbidden();
    const out = await attempt(() => db.$transaction((tx) => saveStreet(tx, scopeOf(res).actorId, StreetInput.parse({ code: field(req, "code") ?? "", name: field(req, "name") ?? "" }))));
    if (!out.ok) return page(req, res, out.error);
    res.redirect(303, `${DIR}/streets?saved`);
  });
  r.post("/streets/:code/rename", form, async (req, res) => {
    if (!districtWide(scopeOf(res))) forbidden();
    const out = await attempt(() => renameStreet(db, scopeOf(res).actorId, req.params.code, StreetInput.shape.name.parse(field(req, "name") ?? "")));
    if (!out.ok) return page(req, res, out.error);
    res.redirect(303, `${DIR}/streets?saved`);
  });
  for (const [path, active] of [["deactivate", false], ["reactivate", true]] as const) {
    r.post(`/streets/:code/${path}`, form, async (req, res) => {
      if (!districtWide(scopeOf(res))) forbidden();
      const out = await attempt(() => setStreetActive(db, scopeOf(res).actorId, req.params.code, active));
      if (!out.ok) return page(req, res, out.error);
      res.redirect(303, `${DIR}/streets?saved`);
    });
  }
  return r;
}
