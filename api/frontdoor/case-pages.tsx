// "My cases" and a case's page for the resident who filed it: status and timeline in their
// language, adding information or photos (the liaison is told), and the revisit answered on the
// page (fixed → closed; not fixed → reopened) through the same RevisitService as the bot. The case's
// photos are shown from the attachment store to that resident's session only; "my cases" shows the
// one-time code that links this resident to a Telegram account (core/residents/link-codes.ts).
import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import express from "express";
import { renderPage } from "../views/render.tsx";
import { HttpError } from "../http.ts";
import { TransitionError } from "../../core/cases/lifecycle.ts";
import { CasePage, CasesPage, type CaseView } from "./pages.tsx";
import { csrfOk, visitOf } from "./session.ts";
import { residentOr } from "./filing.tsx";
import { hasString } from "./strings.ts";
import { FormRefused, limitText, multipart, storePhotos, uploadedPhotos } from "./uploads.ts";
import { addCasePhotos } from "../../core/attachments/case-photos.ts";
import { prismaHotSql } from "../../core/db/hot-sql.ts";
import type { FrontDoorDeps } from "./deps.ts";
import { LINK_CODE_MINUTES, linkCodeFor } from "../../core/residents/link-codes.ts";
import { residentOwns } from "../../core/access/permissions.ts";

const MAX_INFO = 2000;
/** Events a resident sees; internal notes, reminders and the like stay in the office's view. */
const SHOWN = new Set(["filed", "hold", "release", "reject", "route", "unroutable", "assign", "accept", "resolve", "transfer", "startRevisit", "confirmFixed", "reopen", "closeNoAnswer", "officeClose", "message", "photo", "satisfaction", "escalate"]);

