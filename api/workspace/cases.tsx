// The workspace's cases: the company's open cases nearest deadline first, a case page, and the
// Telegram card's actions (bot/features/liaison.ts) through the same core calls — accept, message
// the resident (relayed; their identity stays hidden), resolve with a note and photos (the attachment
// store, core/attachments/case-photos.ts), ask an extension, "not ours". Another company's case,
// or a number that does not exist, reads as 404; an action the case's state no longer allows, 409.
import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import express from "express";
import { renderPage } from "../views/render.tsx";
import { HttpError } from "../http.ts";
import type { FrontDoorDeps } from "../frontdoor/deps.ts";
import { field } from "../frontdoor/sign-in/phone-sign-in.tsx";
import { FormRefused, limitText, multipart, storePhotos, uploadedPhotos } from "../frontdoor/uploads.ts";
import { canApply, LIAISON_OPEN_STATES, TransitionError, type CaseState } from "../../core/cases/lifecycle.ts";
import type { Actor, CaseRow } from "../../core/cases/case-service.ts";
import { liaisonMayWork } from "../../core/access/permissions.ts";
import { addCasePhotos } from "../../core/attachments/case-photos.ts";
import { prismaHotSql } from "../../core/db/hot-sql.ts";
import { addDuration } from "../../core/clocks/deadlines.ts";
import { workCsrfOk, workOf } from "./session.ts";
import { WorkCasePage, WorkCasesPage, type WorkCaseView } from "./pages.tsx";

const OPEN: readonly CaseState[] = LIAISON_OPEN_STATES;
const MESSAGE_STATES: readonly CaseState[] = [...OPEN, "resolved", "revisit"];
const WORK_STATES = ["routed", "accepted", "reopened"] as CaseState[];
const MAX_TEXT = 2000;
const EXTENSION_DAYS = [1, 2, 3];
/** What the liaison's history shows (not the office's internal notes). */
const SHOWN = new Set(["filed", "route", "assign", "accept", "resolve", "transfer", "reopen", "confirmFixed", "message", "photo", "satisfaction", "escalate", "extension_requested", "closeNoAnswer", "officeClose"]);
const nextDue = (c: { state: CaseState; responseDueAt: Date | null; resolutionDueAt: Date | null }) => (c.state === "routed" ? (c.responseDueAt ?? c.resolutionDueAt) : c.resolutionDueAt);

