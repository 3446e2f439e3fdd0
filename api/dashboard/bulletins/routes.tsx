// Dashboard: the archive of monthly bulletins (定期通报), scoped like the figures (a street office sees
// its street's, the district all), each as a printable page (print CSS) and a PDF, both in the
// viewer's language: the PDF stored for that language, or drawn from the bulletin's data and kept.
import express, { type Response, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../../core/db/db.ts";
import type { BulletinData, CaseLine, RankRow } from "../../../core/bulletin/compose.ts";
import { bulletinText, bulletinTitle, campaignLineText, count, enough, monthName, percentText, rateText } from "../../../core/bulletin/labels.ts";
import { bulletinFileName, bulletinPdfIn, scopeName } from "../../../core/bulletin/monthly.ts";
import { FontMissingError } from "../../../core/bulletin/pdf.ts";
import { scopeOf } from "../../auth.ts";
import { HttpError, parse } from "../../http.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { renderFragment } from "../../views/render.tsx";
import { page, view, type View } from "../layout.ts";

const COLORS = ["#2b6cb0", "#2f855a", "#c05621"];

export function bulletinPages(db: Db, d: OfficeAppDeps): Router {
  const r = express.Router();
  // A committee reads the bulletins of its estates' streets (published to the levels below).
  const inScope = async (res: Response) => {
    const s = scopeOf(res);
    if (s.estateIds) return { streetId: { in: (await db.estate.findMany({ where: { id: { in: s.estateIds } }, select: { streetId: true } })).map((e) => e.streetId) } };
    return s.streetId !== null ? { streetId: s.streetId } : {};
  };
  const find = async (res: Response, raw: string) => {
    const id = Number(parse(z.string().regex(/^\d{1,9}$/, "a bulletin number"), raw, "bulletin"));
    const b = await db.bulletin.findFirst({ where: { id, ...(await inScope(res)) }, });
    // Another street's bulletin looks the same as none.
    if (!b) throw new HttpError(404, "not_found", `bulletin ${id} not found`);
    return b;
  };
  const scopeOfBulletin = async (vw: View, streetId: number | null) => scopeName(streetId === null ? null : ((await db.street.findUnique({ where: { id: streetId } }))?.name ?? "—"), vw.locale);

  r.get("/bulletins", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const rows = await db.bulletin.findMany({ where: await inScope(res), orderBy: [{ month: "desc" }, { scopeKey: "asc" }], take: 240, select: { id: true, month: true, streetId: true, createdAt: true } });
    const streets = new Map((await db.street.findMany({ select: { id: true, name: true } })).map((s) => [s.id, s.name]));
    const body = renderFragment(
      rows.length === 0 ? (
        <p id="none">{vw.t("bu_empty")}</p>
      ) : (
        <div class="scroll">
          <table id="bulletins">
            <thead>
              <tr>
                <th>{vw.t("bu_month")}</th>
                <th>{vw.t("bu_scope")}</th>
                <th>{vw.t("bu_generated")}</th>
                <th>{vw.t("actions")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr id={`bulletin-${b.id}`}>
                  <td>{monthName(b.month, vw.locale)}</td>
                  <td>{b.streetId === null ? vw.t("bu_district") : (streets.get(b.streetId) ?? "—")}</td>
                  <td>{vw.fmt(b.createdAt)}</td>
                  <td>
                    <a href={`/dashboard/bulletins/${b.id}`}>{vw.t("bu_view")}</a> · <a href={`/dashboard/bulletins/${b.id}/pdf`}>{vw.t("bu_pdf")}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ),
    );
    res.type("html").send(page(vw, vw.t("bu_bulletins"), body, { res }));
  });

  r.get("/bulletins/:id", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const b = await find(res, req.params.id);
    const data = b.data as unknown as BulletinData;
    const title = `${bulletinTitle(b.month, vw.locale)} · ${await scopeOfBulletin(vw, b.streetId)}`;
    res.type("html").send(page(vw, title, renderFragment(<Bulletin vw={vw} d={d} b={data} id={b.id} />), { res }));
  });

  r.get("/bulletins/:id/pdf", async (req, res) => {
    const b = await find(res, req.params.id);
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const pdf = await bulletinPdfIn({ db, timezone: d.timezone, categories: d.categories }, b, vw.locale).catch(async (err) => {
      // No CJK font on this server to draw another language: the PDF made with the bulletin.
      if (!(err instanceof FontMissingError)) throw err;
      const any = await db.bulletinPdf.findFirst({ where: { bulletinId: b.id }, orderBy: { id: "asc" }, select: { pdf: true } });
      if (!any) throw err;
      return Buffer.from(any.pdf, "base64");
    });
    res.type("application/pdf").attachment(bulletinFileName(b.month, await scopeOfBulletin(vw, b.streetId), vw.locale)).send(pdf);
  });
  return r;
}

