// QR posters of the residents' front door (api/frontdoor/posters.ts): a page listing the estates in
// the caller's area, each with its estate poster and, per building, a poster and a sticker sheet.
// A street office sees its street's estates; the district and admin all. Committee roles are
// refused by the committee gate (api/app.ts). No poster is made that would not open on a phone:
// with the front door off (FRONTDOOR_SECRET unset) the page says how to turn it on, and while
// PUBLIC_BASE_URL is this machine, a private address or plain http it says what to set instead of
// offering downloads (a PDF asked for anyway is a 409 with the same words).
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../core/db/db.ts";
import { scopeOf } from "../auth.ts";
import { HttpError, parse } from "../http.ts";
import type { OfficeAppDeps } from "../office.ts";
import { renderFragment } from "../views/render.tsx";
import type { Translate } from "../i18n/i18n.ts";
import { placeToken } from "../frontdoor/tokens.ts";
import { baseUrlProblem, PosterFontMissing, posterPdf, stickerPdf } from "../frontdoor/posters.ts";
import { page, view } from "./layout.ts";

/** The setting names and values a refusal quotes (shown as code: typed, not translated). */
const settingWords = (url: string): Record<string, string> => ({ url, file: ".env", secret: "FRONTDOOR_SECRET", base: "PUBLIC_BASE_URL", cmd: "openssl rand -base64 36", example: "https://wuye.example.gov.cn" });

export interface PosterDeps {
  secret: string;
  fontPath: string;
}

/** `p` null: the front door is off; the page explains FRONTDOOR_SECRET. */
export function posterPages(db: Db, d: OfficeAppDeps, p: PosterDeps | null): Router {
  const r = express.Router();
  const problem = baseUrlProblem(d.publicBaseUrl);
  /** Why no poster can be made now, as the reader's text with the settings to name, or null. */
  const refusal = (t: Translate) => (!p ? t("poster_off") : problem ? t(`poster_base_${problem}`) : null);
  const refuse = (req: Request, res: Response) => {
    const why = refusal(view(req, res, d.defaultLocale, d.timezone).t);
    if (why) throw new HttpError(409, "posters_unavailable", why.replace(/\{(\w+)\}/g, (_m, k: string) => settingWords(d.publicBaseUrl)[k] ?? k));
    return p!;
  };
  const code = (s: unknown) => parse(z.string().regex(/^[\w-]{1,64}$/), s, "estate");

  const estateInScope = async (req: Request, res: Response) => {
    const scope = scopeOf(res);
    const estate = await db.estate.findUnique({ where: { code: code(req.params.code) }, include: { buildings: { where: { active: true }, orderBy: { id: "asc" }, include: { units: { where: { active: true }, orderBy: { id: "asc" } } } } } });
    // Outside the caller's area looks the same as not there.
    if (!estate || (scope.streetId !== null && estate.streetId !== scope.streetId) || scope.estateIds) throw new HttpError(404, "not_found", `estate ${String(req.params.code)} not found`);
    return estate;
  };
  const buildingOf = (estate: Awaited<ReturnType<typeof estateInScope>>, req: Request) => {
    if (req.query.building === undefined) return null;
    const id = parse(z.coerce.number().int().positive(), req.query.building, "building");
    const b = estate.buildings.find((x) => x.id === id);
    if (!b) throw new HttpError(404, "not_found", `building ${id} not found in ${estate.code}`);
    return b;
  };
  const link = (secret: string, estateId: number, buildingId: number | null) => `${d.publicBaseUrl}/r/${placeToken(secret, { estateId, buildingId })}`;
  const sendPdf = async (res: Response, name: string, make: () => Promise<Buffer>) => {
    try {
      const pdf = await make();
      res.type("application/pdf").set("Content-Disposition", `attachment; filename="${name}"`).send(pdf);
    } catch (err) {
      if (err instanceof PosterFontMissing) throw new HttpError(503, "font_missing", err.message);
      throw err;
    }
  };

  r.get("/posters", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const scope = scopeOf(res);
    if (scope.estateIds) throw new HttpError(403, "forbidden", vw.t("forbidden"));
    const estates = await db.estate.findMany({ where: { active: true, ...(scope.streetId !== null ? { streetId: scope.streetId } : {}) }, orderBy: { id: "asc" }, include: { buildings: { where: { active: true }, orderBy: { id: "asc" } } } });
    const t = vw.t;
    const why = refusal(t);
    const body = why ? (
      <>
        <p class="err" id="poster-refusal">
          {why.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? <code>{settingWords(d.publicBaseUrl)[part] ?? part}</code> : part))}
        </p>
        <p>{t("poster_intro")}</p>
      </>
    ) : (
      <>
        <p>{t("poster_intro")}</p>
        <table id="posters">
          <thead>
            <tr>
              <th>{t("estate")}</th>
              <th>{t("poster_files")}</th>
            </tr>
          </thead>
          <tbody>
            {estates.map((e) => (
              <tr>
                <td>{e.name}</td>
                <td>
                  <a href={`/dashboard/posters/${e.code}.pdf`}>{t("poster_estate")}</a>
                  {e.buildings.map((b) => (
                    <>
                      {" · "}
                      {b.name}: <a href={`/dashboard/posters/${e.code}.pdf?building=${b.id}`}>{t("poster_building")}</a> / <a href={`/dashboard/posters/${e.code}/stickers.pdf?building=${b.id}`}>{t("poster_stickers")}</a>
                    </>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    );
    res.type("html").send(page(vw, t("posters"), renderFragment(body), { res }));
  });

  r.get("/posters/:code.pdf", async (req, res) => {
    const estate = await estateInScope(req, res);
    const b = buildingOf(estate, req);
    const { secret, fontPath } = refuse(req, res);
    await sendPdf(res, `poster-${estate.code}${b ? `-${b.id}` : ""}.pdf`, () =>
      posterPdf({ estateName: estate.name, buildingName: b?.name, url: link(secret, estate.id, b?.id ?? null), boardUrl: `${d.publicBaseUrl}/board`, fontPath }),
    );
  });

  r.get("/posters/:code/stickers.pdf", async (req, res) => {
    const estate = await estateInScope(req, res);
    const b = buildingOf(estate, req);
    if (!b) throw new HttpError(400, "invalid_request", "stickers are per building: add ?building=<id>");
    const { secret, fontPath } = refuse(req, res);
    await sendPdf(res, `stickers-${estate.code}-${b.id}.pdf`, () => stickerPdf({ estateName: estate.name, buildingName: b.name, url: link(secret, estate.id, b.id), units: b.units.map((u) => u.name), fontPath }));
  });
  return r;
}
