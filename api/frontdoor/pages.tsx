// The residents' pages (Preact, rendered on the server: escaped by default). Built for a phone in
// WeChat's browser: one column, large touch targets, one small stylesheet and one small script
// (api/assets/frontdoor.css, frontdoor.js); everything works without the script too. Both are
// inlined (2.6 KB + 4.4 KB): on a slow 3G line each extra request costs a 2 s round trip, and the
// form was interactive after 5.0 s with them as files, 2.x s inlined (bench/README.md, web). The
// script is allowed by its hash in the Content-Security-Policy (api/app.ts), not by 'unsafe-inline'.
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import type { Locale } from "../../core/cases/categories.ts";
import { LOCALES } from "../../core/cases/categories.ts";
import type { Children } from "../views/render.tsx";
import type { Say } from "./strings.ts";

export interface View {
  say: Say;
  locale: Locale;
  big: boolean;
  csrf: string;
  signedIn: boolean;
}

const LANG_NAMES: Record<Locale, string> = { "zh-Hans": "简体", "zh-Hant": "繁體", en: "EN" };

const ASSETS = path.resolve(import.meta.dirname, "../assets");
export const STYLE = fs.readFileSync(path.join(ASSETS, "frontdoor.css"), "utf8");
export const SCRIPT = fs.readFileSync(path.join(ASSETS, "frontdoor.js"), "utf8");
/** The CSP source that lets exactly this inline script run. */
export const SCRIPT_CSP_HASH = `'sha256-${createHash("sha256").update(SCRIPT, "utf8").digest("base64")}'`;

/** The phone page's shell the residents' pages and the liaisons' workspace (/w/) share: head, brand,
 *  language links (and what a page adds there), the page's own tabs, the title and the inline script. */
export function PhoneShell(p: { say: (key: string) => string; locale: Locale; title: string; bodyClass?: string; langExtra?: Children; tabs?: Children; script?: boolean; children?: Children }) {
  const { say, locale } = p;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{`${p.title} · ${say("app")}`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body class={p.bodyClass}>
        <header>
          <span class="brand">{say("app")}</span>
          <nav aria-label={say("lang")}>
            {LOCALES.map((l) => (l === locale ? <b>{LANG_NAMES[l]}</b> : <a href={`?lang=${l}`} lang={l}>{LANG_NAMES[l]}</a>))}
            {p.langExtra}
          </nav>
        </header>
        {p.tabs ? <nav class="tabs">{p.tabs}</nav> : null}
        <main>
          <h1>{p.title}</h1>
          {p.children}
        </main>
        {/* Last in the body, so the elements it finds are parsed (as `defer` did for the file). */}
        {p.script ? <script dangerouslySetInnerHTML={{ __html: SCRIPT }} /> : null}
      </body>
    </html>
  );
}

export function Frame(p: { v: View; title: string; script?: boolean; children?: Children }) {
  const { say, locale, big } = p.v;
  return (
    <PhoneShell
      say={say}
      locale={locale}
      title={p.title}
      bodyClass={big ? "big" : undefined}
      script={p.script}
      langExtra={<a href={`?big=${big ? 0 : 1}`}>{say(big ? "big_off" : "big_on")}</a>}
      tabs={
        p.v.signedIn ? (
          <>
            <a href="/r/file">{say("new_case")}</a>
            <a href="/r/cases">{say("my_cases")}</a>
          </>
        ) : null
      }
    >
      {p.children}
    </PhoneShell>
  );
}

const Csrf = (p: { v: View }) => <input type="hidden" name="_csrf" value={p.v.csrf} />;
const Err = (p: { text?: string | null }) =>
  p.text ? (
    <p class="err" role="alert" id="error">
      {p.text}
    </p>
  ) : null;

export function MessagePage(p: { v: View; title: string; text: string; script?: boolean }) {
  return (
    <Frame v={p.v} title={p.title} script={p.script}>
      <p id="message">{p.text}</p>
    </Frame>
  );
}

export interface RegisterView {
  token: string;
  estateName: string;
  buildings: { id: number; name: string; units: { id: number; name: string }[] }[];
  error?: string | null;
  values?: { unitId?: string; name?: string; phone?: string };
}

