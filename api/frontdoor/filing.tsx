// The one-screen filing form (/r/file), its live suggestion (/r/suggest: the same free-text
// understanding as the bot), and the filing itself through the case service (channel "web"),
// photos through the attachment store. The case number is on the next screen at once.
import { Router, type Request, type Response } from "express";
import { randomBytes } from "node:crypto";
import { renderPage } from "../views/render.tsx";
import { HttpError } from "../http.ts";
import { MAX_DESCRIPTION } from "../../core/cases/case-service.ts";
import type { CaseKind } from "../../core/db/generated/prisma/enums.ts";
import { FilePage, MessagePage, type FileView } from "./pages.tsx";
import { csrfOk, visitOf } from "./session.ts";
import { FormRefused, limitText, MAX_PHOTOS, multipart, storePhotos, uploadedPhotos } from "./uploads.ts";
import type { FrontDoorDeps } from "./deps.ts";

const KINDS = new Set<CaseKind>(["repair", "complaint", "suggestion"]);

/** The signed-in resident, or a page telling them to scan first (or, for filing, that they were not approved). */
export function residentOr(res: Response, mayFile: boolean) {
  const { resident, view } = visitOf(res);
  if (!resident) {
    res.status(401).type("html").send(renderPage(<MessagePage v={view} title={view.say("reg_title")} text={view.say("login_needed")} />));
    return null;
  }
  // A pending resident files all the same: the case service holds the case until the office approves.
  if (mayFile && resident.status === "rejected") {
    res.type("html").send(renderPage(<MessagePage v={view} title={view.say("file_title")} text={view.say("rejected")} />));
    return null;
  }
  return resident;
}

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
    if (str("description").trim().length > MAX_DESCRIPTION) return refuse(view.say("too_long", { max: MAX_DESCRIPTION }));
    const files = uploadedPhotos(req);
    if (!values.description && files.length === 0) return refuse(view.say("need_text"));
    const category = d.categories.get(values.category);
    if (!category) return refuse(view.say("need_category"));
    const asked = values.kind as CaseKind;
    const kind: CaseKind = KINDS.has(asked) && category.kinds.includes(asked) ? asked : (category.kinds[0] as CaseKind);
    const draft = /^[A-Za-z0-9_-]{8,32}$/.test(str("draft")) ? str("draft") : randomBytes(12).toString("base64url");
    let photos;
    try {
      photos = await storePhotos(d.attachments, files, d.maxPhotoBytes, view.say);
    } catch (err) {
      if (err instanceof FormRefused) return refuse(err.message);
      throw err;
    }
    const emergency = d.understander.understand(values.description, view.locale).emergency;
    const { case: c, created } = await d.cases.file({
      sourceKey: `web:${resident.id}:${draft}`,
      channel: "web",
      residentId: resident.id,
      kind,
      category: category.code,
      description: values.description || view.say("photos"),
      urgencyHint: values.urgent || emergency,
      estateId: resident.estateId!,
      buildingId: resident.buildingId,
      unitId: resident.unitId,
      actor: { type: "resident", id: resident.id },
    });
    if (created && photos.length > 0) {
      const now = d.clock.now();
      await d.db.$transaction(async (tx) => {
        for (const p of photos) {
          await tx.attachment.create({ data: { caseId: c.id, fileId: `web:${p.key}`, addedBy: "resident", storeStatus: "stored", storageKey: p.key, contentType: p.contentType, size: p.size, createdAt: now } });
          await d.cases.record(c.id, "photo", { type: "resident", id: resident.id }, undefined, { storageKey: p.key, direction: "to_liaison" }, tx);
        }
      });
    }
    d.log.info({ caseId: c.id, residentId: resident.id, photos: photos.length, created }, "front door: case filed");
    res.redirect(303, `/r/cases/${encodeURIComponent(c.number)}?filed=1`);
  });
  return r;
}