export function workCasePages(d: FrontDoorDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 10 });
  const when = (at: Date, res: Response) => new Intl.DateTimeFormat(workOf(res).locale === "en" ? "en-GB" : workOf(res).locale, { timeZone: d.timezone, dateStyle: "medium", timeStyle: "short" }).format(at);
  const upload = multipart(d, (res) => ({ signedIn: workOf(res).liaison !== null, say: workOf(res).say }));
  const actor = (res: Response): Actor => ({ type: "liaison", id: workOf(res).liaison!.id });

  /** The company's case by number; anything else is "not found". */
  const companyCase = async (res: Response, number: string): Promise<CaseRow> => {
    const l = workOf(res).liaison!;
    const c = /^[\w-]{1,30}$/.test(number) ? await d.db.case.findUnique({ where: { number }, include: { estate: true, building: true, unit: true } }) : null;
    if (!c || !liaisonMayWork(l, c)) throw new HttpError(404, "not_found", workOf(res).say("w_not_found"));
    return c;
  };

  const extensionOptions = (c: CaseRow) => {
    const calendar = d.calendar?.();
    if (!c.resolutionDueAt || !calendar) return [];
    const dctx = { timezone: d.timezone, calendar };
    return EXTENSION_DAYS.map((n) => ({ n, due: addDuration(c.resolutionDueAt!, { amount: n, unit: "workdays" }, dctx) }));
  };

  const show = async (req: Request<{ number: string }>, res: Response, extra: Partial<WorkCaseView> = {}, status = 200) => {
    const c = await companyCase(res, req.params.number);
    const { say, locale } = workOf(res);
    const [events, photos, pending] = await Promise.all([
      d.db.caseEvent.findMany({ where: { caseId: c.id }, orderBy: { id: "asc" } }),
      d.db.attachment.findMany({ where: { caseId: c.id, storeStatus: "stored" }, orderBy: { id: "asc" }, select: { id: true } }),
      d.db.extensionRequest.findFirst({ where: { caseId: c.id, status: "pending" } }),
    ]);
    const due = nextDue(c);
    const cv: WorkCaseView = {
      number: c.number,
      category: d.categories.label(c.category, locale),
      state: say(`state_${c.state}`),
      description: c.description,
      place: [c.estate?.name, c.building?.name, c.unit?.name].filter(Boolean).join(" "),
      due: due && OPEN.includes(c.state) ? when(due, res) : null,
      photos: photos.map((p, i) => ({ url: `/w/cases/${encodeURIComponent(c.number)}/photos/${p.id}`, alt: say("w_photo_alt", { n: i + 1 }) })),
      events: events
        .filter((e) => SHOWN.has(e.type))
        .map((e) => ({ at: when(e.at, res), what: e.type === "message" ? `${say("ev_message")} · ${say((e.data as { direction?: string } | null)?.direction === "to_resident" ? "w_from_company" : "w_from_resident")}` : say(`ev_${e.type}`), note: ["message", "resolve", "reopen", "transfer", "extension_requested"].includes(e.type) ? e.note : null })),
      can: {
        accept: canApply("accept", c.state) && ["routed", "reopened"].includes(c.state),
        message: MESSAGE_STATES.includes(c.state) && c.residentId !== null,
        resolve: canApply("resolve", c.state) && WORK_STATES.includes(c.state),
        extend: OPEN.includes(c.state) && c.resolutionDueAt !== null && !pending,
        transfer: canApply("transfer", c.state) && WORK_STATES.includes(c.state),
      },
      extendOptions: extensionOptions(c).map((o) => ({ n: o.n, label: say("w_extend_option", { n: o.n, due: when(o.due, res) }) })),
      ...extra,
    };
    res.set("Cache-Control", "no-store");
    res.status(status).type("html").send(renderPage(<WorkCasePage v={workOf(res)} c={cv} />));
  };

  const csrf = (req: Request, res: Response) => {
    if (!workCsrfOk(d, req, res)) throw new HttpError(403, "csrf", workOf(res).say("expired_form"));
  };
  /** A transition the state has left: the page again, with where the case stands. */
  const stale = (req: Request<{ number: string }>, res: Response, number: string, state: CaseState) => show(req, res, { error: workOf(res).say("w_stale", { number, state: workOf(res).say(`state_${state}`) }) }, 409);

  r.get("/w/", async (_req, res) => {
    const l = workOf(res).liaison!;
    const { say, locale } = workOf(res);
    const rows = await d.db.case.findMany({ where: { companyId: l.companyId, state: { in: [...OPEN] } }, include: { estate: true }, take: 500 });
    const far = Number.MAX_SAFE_INTEGER;
    rows.sort((a, b) => (nextDue(a)?.getTime() ?? far) - (nextDue(b)?.getTime() ?? far) || a.id - b.id);
    const now = d.clock.now().getTime();
    const company = await d.db.company.findUnique({ where: { id: l.companyId } });
    const items = rows.slice(0, 100).map((c) => {
      const due = nextDue(c);
      return { number: c.number, category: d.categories.label(c.category, locale), estate: c.estate?.name ?? "", state: say(`state_${c.state}`), due: due ? when(due, res) : say("w_no_due"), overdue: due !== null && due.getTime() < now };
    });
    res.set("Cache-Control", "no-store");
    res.type("html").send(renderPage(<WorkCasesPage v={workOf(res)} items={items} company={company?.name ?? ""} />));
  });

  r.get("/w/cases/:number", (req, res) => show(req, res));

  r.get("/w/cases/:number/photos/:id", async (req: Request<{ number: string; id: string }>, res) => {
    const c = await companyCase(res, req.params.number);
    const id = /^\d{1,9}$/.test(req.params.id) ? Number(req.params.id) : 0;
    const a = await d.db.attachment.findFirst({ where: { id, caseId: c.id, storeStatus: "stored" } });
    const obj = a?.storageKey ? await d.attachments.get(a.storageKey) : null;
    if (!a || !obj) throw new HttpError(404, "not_found", workOf(res).say("w_not_found"));
    res.set({ "Content-Type": a.contentType ?? obj.contentType, "Content-Length": String(obj.size), "Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff" });
    try {
      await pipeline(obj.body, res);
    } catch (err) {
      d.log.warn({ err, caseId: c.id }, "workspace: photo stream failed");
    }
  });

  r.post("/w/cases/:number/accept", form, async (req: Request<{ number: string }>, res) => {
    csrf(req, res);
    const c = await companyCase(res, req.params.number);
    try {
      await d.cases.apply(c.id, "accept", actor(res), { expect: ["routed", "reopened"], liaison: workOf(res).liaison! });
    } catch (err) {
      if (err instanceof TransitionError) return stale(req, res, c.number, err.state);
      throw err;
    }
    await show(req, res, { notice: workOf(res).say("w_accepted", { number: c.number }) });
  });

  r.post("/w/cases/:number/message", form, async (req: Request<{ number: string }>, res) => {
    csrf(req, res);
    const c = await companyCase(res, req.params.number);
    const { say } = workOf(res);
    const raw = typeof req.body?.text === "string" ? (req.body.text as string).replace(/\0/g, "").trim() : "";
    if (!raw) return show(req, res, { error: say("w_need_text") }, 400);
    if (raw.length > MAX_TEXT) return show(req, res, { error: say("too_long", { max: MAX_TEXT }) }, 400);
    if (!MESSAGE_STATES.includes(c.state)) return stale(req, res, c.number, c.state);
    if (!c.residentId) return show(req, res, { error: say("w_no_resident") }, 409);
    await d.db.$transaction(async (tx) => {
      await d.cases.record(c.id, "message", actor(res), raw, { direction: "to_resident", channel: "web" }, tx);
      await d.tellResident?.(tx, c, raw);
    });
    d.wakeOutbox?.();
    await show(req, res, { notice: say("w_message_sent") });
  });

  r.post("/w/cases/:number/resolve", upload, async (req: Request<{ number: string }>, res) => {
    const c = await companyCase(res, req.params.number);
    const { say } = workOf(res);
    if (res.locals.formError) return show(req, res, { error: `${limitText(say, res.locals.formError as string, d.maxPhotoBytes, MAX_TEXT)} ${say("nothing_saved")}` }, 400);
    const note = typeof req.body?.note === "string" ? (req.body.note as string).replace(/\0/g, "").trim() : "";
    if (!note) return show(req, res, { error: say("w_need_text") }, 400);
    if (note.length > MAX_TEXT) return show(req, res, { error: say("too_long", { max: MAX_TEXT }) }, 400);
    if (!WORK_STATES.includes(c.state)) return stale(req, res, c.number, c.state);
    let photos;
    try {
      photos = await storePhotos(d.attachments, uploadedPhotos(req), d.maxPhotoBytes, say);
    } catch (err) {
      if (err instanceof FormRefused) return show(req, res, { error: `${err.message} ${say("nothing_saved")}` }, 400);
      throw err;
    }
    const now = d.clock.now();
    try {
      await d.cases.apply(c.id, "resolve", actor(res), {
        note,
        // Telegram file ids only (the bot's resident gets them as photos); these are in the store and on the case page.
        data: { photos: [], storedPhotos: photos.length, channel: "web" },
        expect: WORK_STATES,
        andThen: (tx) => addCasePhotos(prismaHotSql(tx), c.id, photos.map((p) => ({ storageKey: p.key, contentType: p.contentType, size: p.size, source: "web" as const })), { addedBy: "liaison", at: now }).then(() => undefined),
      });
    } catch (err) {
      if (err instanceof TransitionError) return stale(req, res, c.number, err.state);
      throw err;
    }
    await show(req, res, { notice: say("w_resolved", { number: c.number }) });
  });

  r.post("/w/cases/:number/extend", form, async (req: Request<{ number: string }>, res) => {
    csrf(req, res);
    const c = await companyCase(res, req.params.number);
    const { say } = workOf(res);
    const l = workOf(res).liaison!;
    const reason = field(req.body, "reason", 500);
    if (!reason) return show(req, res, { error: say("w_need_text") }, 400);
    const option = extensionOptions(c).find((o) => String(o.n) === field(req.body, "days", 3));
    if (!OPEN.includes(c.state) || !option) return stale(req, res, c.number, c.state);
    if (await d.db.extensionRequest.findFirst({ where: { caseId: c.id, status: "pending" } })) return show(req, res, { error: say("w_extend_pending", { number: c.number }) }, 409);
    const now = d.clock.now();
    await d.db.$transaction(async (tx) => {
      const ext = await tx.extensionRequest.create({ data: { caseId: c.id, requestedBy: String(l.id), reason, requestedDueAt: option.due, createdAt: now } });
      await d.cases.record(c.id, "extension_requested", actor(res), reason, { requestId: ext.id, from: c.resolutionDueAt!.toISOString(), to: option.due.toISOString(), channel: "web" }, tx);
      await d.tellOfficeExtension?.(tx, c, { id: ext.id, liaison: l, reason, due: option.due });
    });
    d.wakeOutbox?.();
    await show(req, res, { notice: say("w_extend_sent", { due: when(option.due, res) }) });
  });

  r.post("/w/cases/:number/transfer", form, async (req: Request<{ number: string }>, res) => {
    csrf(req, res);
    const c = await companyCase(res, req.params.number);
    const say = workOf(res).say;
    const reason = field(req.body, "reason", 500);
    if (!reason) return show(req, res, { error: say("w_need_text") }, 400);
    try {
      await d.cases.apply(c.id, "transfer", actor(res), { note: reason, data: { companyId: c.companyId, liaisonId: c.liaisonId }, expect: WORK_STATES, company: null });
    } catch (err) {
      if (err instanceof TransitionError) return stale(req, res, c.number, err.state);
      throw err;
    }
    // The case left the company: back to the list, which no longer shows it.
    res.redirect(303, `/w/?done=${encodeURIComponent(c.number)}`);
  });
  return r;
}