function Bulletin({ vw, d, b, id }: { vw: View; d: OfficeAppDeps; b: BulletinData; id: number }) {
  const { t } = vw;
  const totals = bulletinText(vw.locale, "bu_totals", b.totals);
  const min = b.minSample ?? 0;
  return (
    <div class="bulletin">
      <p class="no-print">
        <a href={`/dashboard/bulletins/${id}/pdf`} id="pdf">
          {t("bu_pdf")}
        </a>{" "}
        · <a href="/dashboard/bulletins">{t("bu_bulletins")}</a>
      </p>
      <p>
        {t("bu_generated")}{t("bu_colon")}{vw.fmt(new Date(b.generatedAt))}
      </p>
      <p id="totals">
        <b>{totals}</b>
      </p>
      <div class="card">
        <h2>{t("bu_rank_companies")}</h2>
        <RankTable vw={vw} rows={b.companies} min={min} id="rank-companies" />
        <Unrated vw={vw} rows={b.companiesUnrated ?? []} min={min} id="unrated-companies" heading="bu_unrated_companies" />
        <p class="note">{bulletinText(vw.locale, "bu_rank_note", { min })}</p>
        <Chart vw={vw} rows={b.companies} min={min} />
      </div>
      <div class="card">
        <h2>{t("bu_rank_estates")}</h2>
        <RankTable vw={vw} rows={b.estates} min={min} id="rank-estates" />
        <Unrated vw={vw} rows={b.estatesUnrated ?? []} min={min} id="unrated-estates" heading="bu_unrated_estates" />
        <Chart vw={vw} rows={b.estates} min={min} />
      </div>
      <div class="card">
        <h2>{bulletinText(vw.locale, "bu_missed_n", { title: t("bu_missed"), n: b.totals.missed })}</h2>
        <CaseTable vw={vw} d={d} lines={b.missed} total={b.totals.missed} id="missed" />
      </div>
      <div class="card">
        <h2>{bulletinText(vw.locale, "bu_missed_n", { title: t("bu_repeats"), n: b.totals.repeats })}</h2>
        <CaseTable vw={vw} d={d} lines={b.repeats} total={b.totals.repeats} id="repeats" />
      </div>
      <div class="card" id="board-changes">
        <h2>{t("bu_board")}</h2>
        {b.boardChanges.length === 0 ? (
          <p>{t("bu_board_none")}</p>
        ) : (
          <ul>
            {b.boardChanges.map((c) => (
              <li>
                {c.estate}
                {t("bu_colon")}
                {c.from ? t(`bu_class_${c.from}`) : t("bu_class_new")} → {t(`bu_class_${c.to}`)}
              </li>
            ))}
          </ul>
        )}
      </div>
      {b.campaigns && (
        <div class="card" id="bulletin-campaigns">
          <h2>{t("bu_campaigns")}</h2>
          {b.campaigns.length === 0 ? (
            <p>{t("bu_campaigns_none")}</p>
          ) : (
            <ul>
              {b.campaigns.map((c) => (
                <li>
                  <a href={`/dashboard/campaigns/${c.id}`}>{campaignLineText(vw.locale, c)}</a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** A ranking, or (unrated) the rows under the minimum sample in every rate: no rank for them. */
function RankTable({ vw, rows, min, id, unrated = false }: { vw: View; rows: RankRow[]; min: number; id: string; unrated?: boolean }) {
  const { t } = vw;
  if (rows.length === 0) return <p>{t("bu_none")}</p>;
  return (
    <div class="scroll">
      <table id={id}>
        <thead>
          <tr>
            {unrated ? <th>{t("bu_class_unrated")}</th> : <th class="num">{t("bu_rank")}</th>}
            <th>{t("bu_name")}</th>
            <th class="num">{t("bu_cases")}</th>
            <th class="num">{t("bu_response")}</th>
            <th class="num">{t("bu_resolution")}</th>
            <th class="num">{t("bu_satisfaction")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr data-key={r.key}>
              {unrated ? <td>—</td> : <td class="num">{count(i + 1, vw.locale)}</td>}
              <td>{r.label}</td>
              <td class="num">{count(r.cases, vw.locale)}</td>
              <Rates vw={vw} r={r} min={min} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Rates({ vw, r, min }: { vw: View; r: RankRow; min: number }) {
  return (
    <>
      {(
        [
          [r.counts.responseOk, r.counts.responseDue],
          [r.counts.resolutionOk, r.counts.resolutionDue],
          [r.counts.satisfied, r.counts.answers],
        ] as const
      ).map(([ok, base]) => (
        <td class={enough(base, min) ? "num" : "num few"} data-ok={ok} data-base={base}>
          {rateText(vw.locale, ok, base, min)}
        </td>
      ))}
    </>
  );
}

/** Rows with every rate under the minimum sample: apart from the ranking, without a rank (未评定). */
function Unrated({ vw, rows, min, id, heading }: { vw: View; rows: RankRow[]; min: number; id: string; heading: string }) {
  if (rows.length === 0) return null;
  return (
    <>
      <h3>{vw.t(heading)}</h3>
      <RankTable vw={vw} rows={rows} min={min} id={id} unrated />
    </>
  );
}

function CaseTable({ vw, d, lines, total, id }: { vw: View; d: OfficeAppDeps; lines: CaseLine[]; total: number; id: string }) {
  const { t } = vw;
  if (lines.length === 0) return <p>{t("bu_none")}</p>;
  return (
    <>
      <div class="scroll">
        <table id={id}>
          <thead>
            <tr>
              <th>{t("bu_number")}</th>
              <th>{t("bu_estate")}</th>
              <th>{t("bu_company")}</th>
              <th>{t("bu_category")}</th>
              <th>{t("bu_filed")}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((c) => (
              <tr>
                <td>
                  <a href={`/dashboard/cases/${c.id}`}>{c.number}</a>
                </td>
                <td>{c.estate}</td>
                <td>{c.company ?? t("bu_no_company")}</td>
                <td>{d.categories.label(c.category, vw.locale)}</td>
                <td>{vw.fmt(new Date(c.createdAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > lines.length && <p>{bulletinText(vw.locale, "bu_more", { n: total - lines.length })}</p>}
    </>
  );
}

/** Grouped bars of the three rates per ranked row (inline SVG: prints, needs no script); none for a rate under the minimum sample. */
function Chart({ vw, rows, min }: { vw: View; rows: RankRow[]; min: number }) {
  const shown = rows.slice(0, 12);
  if (shown.length === 0) return null;
  const W = 640;
  const H = 180;
  const base = 150;
  const group = W / shown.length;
  const keys = ["bu_response", "bu_resolution", "bu_satisfaction"];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={vw.t("bu_chart")}>
        {[0, 0.5, 1].map((g) => (
          <line x1={0} x2={W} y1={base - g * 130} y2={base - g * 130} stroke="#e2e8f0" />
        ))}
        {shown.map((r, gi) =>
          [r.responseRate, r.resolutionRate, r.satisfactionRate].map((v, i) =>
            v === null || !enough([r.counts.responseDue, r.counts.resolutionDue, r.counts.answers][i]!, min) ? null : (
              <rect x={gi * group + 8 + i * ((group - 16) / 3)} y={base - v * 130} width={Math.max(2, (group - 16) / 3 - 3)} height={Math.max(1, v * 130)} fill={COLORS[i]}>
                <title>{`${r.label} · ${vw.t(keys[i]!)} ${percentText(v, vw.locale)}`}</title>
              </rect>
            ),
          ),
        )}
        {shown.map((r, gi) => (
          <text x={gi * group + group / 2} y={base + 16} text-anchor="middle" font-size="12">
            {r.label.length > 8 ? `${r.label.slice(0, 7)}…` : r.label}
          </text>
        ))}
        <line x1={0} x2={W} y1={base} y2={base} stroke="#718096" />
      </svg>
      <figcaption class="legend">
        {keys.map((k, i) => (
          <span>
            <svg width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" fill={COLORS[i]} />
            </svg>{" "}
            {vw.t(k)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