export function casePages(d: FrontDoorDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 });
  // Dates as the resident's language writes them (2026年12月2日 15:17), in the service's time zone.
  const when = (at: Date, res: Response) => new Intl.DateTimeFormat(visitOf(res).view.locale === "en" ? "en-GB" : visitOf(res).view.locale, { timeZone: d.timezone, dateStyle: "medium", timeStyle: "short" }).format(at);

  const own = async (res: Response, number: string) => {
    const resident = residentOr(res, false);
    if (!resident) return null;
    const c = await d.db.case.findUnique({ where: { number }, include: { events: { orderBy: { id: "asc" } }, attachments: { orderBy: { id: "asc" }, select: { id: true, storeStatus: true } } } });
    // Someone else's case looks the same as none.
    if (!c || !residentOwns(resident, c)) throw new HttpError(404, "not_found", visitOf(res).view.say("not_found"));
    return { resident, c };
  };

  const show = async (req: Request<{ number: string }>, res: Response, extra: Partial<CaseView> = {}, status = 200) => {
    const found = await own(res, req.params.number);
    if (!found) return;
    const { c } = found;
    const { view } = visitOf(res);
    const say = view.say;
    const cv: CaseView = {
      number: c.number,
      category: d.categories.label(c.category, view.locale),
      state: say(`state_${c.state}`),
      description: c.description,
      filedAt: when(c.createdAt, res),
      dueAt: c.resolutionDueAt && !["resolved", "revisit", "closed"].includes(c.state) ? when(c.resolutionDueAt, res) : null,
      photos: c.attachments.map((a, i) => ({
        url: `/r/cases/${encodeURIComponent(c.number)}/photos/${a.id}`,
        status: a.storeStatus === "stored" ? ("stored" as const) : a.storeStatus === "pending" ? ("pending" as const) : ("failed" as const),
        alt: say("photo_alt", { n: i + 1 }),
      })),
      awaiting: c.state === "awaiting_approval",
      rejectReason: [...c.events].reverse().find((e) => e.type === "reject")?.note ?? null,
      events: c.events
        .filter((e) => SHOWN.has(e.type) && hasString(`ev_${e.type}`))
        // Only what was said to or by the resident (not the route's rule explanation).
        .map((e) => ({ at: when(e.at, res), what: say(`ev_${e.type}`), note: e.type === "satisfaction" ? String((e.data as { score?: number } | null)?.score ?? "") : ["message", "resolve", "reopen", "reject"].includes(e.type) ? e.note : null })),
      canAnswerRevisit: c.state === "resolved" || c.state === "revisit",
      canAddInfo: c.state !== "closed",
      justFiled: req.query.filed === "1" && c.state !== "closed",
      ...extra,
    };
    res.status(status).type("html").send(renderPage(<CasePage v={view} c={cv} />));
  };

  r.get("/r/cases", async (_req, res) => {
    const resident = residentOr(res, false);
    if (!resident) return;
    const { view } = visitOf(res);
    const rows = await d.db.case.findMany({ where: { residentId: resident.id }, orderBy: { id: "desc" }, take: 50 });
    const items = rows.map((c) => ({ number: c.number, category: d.categories.label(c.category, view.locale), state: view.say(`state_${c.state}`), filedAt: when(c.createdAt, res) }));
    // Not linked yet: the code to send to the bot (a Mini App visit is linked already).
    const link = resident.telegramUserId === null ? await linkCodeFor(d.db, resident.id, d.clock.now()) : null;
    res.set("Cache-Control", "no-store");
    res.type("html").send(renderPage(<CasesPage v={view} items={items} link={link ? { code: link.code, minutes: LINK_CODE_MINUTES } : null} linked={resident.telegramUserId !== null} />));
  });

  // A photo of the resident's own case, from the attachment store; anyone else's reads as not found.
  r.get("/r/cases/:number/photos/:id", async (req: Request<{ number: string; id: string }>, res) => {
    const found = await own(res, req.params.number);
    if (!found) return;
    const { view } = visitOf(res);
    const id = /^\d{1,9}$/.test(req.params.id) ? Number(req.params.id) : 0;
    const a = await d.db.attachment.findFirst({ where: { id, caseId: found.c.id } });
    if (!a) throw new HttpError(404, "not_found", view.say("not_found"));
    if (a.storeStatus !== "stored" || !a.storageKey) throw new HttpError(a.storeStatus === "pending" ? 404 : 410, "not_stored", view.say(a.storeStatus === "pending" ? "photo_pending" : "photo_failed"));
    const obj = await d.attachments.get(a.storageKey);
    if (!obj) throw new HttpError(410, "not_stored", view.say("photo_failed"));
    res.set({ "Content-Type": a.contentType ?? obj.contentType, "Content-Length": String(obj.size), "Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff" });
    try {
      await pipeline(obj.body, res);
    } catch (err) {
      d.log.warn({ err, caseId: found.c.id, attachmentId: a.id }, "front door: photo stream failed");
    }
  });

  r.get("/r/cases/:number", (req, res) => show(req, res));

  r.post("/r/cases/:number/info", multipart(d), async (req: Request<{ number: string }>, res) => {
    const { view } = visitOf(res);
    if (!csrfOk(d, req, res)) throw new HttpError(403, "csrf", view.say("expired_form"));
    const found = await own(res, req.params.number);
    if (!found) return;
    const { resident, c } = found;
    const refuse = (error: string) => show(req, res, { error: `${error} ${view.say("nothing_saved")}` }, 400);
    if (res.locals.formError) return refuse(limitText(view.say, res.locals.formError as string, d.maxPhotoBytes, MAX_INFO));
    const raw = typeof req.body?.text === "string" ? (req.body.text as string).replace(/\0/g, "").trim() : "";
    if (raw.length > MAX_INFO) return refuse(view.say("too_long", { max: MAX_INFO }));
    const files = uploadedPhotos(req);
    if (!raw && files.length === 0) return refuse(view.say("need_text"));
    if (c.state === "closed") throw new HttpError(409, "conflict", view.say("state_closed"));
    let photos;
    try {
      photos = await storePhotos(d.attachments, files, d.maxPhotoBytes, view.say);
    } catch (err) {
      if (err instanceof FormRefused) return refuse(err.message);
      throw err;
    }
    const actor = { type: "resident" as const, id: resident.id };
    const now = d.clock.now();
    await d.db.$transaction(async (tx) => {
      if (raw) await d.cases.record(c.id, "message", actor, raw, { direction: "to_liaison", channel: "web" }, tx);
      for (const p of photos) {
        await addCasePhotos(prismaHotSql(tx), c.id, [{ storageKey: p.key, contentType: p.contentType, size: p.size, source: "web" }], { addedBy: "resident", at: now });
        await d.cases.record(c.id, "photo", actor, undefined, { storageKey: p.key, direction: "to_liaison" }, tx);
      }
      await d.tellLiaison(tx, c, raw || null, photos.length);
    });
    d.wakeOutbox?.();
    await show(req, res, { notice: view.say("info_sent") });
  });

  r.post("/r/cases/:number/revisit", form, async (req: Request<{ number: string }>, res) => {
    const { view } = visitOf(res);
    if (!csrfOk(d, req, res)) throw new HttpError(403, "csrf", view.say("expired_form"));
    const found = await own(res, req.params.number);
    if (!found) return;
    const { resident, c } = found;
    const fixed = req.body?.fixed === "yes" ? true : req.body?.fixed === "no" ? false : null;
    const score = Number(req.body?.score);
    if (fixed === null) throw new HttpError(400, "invalid_request", view.say("revisit_q"));
    try {
      await d.revisit.answerFixed(c.id, resident.id, fixed);
    } catch (err) {
      // Answered twice (another tab, a double tap): the page shows where the case stands now.
      if (!(err instanceof TransitionError)) throw err;
      return show(req, res);
    }
    if (Number.isInteger(score) && score >= 1 && score <= 5) await d.revisit.rate(c.id, resident.id, score);
    await show(req, res, { notice: view.say(fixed ? "thanks_closed" : "thanks_reopened") });
  });
  return r;
}
