// Residents sign in by phone, in any browser (/r/login): number → a 6-digit SMS code → signed in,
// then on to where the SMS link pointed (`next`, e.g. /r/cases/2026-000119). WeChat's in-app browser
// and the phone's own browser never share cookies, so this is the ordinary way back to a case. The
// same two steps add or change a resident's number (/r/phone). Codes, limits and lock-outs:
// core/access/phone-codes.ts. The answer to "send a code" reads the same whether anyone holds the
// number or not.
import { Router, type Request, type Response } from "express";
import express from "express";
import { renderPage } from "../../views/render.tsx";
import { HttpError } from "../../http.ts";
import { Frame } from "../pages.tsx";
import type { View } from "../pages.tsx";
import { csrfOk, signIn, visitOf } from "../session.ts";
import type { Say } from "../strings.ts";
import type { FrontDoorDeps } from "../deps.ts";
import { checkCode, issueCode, maskedPhone, normalPhone, type CheckResult, type CodePurpose, type IssueResult } from "../../../core/access/phone-codes.ts";

export interface CodeStepView {
  /** Where the forms post: `${action}` sends a code, `${action}/code` checks it. */
  action: string;
  step: "phone" | "code";
  phone?: string;
  next?: string;
  error?: string | null;
  notice?: string | null;
  /** The phone field's label (login: your number; change: the new number). */
  phoneLabel?: string;
  consent?: boolean;
}

/** The two steps as one form each; works without script (the code field has one-time-code autofill). */
export function CodeSteps(p: { v: { say: Say; csrf: string }; s: CodeStepView }) {
  const { say, csrf } = p.v;
  const s = p.s;
  return (
    <div class="stack">
      {s.notice ? <p class="notice" id="notice">{s.notice}</p> : null}
      {s.error ? <p class="err" role="alert" id="error">{s.error}</p> : null}
      {s.step === "phone" ? (
        <form method="post" action={s.action} class="stack" id="phone-form">
          <input type="hidden" name="_csrf" value={csrf} />
          {s.next ? <input type="hidden" name="next" value={s.next} /> : null}
          <label>
            {s.phoneLabel ?? say("phone_title")}
            <input name="phone" type="tel" inputMode="tel" maxLength={20} autocomplete="tel" required value={s.phone ?? ""} />
          </label>
          {s.consent ? (
            <label class="check">
              <input type="checkbox" name="sms" value="1" /> {say("sms_consent")}
            </label>
          ) : null}
          <button type="submit">{say("send_code")}</button>
        </form>
      ) : (
        <form method="post" action={`${s.action}/code`} class="stack" id="code-form">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="phone" value={s.phone ?? ""} />
          {s.next ? <input type="hidden" name="next" value={s.next} /> : null}
          {s.consent ? <input type="hidden" name="sms" value="1" /> : null}
          <label>
            {say("code")}
            <input name="code" inputMode="numeric" pattern="[0-9]{6}" maxLength={6} autocomplete="one-time-code" required autofocus />
          </label>
          <button type="submit">{say("sign_in")}</button>
        </form>
      )}
    </div>
  );
}

