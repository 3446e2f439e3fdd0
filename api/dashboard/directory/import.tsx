// The import upload page: pick an .xlsx/.csv file → PREVIEW (a dry run: how the columns were read,
// every change record by record, and every bad row with sheet, row, column and reason; the clerk may
// correct the column mapping and preview again) → confirm (with the choice for the open cases of each
// company change; written only when the changes are still those previewed). The
// confirmation imports the very bytes that were previewed: they wait in the database for 30 minutes
// under an unguessable token bound to the user (core/directory/import/previews.ts), so the confirm
// may reach another web process, or this one after a restart.
import express, { type Request, type Response, type Router } from "express";
import multer from "multer";
import type { Db } from "../../../core/db/db.ts";
import type { Logger } from "../../../core/logger.ts";
import { MAX_FILE_BYTES, readDistrictFile } from "../../../core/directory/import/read.ts";
import { importDistrict, type ImportResult } from "../../../core/directory/import/apply.ts";
import { exampleWorkbook } from "../../../core/directory/import/example.ts";
import { keepPreview, peekPreview, takePreview } from "../../../core/directory/import/previews.ts";
import { rememberedMapping, rememberMapping } from "../../../core/directory/import/mapping.ts";
import type { ColumnMapping } from "../../../core/directory/import/read.ts";
import { moveOpenCases } from "../../../core/directory/estates.ts";
import { ChangeList, MappingForm, Merged, OpenCaseChoices } from "./import-preview.tsx";
import { scopeOf } from "../../auth.ts";
import { HttpError } from "../../http.ts";
import type { Auth } from "../../auth.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { view, type View } from "../layout.ts";
import { Csrf, DIR, form, sendPage } from "./common.tsx";
import { wordRefusal } from "../../i18n/refusal-strings.ts";

const KINDS = ["streets", "companies", "estates", "buildings", "liaisons", "offices"] as const;

