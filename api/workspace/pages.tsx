// The liaison workspace's pages (Preact on the server, escaped by default), for a phone at 390 px:
// the residents' stylesheet and photo-shrinking script (inlined, allowed by its CSP hash), one
// column, the case card's actions as forms that work without the script.
import type { Children } from "../views/render.tsx";
import { PhoneShell } from "../frontdoor/pages.tsx";
import { CodeSteps, type CodeStepView } from "../frontdoor/sign-in/phone-sign-in.tsx";
import type { WorkVisit } from "./session.ts";

export function WorkFrame(p: { v: WorkVisit; title: string; children?: Children; script?: boolean }) {
  const { say, locale, liaison } = p.v;
  return (
    <PhoneShell
      say={say}
      locale={locale}
      title={p.title}
      script={p.script}
      tabs={
        liaison ? (
          <>
            <a href="/w/">{say("w_cases")}</a>
            <form method="post" action="/w/logout" style="flex:1;display:flex">
              <input type="hidden" name="_csrf" value={p.v.csrf} />
              <button type="submit" class="secondary" style="flex:1;border:0;border-radius:0">{say("w_logout")}</button>
            </form>
          </>
        ) : null
      }
    >
      {p.children}
    </PhoneShell>
  );
}

export function WorkLoginPage(p: { v: WorkVisit; s: CodeStepView }) {
  return (
    <WorkFrame v={p.v} title={p.v.say("login_title")}>
      {p.s.step === "phone" ? <p>{p.v.say("w_login_intro")}</p> : null}
      <CodeSteps v={p.v} s={p.s} />
    </WorkFrame>
  );
}

export function WorkMessage(p: { v: WorkVisit; title: string; text: string }) {
  return (
    <WorkFrame v={p.v} title={p.title}>
      <p id="message">{p.text}</p>
    </WorkFrame>
  );
}

export interface WorkListItem {
  number: string;
  category: string;
  estate: string;
  state: string;
  due: string;
  overdue: boolean;
}

export function WorkCasesPage(p: { v: WorkVisit; items: WorkListItem[]; company: string }) {
  const { say } = p.v;
  return (
    <WorkFrame v={p.v} title={say("w_cases")}>
      <p>
        {p.v.liaison?.name} · {p.company}
      </p>
      {p.items.length === 0 ? <p id="empty">{say("w_cases_empty")}</p> : null}
      <ul class="cases" id="cases">
        {p.items.map((c) => (
          <li>
            <a href={`/w/cases/${c.number}`}>
              <b>{c.number}</b> {c.category}
            </a>
            <br />
            <span class="badge">{c.state}</span> <small>{c.estate}</small>
            <br />
            <small class={c.overdue ? "err" : undefined}>
              {c.overdue ? `${say("w_overdue")} · ` : ""}
              {say("w_due")}: {c.due}
            </small>
          </li>
        ))}
      </ul>
    </WorkFrame>
  );
}

export interface WorkCaseView {
  number: string;
  category: string;
  state: string;
  description: string;
  place: string;
  due: string | null;
  photos: { url: string; alt: string }[];
  events: { at: string; what: string; note: string | null }[];
  can: { accept: boolean; message: boolean; resolve: boolean; extend: boolean; transfer: boolean };
  extendOptions: { n: number; label: string }[];
  notice?: string | null;
  error?: string | null;
}

export function WorkCasePage(p: { v: WorkVisit; c: WorkCaseView }) {
  const { say, csrf } = p.v;
  const c = p.c;
  const base = `/w/cases/${c.number}`;
  const Csrf = () => <input type="hidden" name="_csrf" value={csrf} />;
  return (
    <WorkFrame v={p.v} title={`${c.number} · ${c.category}`} script>
      {c.notice ? <p class="ok" id="notice">{c.notice}</p> : null}
      {c.error ? <p class="err" role="alert" id="error">{c.error}</p> : null}
      <dl>
        <dt>{say("state")}</dt>
        <dd id="state">{c.state}</dd>
        <dt>{say("w_place")}</dt>
        <dd>{c.place}</dd>
        <dt>{say("w_reporter")}</dt>
        <dd>{say("w_reporter_hidden")}</dd>
        {c.due ? (
          <>
            <dt>{say("w_due")}</dt>
            <dd id="due">{c.due}</dd>
          </>
        ) : null}
      </dl>
      <p class="desc">{c.description}</p>
      {c.photos.length ? (
        <ul class="photos">
          {c.photos.map((ph) => (
            <li>
              <img src={ph.url} alt={ph.alt} loading="lazy" />
            </li>
          ))}
        </ul>
      ) : null}
      {c.can.accept ? (
        <form method="post" action={`${base}/accept`} id="accept-form">
          <Csrf />
          <button type="submit">{say("w_accept")}</button>
        </form>
      ) : null}
      {c.can.resolve ? (
        <form method="post" action={`${base}/resolve`} enctype="multipart/form-data" class="stack" id="resolve-form">
          <Csrf />
          <h2>{say("w_resolve")}</h2>
          <label>
            {say("w_resolve_note")}
            <textarea name="note" rows={3} maxLength={2000} required></textarea>
          </label>
          <label>
            {say("w_resolve_photos")}
            <input type="file" name="photos" accept="image/*" capture="environment" multiple />
          </label>
          <button type="submit">{say("w_resolve")}</button>
        </form>
      ) : null}
      {c.can.message ? (
        <form method="post" action={`${base}/message`} class="stack" id="message-form">
          <Csrf />
          <label>
            {say("w_message")}
            <textarea name="text" rows={2} maxLength={2000} required></textarea>
          </label>
          <button type="submit">{say("send")}</button>
        </form>
      ) : null}
      {c.can.extend ? (
        <form method="post" action={`${base}/extend`} class="stack" id="extend-form">
          <Csrf />
          <h2>{say("w_extend")}</h2>
          <label>
            {say("w_extend_reason")}
            <input name="reason" maxLength={500} required />
          </label>
          <label>
            {say("w_extend_days")}
            <select name="days">
              {c.extendOptions.map((o) => (
                <option value={String(o.n)}>{o.label}</option>
              ))}
            </select>
          </label>
          <button type="submit">{say("w_extend")}</button>
        </form>
      ) : null}
      {c.can.transfer ? (
        <form method="post" action={`${base}/transfer`} class="stack" id="transfer-form">
          <Csrf />
          <label>
            {say("w_transfer_reason")}
            <input name="reason" maxLength={500} required />
          </label>
          <button type="submit" class="secondary">{say("w_transfer")}</button>
        </form>
      ) : null}
      <h2>{say("w_timeline")}</h2>
      <ol class="timeline" id="timeline">
        {c.events.map((e) => (
          <li>
            <small>{e.at}</small> {e.what}
            {e.note ? <div class="note">{e.note}</div> : null}
          </li>
        ))}
      </ol>
    </WorkFrame>
  );
}