/** hh:mm in the service's zone. */
const clockTime = (at: Date, timezone: string) => new Intl.DateTimeFormat("zh-CN", { timeZone: timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);

/** A refused "send a code" in words, with the time to come back. */
export function issueWords(say: Say, r: Exclude<IssueResult, { ok: true }>, now: Date, timezone: string): string {
  const until = clockTime(r.until, timezone);
  if (r.why === "locked") return say("code_locked", { until });
  if (r.why === "minute") return say("code_wait_minute", { seconds: Math.max(1, Math.ceil((r.until.getTime() - now.getTime()) / 1000)) });
  return say(`code_wait_${r.why}`, { until });
}

export function checkWords(say: Say, r: Exclude<CheckResult, { ok: true }>, timezone: string): string {
  if (r.why === "locked") return say("code_locked", { until: clockTime(r.until, timezone) });
  if (r.why === "expired") return say("code_expired");
  if (r.why === "used") return say("code_used");
  return say("code_wrong", { left: r.left });
}

/** Text fields of a small form: NUL characters gone, trimmed, at most `max` characters. */
export const field = (body: unknown, key: string, max = 200): string => {
  const v = (body as Record<string, unknown> | undefined)?.[key];
  return typeof v === "string" ? v.replace(/\0/g, "").trim().slice(0, max) : "";
};

/** Only a path of this site under `prefix` (no //host, no scheme): anything else goes to `fallback`. */
export const safeNext = (raw: string, prefix: string, fallback: string) => (raw.startsWith(prefix) && !raw.startsWith("//") && !/[\\\s]/.test(raw) && raw.length < 200 ? raw : fallback);

/** The SMS carrying a code, in the reader's language. */
export const codeSms = (say: Say, locale: string, dedupe: string) => (code: string) => ({ dedupeKey: `sms:code:${dedupe}`, payload: { text: say("sms_code", { code }), params: [code, "5"], locale } });

/** The first resident who registered this number (a second registration joins them). */
export const residentByPhone = (d: FrontDoorDeps, phone: string) => d.db.resident.findFirst({ where: { phone, status: { not: "rejected" } }, orderBy: { id: "asc" } });

/** Sends a resident sign-in code (only when someone holds the number) and shows the code step. */
export async function sendResidentCode(d: FrontDoorDeps, req: Request, res: Response, phone: string, next: string, notice: "code_sent" | "known_phone"): Promise<void> {
  const { view } = visitOf(res);
  const now = d.clock.now();
  const holder = await residentByPhone(d, phone);
  const r = await issueCode(d.db, d.secret, { phone, purpose: "resident", address: req.ip ?? null, now, sms: holder ? codeSms(view.say, holder.language, `${phone}:${now.getTime()}`) : null });
  d.wakeOutbox?.();
  if (!r.ok) return loginPage(res, view, { action: "/r/login", step: "phone", phone, next, error: issueWords(view.say, r, now, d.timezone) }, 429);
  d.log.info({ phone: maskedPhone(phone), sent: r.sent }, "front door: sign-in code asked");
  loginPage(res, view, { action: "/r/login", step: "code", phone, next, notice: view.say(notice, { phone: maskedPhone(phone) }) });
}

export function loginPage(res: Response, view: View, s: CodeStepView, status = 200, title?: string): void {
  res.set("Cache-Control", "no-store");
  res.status(status).type("html").send(
    renderPage(
      <Frame v={view} title={title ?? view.say("login_title")}>
        {s.step === "phone" && s.action === "/r/login" ? <p>{view.say("login_intro")}</p> : null}
        <CodeSteps v={view} s={s} />
      </Frame>,
    ),
  );
}

export function loginPages(d: FrontDoorDeps): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: "4kb", parameterLimit: 10 });
  const csrf = (req: Request, res: Response) => {
    if (!csrfOk(d, req, res)) throw new HttpError(403, "csrf", visitOf(res).view.say("expired_form"));
  };

  r.get("/r/login", (req, res) => {
    const next = safeNext(typeof req.query.next === "string" ? req.query.next : "", "/r/", "/r/cases");
    loginPage(res, visitOf(res).view, { action: "/r/login", step: "phone", next });
  });

  r.post("/r/login", form, async (req, res) => {
    csrf(req, res);
    const { view } = visitOf(res);
    const next = safeNext(field(req.body, "next"), "/r/", "/r/cases");
    const phone = normalPhone(field(req.body, "phone", 40));
    if (!phone) return loginPage(res, view, { action: "/r/login", step: "phone", next, error: view.say("bad_mobile") }, 400);
    await sendResidentCode(d, req, res, phone, next, "code_sent");
  });

  r.post("/r/login/code", form, async (req, res) => {
    csrf(req, res);
    const { view } = visitOf(res);
    const next = safeNext(field(req.body, "next"), "/r/", "/r/cases");
    const phone = normalPhone(field(req.body, "phone", 40));
    if (!phone) return loginPage(res, view, { action: "/r/login", step: "phone", next, error: view.say("bad_mobile") }, 400);
    const checked = await checkCode(d.db, d.secret, { phone, purpose: "resident", code: field(req.body, "code", 20), now: d.clock.now() });
    const holder = checked.ok ? await residentByPhone(d, phone) : null;
    if (!checked.ok || !holder) {
      const error = checked.ok ? view.say("code_wrong", { left: 0 }) : checkWords(view.say, checked, d.timezone);
      const again = !checked.ok && checked.why === "wrong";
      return loginPage(res, view, { action: "/r/login", step: again ? "code" : "phone", phone, next, error }, checked.ok || checked.why !== "locked" ? 400 : 429);
    }
    d.log.info({ residentId: holder.id }, "front door: signed in by phone");
    signIn(d, res, holder.id);
    res.redirect(303, next);
  });

  // Adding or changing the number: the new number proves itself with a code.
  const phonePage = (res: Response, s: Partial<CodeStepView>, status = 200) => {
    const { view, resident } = visitOf(res);
    const now = resident?.phone ? view.say("phone_now", { phone: maskedPhone(resident.phone) }) : view.say("phone_none");
    loginPage(res, view, { action: "/r/phone", step: "phone", phoneLabel: view.say("phone_new"), consent: true, notice: now, ...s }, status, view.say("change_phone"));
  };
  const signedIn = (res: Response) => {
    const { resident, view } = visitOf(res);
    if (!resident) throw new HttpError(401, "unauthorized", view.say("login_needed"));
    return resident;
  };
  r.get("/r/phone", (_req, res) => {
    signedIn(res);
    phonePage(res, {});
  });
  r.post("/r/phone", form, async (req, res) => {
    csrf(req, res);
    const resident = signedIn(res);
    const { view } = visitOf(res);
    const phone = normalPhone(field(req.body, "phone", 40));
    if (!phone) return phonePage(res, { error: view.say("bad_mobile") }, 400);
    const other = await residentByPhone(d, phone);
    if (other && other.id !== resident.id) return phonePage(res, { error: view.say("phone_taken") }, 409);
    const now = d.clock.now();
    const r2 = await issueCode(d.db, d.secret, { phone, purpose: "phone_change", address: req.ip ?? null, now, sms: codeSms(view.say, view.locale, `${phone}:${now.getTime()}`) });
    d.wakeOutbox?.();
    if (!r2.ok) return phonePage(res, { phone, error: issueWords(view.say, r2, now, d.timezone) }, 429);
    phonePage(res, { step: "code", phone, consent: field(req.body, "sms") === "1", notice: view.say("code_sent", { phone: maskedPhone(phone) }).replace(/^[^，,]*[，,]\s*/, "") });
  });
  r.post("/r/phone/code", form, async (req, res) => {
    csrf(req, res);
    const resident = signedIn(res);
    const { view } = visitOf(res);
    const phone = normalPhone(field(req.body, "phone", 40));
    if (!phone) return phonePage(res, { error: view.say("bad_mobile") }, 400);
    const checked: CheckResult = await checkCode(d.db, d.secret, { phone, purpose: "phone_change" satisfies CodePurpose, code: field(req.body, "code", 20), now: d.clock.now() });
    if (!checked.ok) return phonePage(res, { step: checked.why === "wrong" ? "code" : "phone", phone, error: checkWords(view.say, checked, d.timezone) }, checked.why === "locked" ? 429 : 400);
    const consent = field(req.body, "sms") === "1";
    await d.db.resident.update({ where: { id: resident.id }, data: { phone, ...(consent ? { smsConsent: true, smsConsentAt: d.clock.now() } : {}) } });
    phonePage(res, { notice: view.say("phone_saved", { phone: maskedPhone(phone) }) });
  });
  return r;
}