export function importPages(db: Db, d: OfficeAppDeps, auth: Auth, log: Logger): Router {
  const r = express.Router();
  const staff = auth.requireRole("admin", "district");
  const v = (req: Request, res: Response) => view(req, res, d.defaultLocale, d.timezone);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 } }).single("file");
  /** multer's refusals (too large, too many files) as a 413/400 with words, not a 500. */
  const receive: express.RequestHandler = (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const e = err as { code?: string; message?: string };
      const r = e.code === "LIMIT_FILE_SIZE" ? { reason: "imp_too_large", params: { mb: MAX_FILE_BYTES / 1024 / 1024 } } : { reason: "imp_upload_refused", params: { detail: e.message ?? "" } };
      next(new HttpError(e.code === "LIMIT_FILE_SIZE" ? 413 : 400, "bad_request", r.reason, undefined, r));
    });

  const uploadPage = (req: Request, res: Response, o: { error?: string; status?: number } = {}) => {
    const vw = v(req, res);
    const t = vw.t;
    sendPage(
      res,
      vw,
      t("dir_import"),
      <>
        {o.error ? <p class="err" id="notice-err">{o.error}</p> : null}
        <p>{t("dir_import_note")}</p>
        <p>
          <a href={`${DIR}/import/example.xlsx`} id="example">
            {t("dir_example")}
          </a>
        </p>
        <form method="post" action={`${DIR}/import/preview`} enctype="multipart/form-data" class="card form" id="upload-form">
          <Csrf v={vw} />
          <label>
            {t("dir_pick_file")}
            <input type="file" name="file" id="f-file" accept=".xlsx,.csv" required />
          </label>
          <button>{t("dir_upload")}</button>
        </form>
      </>,
      { status: o.status, tab: "import" },
    );
  };

  r.get("/import", staff, (req, res) => uploadPage(req, res));
  r.get("/import/example.xlsx", staff, async (_req, res) => {
    res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").attachment("district.xlsx").send(await exampleWorkbook());
  });

  r.post("/import/preview", staff, receive, auth.requireCsrf, async (req, res) => {
    const file = req.file;
    if (!file || !file.size) return uploadPage(req, res, { error: v(req, res).t("dir_pick_file"), status: 400 });
    const filename = file.originalname.slice(0, 200) || "district.xlsx";
    const who = scopeOf(res).actorId;
    await preview(req, res, who, filename, file.buffer);
  });

  // The clerk corrected how a column is read: remembered, and the same file previewed again.
  r.post("/import/remap", staff, form, auth.requireCsrf, async (req, res) => {
    const who = scopeOf(res).actorId;
    const body = req.body as Record<string, unknown>;
    const token = body.token;
    const w = typeof token === "string" && token.length <= 100 ? await peekPreview(db, who, token, d.clock.now()) : null;
    if (!w) return uploadPage(req, res, { error: v(req, res).t("dir_preview_gone"), status: 409 });
    const mapping: ColumnMapping = {};
    for (const [k, header] of Object.entries(body)) {
      const m = /^hdr:(\w+):(\d+)$/.exec(k);
      const key = m ? body[`map:${m[1]}:${m[2]}`] : undefined;
      if (m && typeof header === "string" && typeof key === "string") ((mapping as Record<string, Record<string, string>>)[m[1]!] ??= {})[header] = key;
    }
    await rememberMapping(db, mapping, d.clock.now());
    await preview(req, res, who, w.filename, w.bytes);
  });

  r.post("/import/confirm", staff, form, auth.requireCsrf, async (req, res) => {
    const who = scopeOf(res).actorId;
    const token = (req.body as Record<string, unknown>).token;
    const w = typeof token === "string" && token.length <= 100 ? await takePreview(db, who, token, d.clock.now()) : null;
    if (!w) return uploadPage(req, res, { error: v(req, res).t("dir_preview_gone"), status: 409 });
    const body = req.body as Record<string, unknown>;
    const openCases: Record<string, "move" | "stay"> = {};
    for (const [k, val] of Object.entries(body)) if (k.startsWith("cases:") && (val === "move" || val === "stay")) openCases[k.slice(6)] = val;
    const by = `${who} import:${w.filename}`;
    const read = await readDistrictFile(w.bytes, w.filename, { mapping: await rememberedMapping(db) });
    const result = await importDistrict(db, by, read, { now: d.clock.now(), expect: typeof body.expect === "string" ? body.expect : "", openCases, moveCases: (estate, company) => moveOpenCases({ db, cases: d.cases }, by, estate, company) });
    if (result.ok) await d.router.reload();
    log.info({ by: who, filename: w.filename, ok: result.ok, problems: result.problems.length }, "directory import (dashboard)");
    resultPage(req, res, result, w.filename, null);
  });
  return r;

  async function preview(req: Request, res: Response, who: string, filename: string, bytes: Buffer) {
    const read = await readDistrictFile(bytes, filename, { mapping: await rememberedMapping(db) });
    const result = await importDistrict(db, `${who} import:${filename}`, read, { dryRun: true, now: d.clock.now() });
    // Kept even when rows are bad: the clerk may correct the column mapping and preview again.
    const token = result.sheets.length ? await keepPreview(db, who, { filename, bytes }, d.clock.now()) : null;
    resultPage(req, res, result, filename, token);
  }

  function resultPage(req: Request, res: Response, result: ImportResult, filename: string, token: string | null) {
    const vw = v(req, res);
    const t = vw.t;
    const headline = !result.ok ? t("dir_import_bad") : result.dryRun ? t("dir_preview_ok") : t("dir_import_done");
    sendPage(
      res,
      vw,
      `${t("dir_import")} · ${filename}`,
      <>
        <p class={result.ok ? "ok" : "err"} id="import-headline">
          {headline}
        </p>
        <Counts vw={vw} result={result} />
        {result.problems.length ? <Problems vw={vw} result={result} /> : null}
        <Merged vw={vw} result={result} />
        <ChangeList vw={vw} result={result} />
        {token && result.ok && result.dryRun ? (
          <form method="post" action={`${DIR}/import/confirm`} class="card" id="confirm-form">
            <Csrf v={vw} />
            <input type="hidden" name="token" value={token} />
            <input type="hidden" name="expect" value={result.fingerprint} />
            <OpenCaseChoices vw={vw} result={result} />
            <button>{t("dir_apply")}</button>
          </form>
        ) : null}
        {result.dryRun ? <MappingForm vw={vw} result={result} token={token} /> : null}
        <p>
          <a href={`${DIR}/import`}>{t("dir_upload_another")}</a>
        </p>
      </>,
      { status: result.ok ? 200 : 422, tab: "import" },
    );
  }
}

function Counts({ vw, result }: { vw: View; result: ImportResult }) {
  const { t } = vw;
  return (
    <div class="scroll">
      <table id="import-counts">
        <thead>
          <tr>
            <th>{t("dir_kind")}</th>
            <th class="num">{t("dir_created")}</th>
            <th class="num">{t("dir_updated")}</th>
            <th class="num">{t("dir_unchanged")}</th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map((k) => (
            <tr id={`count-${k}`}>
              <td>{t(`dir_${k}`)}</td>
              <td class="num">{result.counts[k].created}</td>
              <td class="num">{result.counts[k].updated}</td>
              <td class="num">{result.counts[k].unchanged}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Problems({ vw, result }: { vw: View; result: ImportResult }) {
  const { t } = vw;
  return (
    <div class="scroll">
      <table id="import-problems">
        <thead>
          <tr>
            <th>{t("dir_sheet")}</th>
            <th class="num">{t("dir_row")}</th>
            <th>{t("dir_column")}</th>
            <th>{t("reason")}</th>
          </tr>
        </thead>
        <tbody>
          {result.problems.slice(0, 1000).map((p) => (
            <tr>
              <td>{p.sheet}</td>
              <td class="num">{p.row ?? "—"}</td>
              <td>{p.column ?? "—"}</td>
              <td>{wordRefusal(vw.locale, p)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