export function RegisterPage(p: { v: View; r: RegisterView }) {
  const { say } = p.v;
  const val = p.r.values ?? {};
  return (
    <Frame v={p.v} title={say("reg_title")}>
      <p>{say("reg_intro")}</p>
      <p>
        <a href="/r/login?next=/r/file" id="login-link">{say("login_link")}</a>
      </p>
      <Err text={p.r.error} />
      <form method="post" action={`/r/${p.r.token}`} class="stack">
        <Csrf v={p.v} />
        <p class="place">
          {say("estate")}: <b>{p.r.estateName}</b>
        </p>
        <label>
          {p.r.buildings.length === 1 ? `${p.r.buildings[0]!.name} · ${say("unit")}` : `${say("building")} · ${say("unit")}`}
          <select name="unitId" required>
            <option value="">{say("choose")}</option>
            {p.r.buildings.map((b) =>
              p.r.buildings.length === 1 ? (
                b.units.map((u) => <option value={String(u.id)} selected={val.unitId === String(u.id)}>{u.name}</option>)
              ) : (
                <optgroup label={b.name}>
                  {b.units.map((u) => (
                    <option value={String(u.id)} selected={val.unitId === String(u.id)}>{`${b.name} ${u.name}`}</option>
                  ))}
                </optgroup>
              ),
            )}
          </select>
        </label>
        <label>
          {say("name")}
          <input name="name" maxLength={40} autocomplete="name" value={val.name ?? ""} />
        </label>
        <label>
          {say("invite")}
          <input name="invite" maxLength={40} autocomplete="off" aria-describedby="invite-help" />
        </label>
        <small id="invite-help">{say("invite_help")}</small>
        <label>
          {say("phone")}
          <input name="phone" type="tel" inputMode="tel" maxLength={20} autocomplete="tel" value={val.phone ?? ""} />
        </label>
        <label class="check">
          <input type="checkbox" name="sms" value="1" /> {say("sms_consent")}
        </label>
        <button type="submit">{say("register")}</button>
      </form>
    </Frame>
  );
}

export interface FileView {
  draft: string;
  categories: { code: string; label: string; kinds: string[] }[];
  maxPhotos: number;
  maxDescription: number;
  error?: string | null;
  values?: { description?: string; category?: string; kind?: string; urgent?: boolean };
  notice?: string | null;
}

