// The one-screen filing form (/r/file), its live suggestion (/r/suggest: the same free-text
// understanding as the bot), and the filing itself: a translator into the one intake
// (core/cases/intake.ts, channel "web"), which files the case and its photos — checked and put in the
// attachment store first — in one transaction. The case number is on the next screen at once.
import { Router, type Request, type Response } from "express";
import { randomBytes } from "node:crypto";
import { renderPage } from "../views/render.tsx";
import { HttpError } from "../http.ts";
import { descriptionRefusal, fileIntake, INTAKE_LIMITS, type IntakeRefusal } from "../../core/cases/intake.ts";
import type { CaseKind } from "../../core/db/generated/prisma/enums.ts";
import { FilePage, MessagePage, type FileView } from "./pages.tsx";
import { csrfOk, visitOf } from "./session.ts";
import { loginPage, safeNext } from "./sign-in/phone-sign-in.tsx";
import { FormRefused, limitText, MAX_PHOTOS, multipart, storePhotos, uploadedPhotos } from "./uploads.ts";
import type { FrontDoorDeps } from "./deps.ts";

const KINDS = new Set<CaseKind>(["repair", "complaint", "suggestion"]);
const MAX_DESCRIPTION = INTAKE_LIMITS.maxDescription;

/** The signed-in resident, or a page telling them to scan first (or, for filing, that they were not approved). */
export function residentOr(res: Response, mayFile: boolean) {
  const { resident, view } = visitOf(res);
  if (!resident) {
    // Another browser than the one that registered (an SMS link opened outside WeChat): sign in by phone, then on to the page.
    const next = safeNext(res.req.originalUrl, "/r/", "/r/cases");
    loginPage(res, view, { action: "/r/login", step: "phone", next, notice: `${view.say("login_needed")} ${view.say("login_or")}` }, 401);
    return null;
  }
  // A pending resident files all the same: the case service holds the case until the office approves.
  if (mayFile && resident.status === "rejected") {
    res.type("html").send(renderPage(<MessagePage v={view} title={view.say("file_title")} text={view.say("rejected")} />));
    return null;
  }
  return resident;
}

/** The intake's refusals in the form's words. */
function refusalText(say: FileViewSay, r: IntakeRefusal): string {
  if (r.code === "too_long") return say("too_long", { max: r.max });
  if (r.code === "too_many_photos") return say("too_many", { n: r.max });
  if (r.code === "empty") return say("need_text");
  if (r.code === "rejected") return say("rejected");
  if (r.code === "not_registered" || r.code === "pending") return say("login_needed");
  return say("need_category");
}
type FileViewSay = Parameters<typeof limitText>[0];

export function filingPages(d: FrontDoorDeps): Router {
  const r = Router();

  const show = (res: Response, extra: Partial<FileView> = {}, status = 200) => {
    const { view } = visitOf(res);
    const f: FileView = {
      draft: randomBytes(12).toString("base64url"),
      categories: d.categories.list.map((c) => ({ code: c.code, label: c.label[view.locale], kinds: c.kinds })),
      maxPhotos: MAX_PHOTOS,
      maxDescription: MAX_DESCRIPTION,
      notice: visitOf(res).resident?.status === "pending" ? view.say("awaiting_note") : null,
      ...extra,
    };
    res.status(status).type("html").send(renderPage(<FilePage v={view} f={f} />));
  };

  r.get("/r/file", (_req, res) => {
    if (!residentOr(res, true)) return;
    show(res);
  });

  r.get("/r/suggest", (req, res) => {
    const { resident, view } = visitOf(res);
    if (!resident) throw new HttpError(401, "unauthorized", view.say("login_needed"));
    const text = typeof req.query.text === "string" ? req.query.text.slice(0, 2000) : "";
    const u = d.understander.understand(text, view.locale);
    const label = (code: string | null) => (code ? d.categories.label(code, view.locale) : null);
    res.json({ kind: u.kind, category: u.category, label: label(u.category), emergency: u.emergency, confidence: u.confidence, alternatives: u.alternatives.slice(0, 3).map((a) => ({ category: a.category, label: label(a.category) })) });
  });

  r.post("/r/file", multipart(d), async (req: Request, res) => {
    const { view } = visitOf(res);
    if (!csrfOk(d, req, res)) throw new HttpError(403, "csrf", view.say("expired_form"));
    const resident = residentOr(res, true);
    if (!resident) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string).replace(/\0/g, "") : "");
    const values = { description: str("description").trim().slice(0, MAX_DESCRIPTION), category: str("category"), kind: str("kind"), urgent: body.urgent === "1" };
    const refuse = (error: string) => show(res, { values, error: `${error} ${view.say("nothing_saved")}` }, 400);
    if (res.locals.formError) return refuse(limitText(view.say, res.locals.formError as string, d.maxPhotoBytes, MAX_DESCRIPTION));
    const files = uploadedPhotos(req);
    // Checked before the photos go into the store; the intake decides the same again when filing.
    const early = descriptionRefusal(str("description").trim(), files.length);
    if (early) return refuse(refusalText(view.say, early));
    if (!d.categories.get(values.category)) return refuse(view.say("need_category"));
    const asked = values.kind as CaseKind;
    const draft = /^[A-Za-z0-9_-]{8,32}$/.test(str("draft")) ? str("draft") : randomBytes(12).toString("base64url");
    let photos;
    try {
      photos = await storePhotos(d.attachments, files, d.maxPhotoBytes, view.say);
    } catch (err) {
      if (err instanceof FormRefused) return refuse(err.message);
      throw err;
    }
    const filed = await fileIntake(d, {
      channel: "web",
      key: draft,
      resident,
      kind: KINDS.has(asked) ? asked : undefined,
      category: values.category,
      description: str("description").trim() || view.say("photos"),
      urgent: values.urgent,
      locale: view.locale,
      photos: photos.map((p) => ({ storageKey: p.key, contentType: p.contentType, size: p.size, source: "web" })),
      actor: { type: "resident", id: resident.id },
    });
    if (!filed.ok) return refuse(refusalText(view.say, filed.refusal));
    const { case: c, created } = filed;
    d.log.info({ caseId: c.id, residentId: resident.id, photos: photos.length, created }, "front door: case filed");
    res.redirect(303, `/r/cases/${encodeURIComponent(c.number)}?filed=1`);
  });
  return r;
}
