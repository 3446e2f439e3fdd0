// Dashboard routes of the campaigns (/dashboard/campaigns/…): list and create, the ledger with its
// figures, the xlsx export, an estate's PDF file, registering a problem (phone form with photos into
// the attachment store), the spreadsheet import, a problem and its actions, the notice PDF; and the
// public progress page (/campaigns/<slug>). Pages only translate HTTP; core/campaigns decides.
import express, { type Request, type Response, type Router } from "express";
import multer from "multer";
import type { Db } from "../../../core/db/db.ts";
import { campaignEstates, createCampaign, findCampaign, listCampaigns } from "../../../core/campaigns/campaigns.ts";
import { campaignFigures } from "../../../core/campaigns/figures.ts";
import { listLedger, ledgerXlsx, wholeLedger } from "../../../core/campaigns/ledger/ledger.ts";
import { addProblemPhotos, applyProblemAction, findProblem, recordInspected, registerProblem, PROBLEM_SOURCES, RESPONSIBLE_KINDS } from "../../../core/campaigns/problems.ts";
import { importProblems } from "../../../core/campaigns/import.ts";
import { estateFile, rectificationNotice } from "../../../core/campaigns/ledger/documents.ts";
import { PROBLEM_ACTIONS, PROBLEM_STATES, type ProblemAction } from "../../../core/campaigns/lifecycle.ts";
import { CampaignError } from "../../../core/campaigns/scope.ts";
import { ImageRefused, storeImage, type StoredImage } from "../../../core/attachments/image-intake.ts";
import type { AttachmentStore } from "../../../core/attachments/store.ts";
import { isCommittee } from "../../../core/directory/staff.ts";
import { fromLocal, parseYmd } from "../../../core/clocks/zoned-time.ts";
import { z } from "zod";
import { scopeOf, type Auth } from "../../auth.ts";
import { HttpError, parse } from "../../http.ts";
import { DbId, formBody } from "../../input-guard.ts";
import { renderFragment } from "../../views/render.tsx";
import { page, view } from "../layout.ts";
import type { CampaignApiDeps } from "../../rest/campaigns.ts";
import { mapCampaignError } from "../../rest/campaigns.ts";
import { CampaignList, ImportResultView, Ledger, ProblemPage, PublicProgress, RegisterForm } from "./views.tsx";

