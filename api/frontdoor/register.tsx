// /r/<signed place>: the link in a poster's QR code. A resident registers once to a unit of that
// estate (building): verified at once with the estate's invite code (as in the bot), otherwise
// pending: they may file, and their cases wait for the office's approval (core/residents/approval.ts). A forged or altered link gets a clear 400 page.
import { Router, type Request, type Response } from "express";
import express from "express";
import { renderPage } from "../views/render.tsx";
import { HttpError } from "../http.ts";
import { MessagePage, RegisterPage, type RegisterView } from "./pages.tsx";
import { readPlaceToken } from "./tokens.ts";
import { csrfOk, signIn, visitOf } from "./session.ts";
import type { FrontDoorDeps } from "./deps.ts";
import { residentByPhone, sendResidentCode } from "./sign-in/phone-sign-in.tsx";
import { normalPhone } from "../../core/access/phone-codes.ts";

/** A place link, signed or not (anything else under /r/ is another page). */
const LOOKS_LIKE_TOKEN = /^\d+\.\d+\./;
const PHONE = /^\+?\d{11,15}$/;

async function placeOf(d: FrontDoorDeps, token: string) {
  const place = readPlaceToken(d.secret, token);
  if (!place) return null;
  const estate = await d.db.estate.findUnique({
    where: { id: place.estateId },
    include: { buildings: { where: { active: true, ...(place.buildingId ? { id: place.buildingId } : {}) }, orderBy: { id: "asc" }, include: { units: { where: { active: true }, orderBy: { id: "asc" } } } } },
  });
  if (!estate || !estate.active || estate.buildings.length === 0) return null;
  return { place, estate };
}

export function registerPages(d: FrontDoorDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 });

  const badLink = (res: Response) => {
    const { view } = visitOf(res);
    res.status(400).type("html").send(renderPage(<MessagePage v={view} title={view.say("bad_link")} text={view.say("bad_link_help")} />));
  };

  const show = (res: Response, token: string, p: NonNullable<Awaited<ReturnType<typeof placeOf>>>, extra: Partial<RegisterView> = {}, status = 200) => {
    const { view } = visitOf(res);
    const rv: RegisterView = { token, estateName: p.estate.name, buildings: p.estate.buildings.map((b) => ({ id: b.id, name: b.name, units: b.units.map((u) => ({ id: u.id, name: u.name })) })), ...extra };
    res.status(status).type("html").send(renderPage(<RegisterPage v={view} r={rv} />));
  };

  r.get("/r/:token", async (req: Request<{ token: string }>, res, next) => {
    if (!LOOKS_LIKE_TOKEN.test(req.params.token)) return next();
    const p = await placeOf(d, req.params.token);
    if (!p) return badLink(res);
    // Already registered in this browser: straight to the form (a resident moving gets a new registration).
    const { resident } = visitOf(res);
    if (resident && resident.estateId === p.estate.id) return res.redirect(303, "/r/file");
    show(res, req.params.token, p);
  });

  r.post("/r/:token", form, async (req: Request<{ token: string }>, res, next) => {
    if (!LOOKS_LIKE_TOKEN.test(req.params.token)) return next();
    const p = await placeOf(d, req.params.token);
    if (!p) return badLink(res);
    const { view } = visitOf(res);
    if (!csrfOk(d, req, res)) throw new HttpError(403, "csrf", view.say("expired_form"));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string).replace(/\0/g, "").trim() : "");
    const values = { unitId: str("unitId"), name: str("name").slice(0, 40), phone: str("phone").replace(/[\s-]/g, "") };
    const unit = p.estate.buildings.flatMap((b) => b.units.map((u) => ({ ...u, buildingId: b.id }))).find((u) => String(u.id) === values.unitId);
    if (!unit) return show(res, req.params.token, p, { values, error: view.say("bad_unit") }, 400);
    if (values.phone && !PHONE.test(values.phone)) return show(res, req.params.token, p, { values, error: view.say("bad_phone") }, 400);
    const invite = str("invite");
    if (invite && invite.toUpperCase() !== p.estate.inviteCode.toUpperCase()) return show(res, req.params.token, p, { values, error: view.say("wrong_code") }, 400);
    // A number someone registered already: that resident, proven by a code — no second registration, no second approval.
    const known = values.phone ? normalPhone(values.phone) : null;
    if (known && (await residentByPhone(d, known))) return sendResidentCode(d, req, res, known, "/r/file", "known_phone");
    const resident = await d.db.resident.create({
      data: {
        name: values.name || view.say("app"),
        language: view.locale,
        channel: "web",
        status: invite ? "verified" : "pending",
        phone: (values.phone && normalPhone(values.phone)) || values.phone || null,
        smsConsent: !!values.phone && body.sms === "1",
        smsConsentAt: values.phone && body.sms === "1" ? d.clock.now() : null,
        estateId: p.estate.id,
        buildingId: unit.buildingId,
        unitId: unit.id,
      },
    });
    d.log.info({ residentId: resident.id, estateId: p.estate.id, status: resident.status }, "front door: resident registered");
    signIn(d, res, resident.id);
    res.redirect(303, "/r/file");
  });
  return r;
}