export function FilePage(p: { v: View; f: FileView }) {
  const { say } = p.v;
  const val = p.f.values ?? {};
  const kind = val.kind ?? "repair";
  return (
    <Frame v={p.v} title={say("file_title")} script>
      {p.f.notice ? <p class="notice">{p.f.notice}</p> : null}
      <Err text={p.f.error} />
      <form method="post" action="/r/file" enctype="multipart/form-data" class="stack" id="file-form" data-max-photos={String(p.f.maxPhotos)}>
        <Csrf v={p.v} />
        <input type="hidden" name="draft" value={p.f.draft} />
        <label>
          {say("describe")}
          <textarea name="description" id="description" rows={4} maxLength={p.f.maxDescription} required>
            {val.description ?? ""}
          </textarea>
        </label>
        <p id="suggestion" class="suggestion" aria-live="polite" data-label={say("suggested")}></p>
        <p id="emergency" class="err" role="alert" hidden>
          {say("emergency_hint")}
        </p>
        <fieldset class="chips">
          <legend>{say("kind")}</legend>
          {["repair", "complaint", "suggestion"].map((k) => (
            <label class="chip">
              <input type="radio" name="kind" value={k} checked={kind === k} />
              <span>{say(`kind_${k}`)}</span>
            </label>
          ))}
        </fieldset>
        <fieldset class="chips">
          <legend>{say("category")}</legend>
          {p.f.categories.map((c) => (
            <label class="chip">
              <input type="radio" name="category" value={c.code} checked={val.category === c.code} data-kinds={c.kinds.join(" ")} />
              <span>{c.label}</span>
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input type="checkbox" name="urgent" value="1" id="urgent" checked={val.urgent} /> {say("urgent")}
        </label>
        <label>
          {say("photos")}
          <input type="file" name="photos" accept="image/jpeg,image/png" capture="environment" multiple />
        </label>
        <button type="submit">{say("submit")}</button>
      </form>
    </Frame>
  );
}

export interface CaseListItem {
  number: string;
  category: string;
  state: string;
  filedAt: string;
}

export function CasesPage(p: { v: View; items: CaseListItem[]; link: { code: string; minutes: number } | null; linked: boolean }) {
  const { say } = p.v;
  return (
    <Frame v={p.v} title={say("my_cases")}>
      <p>
        <a href="/r/phone" id="phone-link">{say("change_phone")}</a>
      </p>
      {p.items.length === 0 ? <p>{say("no_cases")}</p> : null}
      <ul class="cases">
        {p.items.map((c) => (
          <li>
            <a href={`/r/cases/${c.number}`}>
              <b>{c.number}</b> {c.category}
            </a>
            <br />
            <span class="badge">{c.state}</span> <small>{c.filedAt}</small>
          </li>
        ))}
      </ul>
      {p.link ? (
        <section class="link" aria-labelledby="link-title">
          <h2 id="link-title">{say("link_title")}</h2>
          <p>{say("link_help", { minutes: p.link.minutes })}</p>
          <p class="code" id="link-code">
            {p.link.code}
          </p>
        </section>
      ) : p.linked ? (
        <p class="ok" id="linked">
          {say("linked_note")}
        </p>
      ) : null}
    </Frame>
  );
}

export interface CaseView {
  number: string;
  category: string;
  state: string;
  description: string;
  filedAt: string;
  dueAt: string | null;
  photos: { url: string; status: "stored" | "pending" | "failed"; alt: string }[];
  /** Filed before the resident was approved: the page says the case waits. */
  awaiting: boolean;
  /** The office's reason when it did not approve the resident. */
  rejectReason: string | null;
  events: { at: string; what: string; note: string | null }[];
  canAnswerRevisit: boolean;
  canAddInfo: boolean;
  justFiled: boolean;
  notice?: string | null;
  error?: string | null;
}

export function CasePage(p: { v: View; c: CaseView }) {
  const { say } = p.v;
  const c = p.c;
  return (
    <Frame v={p.v} title={c.number} script>
      {c.justFiled ? (
        <p class="ok" id="filed">
          {say("filed_ok")} <b id="case-number">{c.number}</b>
        </p>
      ) : null}
      {c.notice ? <p class="ok">{c.notice}</p> : null}
      <Err text={c.error} />
      <dl>
        <dt>{say("state")}</dt>
        <dd id="case-state">{c.state}</dd>
        <dt>{say("category")}</dt>
        <dd>{c.category}</dd>
        <dt>{say("filed_at")}</dt>
        <dd>{c.filedAt}</dd>
        {c.dueAt ? (
          <>
            <dt>{say("due")}</dt>
            <dd>{c.dueAt}</dd>
          </>
        ) : null}
      </dl>
      <p class="desc">{c.description}</p>
      {c.awaiting ? (
        <p class="notice" id="awaiting">
          {say("awaiting_note")}
        </p>
      ) : null}
      {c.rejectReason ? (
        <p class="err" id="reject-reason">
          {say("rejected_note")} {c.rejectReason}
        </p>
      ) : null}
      {c.photos.length > 0 ? (
        <>
          <p>{say("photos_count", { n: c.photos.length })}</p>
          <ul class="photos" id="photos">
            {c.photos.map((ph) => (
              <li>
                {ph.status === "stored" ? (
                  <a href={ph.url}>
                    <img src={ph.url} alt={ph.alt} width={96} height={96} loading="lazy" />
                  </a>
                ) : (
                  <span class={ph.status === "failed" ? "photo-missing err" : "photo-missing"}>{say(ph.status === "failed" ? "photo_failed" : "photo_pending")}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {c.canAnswerRevisit ? (
        <form method="post" action={`/r/cases/${c.number}/revisit`} class="stack revisit" id="revisit">
          <Csrf v={p.v} />
          <h2>{say("revisit_q")}</h2>
          <fieldset class="chips">
            <legend>{say("rate")}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label class="chip">
                <input type="radio" name="score" value={String(n)} />
                <span>{String(n)}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit" name="fixed" value="yes">
            {say("fixed_yes")}
          </button>
          <button type="submit" name="fixed" value="no" class="secondary">
            {say("fixed_no")}
          </button>
        </form>
      ) : null}
      <h2>{say("timeline")}</h2>
      <ol class="timeline">
        {c.events.map((e) => (
          <li>
            <small>{e.at}</small> {e.what}
            {e.note ? <div class="note">{e.note}</div> : null}
          </li>
        ))}
      </ol>
      {c.canAddInfo ? (
        <form method="post" action={`/r/cases/${c.number}/info`} enctype="multipart/form-data" class="stack" id="info-form" data-max-photos="3">
          <Csrf v={p.v} />
          <h2>{say("add_info")}</h2>
          <label>
            {say("describe")}
            <textarea name="text" rows={3} maxLength={2000}></textarea>
          </label>
          <label>
            {say("photos")}
            <input type="file" name="photos" accept="image/jpeg,image/png" capture="environment" multiple />
          </label>
          <button type="submit">{say("send")}</button>
        </form>
      ) : null}
    </Frame>
  );
}