export interface CampaignPageDeps extends CampaignApiDeps {
  attachments?: AttachmentStore;
  maxPhotoBytes: number;
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export function campaignPages(db: Db, d: CampaignPageDeps, auth: Auth): Router {
  const r = express.Router();
  const photos = multer({ storage: multer.memoryStorage(), limits: { fileSize: d.maxPhotoBytes, files: 6, fields: 30, fieldSize: 64 * 1024 } }).array("photos", 6);
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 20 * 1024 * 1024, files: 1, fields: 5 } }).single("file");
  const multipart = (m: express.RequestHandler) => (req: Request, res: Response, next: (e?: unknown) => void) =>
    m(req, res, (err?: unknown) => (err instanceof multer.MulterError ? next(new HttpError(400, "invalid_request", `upload refused: ${err.message}`)) : next(err)));
  const act = async <T,>(fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (err) {
      throw mapCampaignError(err);
    }
  };
  const canWrite = (res: Response) => !isCommittee(scopeOf(res).role);
  const id = (raw: unknown) => parse(DbId, raw, "campaign id");
  const estatesFor = async (res: Response, c: Awaited<ReturnType<typeof findCampaign>>) => {
    const s = scopeOf(res);
    return campaignEstates(db, c, { streetId: s.streetId, ...(isCommittee(s.role) ? { ids: s.estateIds ?? [] } : {}) });
  };
  const storePhotos = async (req: Request): Promise<StoredImage[]> => {
    const files = ((req.files as Express.Multer.File[] | undefined) ?? []).filter((f) => f.size > 0);
    if (files.length && !d.attachments) throw new HttpError(400, "invalid_request", "photos cannot be stored: no attachment store configured");
    const out: StoredImage[] = [];
    for (const f of files) {
      try {
        out.push(await storeImage(d.attachments!, f.buffer, { maxBytes: d.maxPhotoBytes, keyPrefix: "campaigns" }));
      } catch (err) {
        if (err instanceof ImageRefused) throw new HttpError(400, "invalid_request", `${f.originalname.slice(0, 60)}: ${err.message}`);
        throw err;
      }
    }
    return out;
  };
  const keys = (s: StoredImage[]) => s.map((x) => ({ storageKey: x.key, contentType: x.contentType, size: x.size }));

  r.get("/campaigns", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const rows = await listCampaigns(db, scopeOf(res));
    res.type("html").send(page(vw, vw.t("cp_campaigns"), renderFragment(<CampaignList vw={vw} rows={rows} canWrite={canWrite(res)} settings={d.settings()} now={d.clock.now()} />), { res }));
  });

  r.post("/campaigns", formBody({ extended: false, limit: "16kb" }), auth.requireCsrf, async (req, res) => {
    const b = req.body as Record<string, unknown>;
    const date = (k: string, end = false) => {
      const p = parseYmd(String(b[k] ?? ""));
      if (!p) throw new HttpError(400, "invalid_request", `${k}: give a date YYYY-MM-DD`);
      return fromLocal(p.year, p.month, p.day, end ? 23 : 0, end ? 59 : 0, d.timezone);
    };
    const categories = ([] as unknown[]).concat(b.categories ?? []).map(String);
    const name = str(b.name);
    if (!name) throw new HttpError(400, "invalid_request", "name the campaign");
    const c = await act(() =>
      createCampaign(db, d.settings(), scopeOf(res), { name, categories, phases: { inspect: [date("inspect_from"), date("inspect_to", true)], rectify: [date("rectify_from"), date("rectify_to", true)], accept: [date("accept_from"), date("accept_to", true)] } }),
    );
    res.redirect(303, `/dashboard/campaigns/${c.id}`);
  });

  r.get("/campaigns/:id", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const scope = scopeOf(res);
    const c = await act(() => findCampaign(db, scope, id(req.params.id)));
    const now = d.clock.now();
    const q = parse(z.object({ estate: z.string().max(64).optional(), state: z.enum(PROBLEM_STATES).optional(), after: z.coerce.number().int().min(0).optional(), done: z.string().max(30).optional(), lang: z.string().optional() }), req.query, "query");
    const filter = { estate: q.estate || undefined, state: q.state };
    const [figures, ledger, estates, inspected] = await Promise.all([
      campaignFigures(db, c, now, { streetId: scope.streetId, estateIds: isCommittee(scope.role) ? (scope.estateIds ?? []) : null }),
      listLedger(db, scope, c.id, filter, now, { limit: 200, after: q.after }),
      estatesFor(res, c),
      db.campaignInspection.count({ where: { campaignId: c.id, ...(scope.streetId !== null ? { estateId: { in: (await estatesFor(res, c)).map((e) => e.id) } } : {}) } }),
    ]);
    const notice = q.done ? vw.t(q.done === "registered" ? "cp_registered_ok" : "cp_done") : null;
    const body = <Ledger vw={vw} campaign={c} figures={figures} rows={ledger.items} nextAfter={ledger.nextAfter} settings={d.settings()} estates={estates} filter={filter} canWrite={canWrite(res)} inspected={inspected} now={now} notice={notice} />;
    res.type("html").send(page(vw, c.name, renderFragment(body), { res }));
  });

  r.get("/campaigns/:id/ledger.xlsx", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const scope = scopeOf(res);
    const c = await act(() => findCampaign(db, scope, id(req.params.id)));
    const now = d.clock.now();
    const estate = str(req.query.estate);
    const state = PROBLEM_STATES.find((s) => s === req.query.state);
    const body = await ledgerXlsx(await wholeLedger(db, scope, c.id, { estate, state }, now), { locale: vw.locale, settings: d.settings(), timezone: d.timezone, now });
    res.type(XLSX).attachment(`${c.name}-台账.xlsx`).send(body);
  });

  r.get("/campaigns/:id/estates/:code.pdf", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const f = await act(() => estateFile(db, scopeOf(res), id(req.params.id), String(req.params.code), { locale: vw.locale, timezone: d.timezone, settings: d.settings() }));
    res.type("application/pdf").attachment(f.filename).send(f.pdf);
  });

  r.get("/campaigns/:id/problems/new", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    if (!canWrite(res)) throw new HttpError(403, "forbidden", "read-only role");
    const c = await act(() => findCampaign(db, scopeOf(res), id(req.params.id)));
    res.type("html").send(page(vw, vw.t("cp_register"), renderFragment(<RegisterForm vw={vw} campaign={c} settings={d.settings()} estates={await estatesFor(res, c)} />), { res }));
  });

  r.post("/campaigns/:id/problems", multipart(photos), auth.requireCsrf, async (req, res) => {
    const b = req.body as Record<string, unknown>;
    const scope = scopeOf(res);
    const cid = id(req.params.id);
    const source = PROBLEM_SOURCES.find((s) => s === b.source) ?? "inspection";
    const kind = RESPONSIBLE_KINDS.find((s) => s === b.responsibleKind) ?? "company";
    const input = {
      estate: String(b.estate ?? ""),
      building: str(b.building),
      place: str(b.place),
      category: String(b.category ?? ""),
      description: String(b.description ?? ""),
      source,
      sourceRef: str(b.sourceRef),
      cases: (str(b.cases) ?? "").split(/[,，\s]+/).filter(Boolean),
      responsibleKind: kind,
      responsibleName: str(b.responsibleName),
      responsiblePerson: str(b.responsiblePerson),
    };
    try {
      const stored = await storePhotos(req);
      const p = await registerProblem(d, scope, cid, input);
      await addProblemPhotos(db, p.id, keys(stored));
      res.redirect(303, `/dashboard/campaigns/${cid}/problems/${p.id}?done=registered`);
    } catch (err) {
      // Refused: the form again with the reason, in its language; nothing kept.
      if (!(err instanceof CampaignError) && !(err instanceof HttpError && err.status === 400)) throw mapCampaignError(err);
      const vw = view(req, res, d.defaultLocale, d.timezone);
      const c = await act(() => findCampaign(db, scope, cid));
      res.status(400).type("html").send(page(vw, vw.t("cp_register"), renderFragment(<RegisterForm vw={vw} campaign={c} settings={d.settings()} estates={await estatesFor(res, c)} error={err.message} />), { res }));
    }
  });

  r.post("/campaigns/:id/import", multipart(upload), auth.requireCsrf, async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const file = req.file;
    if (!file) throw new HttpError(400, "invalid_request", "choose an .xlsx file");
    const dryRun = (req.body as Record<string, unknown>).dryRun === "true";
    const cid = id(req.params.id);
    const result = await act(() => importProblems(d, scopeOf(res), cid, file.buffer, { dryRun }));
    res.status(result.ok ? 200 : 400).type("html").send(page(vw, vw.t("cp_import"), renderFragment(<ImportResultView vw={vw} result={{ ...result, dryRun }} campaignId={cid} />), { res }));
  });

  r.post("/campaigns/:id/inspected", formBody({ extended: false, limit: "4kb" }), auth.requireCsrf, async (req, res) => {
    const cid = id(req.params.id);
    await act(() => recordInspected(d, scopeOf(res), cid, String((req.body as Record<string, unknown>).estate ?? "")));
    res.redirect(303, `/dashboard/campaigns/${cid}?done=inspected`);
  });

  r.get("/campaigns/:id/problems/:pid", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const p = await act(() => findProblem(db, scopeOf(res), id(req.params.id), parse(DbId, req.params.pid, "problem id")));
    const notice = typeof req.query.done === "string" ? vw.t(req.query.done === "registered" ? "cp_registered_ok" : "cp_done") : null;
    res.type("html").send(page(vw, `${p.campaign.name} · ${p.estate.name} #${p.seq}`, renderFragment(<ProblemPage vw={vw} p={p} settings={d.settings()} canWrite={canWrite(res)} notice={notice} />), { res }));
  });

  r.post("/campaigns/:id/problems/:pid/actions", multipart(photos), auth.requireCsrf, async (req, res) => {
    const b = req.body as Record<string, unknown>;
    const cid = id(req.params.id);
    const pid = parse(DbId, req.params.pid, "problem id");
    const action = PROBLEM_ACTIONS.find((a) => a === b.action && a !== "escalate") as ProblemAction | undefined;
    if (!action) throw new HttpError(400, "invalid_request", "unknown action");
    const days = str(b.deadlineWorkdays);
    const answer = (["satisfied", "fairly", "dissatisfied"] as const).find((a) => a === b.answer);
    const stored = await storePhotos(req);
    await act(() => applyProblemAction(d, scopeOf(res), cid, pid, action, { note: str(b.note), measure: str(b.measure), deadlineWorkdays: days ? parse(z.coerce.number().int().min(1).max(250), days, "deadline (working days)") : null, answer, expectState: str(b.expectState) }, keys(stored)));
    res.redirect(303, `/dashboard/campaigns/${cid}/problems/${pid}?done=${action}`);
  });

  r.get("/campaigns/:id/problems/:pid/notices/:round.pdf", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const round = parse(z.coerce.number().int().min(1).max(100), req.params.round, "round");
    const f = await act(() => rectificationNotice(db, scopeOf(res), id(req.params.id), parse(DbId, req.params.pid, "problem id"), round, { locale: vw.locale, timezone: d.timezone, settings: d.settings() }));
    res.type("application/pdf").attachment(f.filename).send(f.pdf);
  });

  r.get("/campaigns/:id/photos/:photo", async (req, res) => {
    const scope = scopeOf(res);
    const ph = await db.campaignPhoto.findUnique({ where: { id: parse(DbId, req.params.photo, "photo id") } });
    if (!ph || !d.attachments) throw new HttpError(404, "not_found", "no such photo");
    await act(() => findProblem(db, scope, id(req.params.id), ph.problemId));
    const obj = await d.attachments.get(ph.storageKey);
    if (!obj) throw new HttpError(404, "not_found", "the photo is not in the store");
    res.type(obj.contentType).setHeader("Cache-Control", "private, max-age=3600");
    obj.body.pipe(res);
  });
  return r;
}

/** /campaigns/<slug>: counts per estate for the public, no names, no descriptions. */
export function publicCampaignPage(db: Db, d: Pick<CampaignPageDeps, "defaultLocale" | "timezone" | "clock">): Router {
  const r = express.Router();
  r.get("/campaigns/:slug", async (req, res) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const c = await db.campaign.findUnique({ where: { publicSlug: String(req.params.slug) } });
    if (!c) throw new HttpError(404, "not_found", "no such campaign");
    const f = await campaignFigures(db, c, d.clock.now());
    res.type("html").send(page(vw, vw.t("cp_public_title"), renderFragment(<PublicProgress vw={vw} campaign={c} rows={f.estates} total={f.campaign} />), { nav: false }));
  });
  return r;
}
