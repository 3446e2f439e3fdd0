// The case list and the case page (api/dashboard/cases.ts routes them). The timeline reads in words:
// who acted (names, not ids), what happened, and for the events the system writes itself (routing,
// escalation, reminders) an explanation built from the event's data in the page's language — the
// stored English notes (rules/router.ts "why") stay for logs and the API.
import type { CaseListRow } from "../../core/cases/case-query.ts";
import { lateness } from "../../core/cases/case-query.ts";
import type { Categories } from "../../core/cases/categories.ts";
import { CASE_STATES } from "../rest/schemas.ts";
import { KINDS } from "../../core/cases/categories.ts";
import type { CaseFull } from "../office.ts";
import type { View } from "../dashboard/layout.ts";
import { photoUrl } from "../dashboard/photos.ts";
import { toLocal } from "../../core/clocks/zoned-time.ts";
import { deadlineText, durationText } from "./format.ts";
import { resolutionState, responseState, type DeadlineState } from "../../core/clocks/deadline-state.ts";
import { Csrf, Select } from "./shell.tsx";

export interface CaseListProps {
  vw: View;
  items: CaseListRow[];
  now: Date;
  categories: Categories;
  estates: { code: string; name: string }[];
  companies: { code: string; name: string }[];
  q: { state?: string[]; kind?: string; category?: string; estate?: string; company?: string; overdue?: boolean; q?: string; before?: number };
  exportQs: string;
  firstHref: string | null;
  nextHref: string | null;
}

export function CaseList(p: CaseListProps) {
  const { vw, q } = p;
  const { t } = vw;
  return (
    <>
      <form class="filters" method="get" action="/dashboard/cases">
        <label>
          {t("state")}
          <Select name="state" options={CASE_STATES.map((s) => [s, t(`state_${s}`)])} value={q.state?.join(",")} allLabel={t("all")} />
        </label>
        <label>
          {t("kind")}
          <Select name="kind" options={KINDS.map((k) => [k, t(`kind_${k}`)])} value={q.kind} allLabel={t("all")} />
        </label>
        <label>
          {t("category")}
          <Select name="category" options={p.categories.list.map((c) => [c.code, c.label[vw.locale]])} value={q.category} allLabel={t("all")} />
        </label>
        <label>
          {t("estate")}
          <Select name="estate" options={p.estates.map((e) => [e.code, e.name])} value={q.estate} allLabel={t("all")} />
        </label>
        <label>
          {t("company")}
          <Select name="company" options={p.companies.map((c) => [c.code, c.name])} value={q.company} allLabel={t("all")} />
        </label>
        <label>
          {t("only_overdue")}
          <Select name="overdue" options={[["true", t("overdue")]]} value={q.overdue ? "true" : undefined} allLabel={t("all")} />
        </label>
        <label>
          {t("search")}
          <input name="q" id="f-q" value={q.q ?? ""} />
        </label>
        <button type="submit" id="f-submit">
          {t("filter")}
        </button>
      </form>
      <p>
        <a href={`/dashboard/cases.xlsx?${p.exportQs}`} id="xlsx">
          {t("export_xlsx")}
        </a>
        {" · "}
        <a href={`/dashboard/cases.csv?${p.exportQs}`} id="csv">
          {t("export_csv")}
        </a>
      </p>
      <div class="scroll">
        <table id="cases" class="cards">
          <thead>
            <tr>
              <th>{t("number")}</th>
              <th>{t("state")}</th>
              <th>{t("kind")}</th>
              <th>{t("category")}</th>
              <th>{t("estate")}</th>
              <th>{t("company")}</th>
              <th>{t("liaison")}</th>
              <th>{t("filed")}</th>
              <th>{t("resolution_due")}</th>
              <th>{t("description")}</th>
            </tr>
          </thead>
          <tbody>
            {p.items.length === 0 ? (
              <tr>
                <td colSpan={10}>{t("none")}</td>
              </tr>
            ) : (
              p.items.map((c) => {
                const late = lateness(c, p.now);
                return (
                  <tr class={late ? "late" : ""}>
                    <td data-label={t("number")}>
                      <a href={`/dashboard/cases/${c.id}`}>{c.number}</a>
                    </td>
                    <td data-label={t("state")}>
                      {t(`state_${c.state}`)}
                      {late ? (
                        <>
                          {" "}
                          <span class="badge late">{t("overdue")}</span>
                        </>
                      ) : null}
                    </td>
                    <td data-label={t("kind")}>{t(`kind_${c.kind}`)}</td>
                    <td data-label={t("category")}>{p.categories.label(c.category, vw.locale)}</td>
                    <td data-label={t("estate")}>{c.estate.name}</td>
                    <td data-label={t("company")}>{c.company?.name ?? "—"}</td>
                    <td data-label={t("liaison")}>{c.liaison?.name ?? "—"}</td>
                    <td data-label={t("filed")}>{vw.fmt(c.createdAt)}</td>
                    <td data-label={t("resolution_due")}>{vw.fmt(c.resolutionDueAt)}</td>
                    <td data-label={t("description")}>{c.description.slice(0, 60)}</td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <div class="pager">
        {p.firstHref ? <a href={p.firstHref}>{t("first_page")}</a> : null}
        {p.nextHref ? (
          <a id="next" href={p.nextHref}>
            {`${t("next_page")} →`}
          </a>
        ) : null}
      </div>
    </>
  );
}

type Event = CaseFull["events"][number];

/** Display names of the people and API clients in a timeline, keyed "type:id" as stored. */
export type ActorNames = Map<string, string>;

export function actorText(e: { actorType: string; actorId: string | null }, names: ActorNames, t: View["t"]): string {
  const role = t(`actor_${e.actorType}`);
  const name = e.actorId ? names.get(`${e.actorType}:${e.actorId}`) : undefined;
  if (e.actorType === "system" || e.actorType === "resident" || !name) return role;
  return `${role} · ${name}`;
}

const fill = (s: string, vars: Record<string, string>) => s.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

/** What happened, in words; the rule's id is shown as code (it is what the rules file calls it). */
function EventDetail(p: { e: Event; vw: View }) {
  const { e, vw } = p;
  const { t } = vw;
  const data = (e.data ?? {}) as Record<string, unknown>;
  const which = (w: unknown) => (w === "response" || w === "resolution" ? t(`missed_${w}`) : "");
  switch (e.type) {
    case "route": {
      const [before, after] = t("why_route").split("{rule}");
      const extra = [data.urgency && data.urgency !== "normal" ? fill(t("why_route_urgency"), { u: t(`urgency_${String(data.urgency)}`) }) : null, data.notifyOffice ? t("why_route_office") : null].filter(Boolean);
      return (
        <>
          {before}
          <code>{String(data.rule ?? "—")}</code>
          {after}
          {extra.length ? `（${extra.join("，")}）` : null}
        </>
      );
    }
    case "unroutable":
      return <>{t("why_unroutable")}</>;
    case "escalate": {
      const level = Number(data.level ?? 1);
      const late = typeof data.overdueMinutes === "number" ? durationText(data.overdueMinutes * 60_000, vw.locale) : "";
      return <>{fill(t("why_escalate"), { which: which(data.which), late, level: t(`escalation_${level}`) })}</>;
    }
    case "reminder":
      return <>{fill(t("why_reminder"), { which: which(data.which ?? e.note) })}</>;
    case "escalation_ack":
      return <>{t(`escalation_${Number(data.level ?? 1)}`)}</>;
    case "satisfaction":
      return <>{typeof data.score === "number" ? fill(t("why_rating"), { score: String(data.score) }) : ""}</>;
    default:
      // Changes made by the directory (an estate's new company, a deactivated liaison) carry their
      // reason as data, worded here.
      if (data.reason === "estate_moved") return <>{fill(t(data.liaison ? "why_estate_moved" : "why_estate_moved_queue"), { company: String(data.companyName ?? data.company) })}</>;
      if (data.reason === "liaison_deactivated") return <>{fill(t(data.toName ? "why_liaison_off" : "why_liaison_off_queue"), { from: String(data.fromName ?? data.from), to: String(data.toName ?? "") })}</>;
      return <>{e.note ?? ""}</>;
  }
}

const KNOWN_EVENTS = new Set(["filed", "hold", "release", "reject", "route", "unroutable", "assign", "accept", "resolve", "transfer", "startRevisit", "confirmFixed", "reopen", "closeNoAnswer", "officeClose", "note", "message", "photo", "satisfaction", "escalate", "escalation_ack", "urge", "reminder", "extension_requested", "extension_approved", "extension_denied"]);

export function eventName(type: string, t: View["t"]): string {
  return t(KNOWN_EVENTS.has(type) ? `ev_${type}` : "ev_other");
}

/** One deadline: the time, how the case stands against it in words, and when it was met. */
function Deadline(p: { vw: View; label: string; due: Date | null; standing: DeadlineState; doneLabel: string; id: string }) {
  const { vw, standing } = p;
  const words = deadlineText(standing, vw.t, vw.locale);
  const late = standing.state === "met_late" || standing.state === "missed";
  return (
    <p id={`deadline-${p.id}`}>
      {`${p.label}: ${vw.fmt(p.due)}`}
      {words ? (
        <>
          {" · "}
          <span class={late ? "badge late" : "badge"}>{words}</span>
        </>
      ) : null}
      {"at" in standing ? ` · ${p.doneLabel} ${vw.fmt(standing.at)}` : ""}
    </p>
  );
}

export interface CasePageProps {
  vw: View;
  c: CaseFull;
  now: Date;
  liaisons: { code: string; name: string; company: { name: string } }[];
  categories: Categories;
  names: ActorNames;
  /** Photos can be shown: stored ones need the attachment store, pending ones the bot. */
  stored: boolean;
  pendingFetch: boolean;
  done?: string;
  /** The viewer may work the case (core/access "cases.work"); read-only roles get no forms. */
  canWork?: boolean;
}

export function CasePage(p: CasePageProps) {
  const { vw, c } = p;
  const { t } = vw;
  const late = lateness(c, p.now);
  const open = c.state !== "closed";
  const work = p.canWork !== false;
  const messages = c.events.filter((e) => e.type === "message" || e.type.startsWith("message"));
  // The current escalation's acknowledgement (one per level), and the urges (催办) so far.
  const lastEscalate = [...c.events].reverse().find((e) => e.type === "escalate");
  const ack = [...c.events].reverse().find((e) => e.type === "escalation_ack" && (!lastEscalate || e.id > lastEscalate.id));
  const urges = c.events.filter((e) => e.type === "urge");
  return (
    <>
      {p.done ? (
        <p class="ok" id="done">
          {t("done")}
        </p>
      ) : null}
      <div class="grid">
        <div class="card" id="summary">
          <p>
            <b>{c.number}</b> · <span id="state">{t(`state_${c.state}`)}</span>{" "}
            {late ? <span class="badge late">{`${t("overdue")} ${durationText(late.lateMs, vw.locale)}`}</span> : null}
          </p>
          <p>{`${t(`kind_${c.kind}`)} · ${p.categories.label(c.category, vw.locale)} · ${t(`urgency_${c.urgency}`)}`}</p>
          <p>{[c.street.name, c.estate.name, c.building ? `${c.building.name}${c.unit ? ` ${c.unit.name}` : ""}` : null].filter(Boolean).join(" · ")}</p>
          <p>
            {`${t("company")}: ${c.company?.name ?? "—"} · ${t("liaison")}: `}
            <span id="liaison">{c.liaison?.name ?? "—"}</span>
          </p>
          <pre>{c.description}</pre>
        </div>
        <div class="card" id="deadlines">
          <h2>{t("deadlines")}</h2>
          <p>{`${t("filed")}: ${vw.fmt(c.createdAt)}`}</p>
          <Deadline vw={vw} label={t("response_due")} due={c.responseDueAt} standing={responseState(c, p.now)} doneLabel={t("accepted_at")} id="response" />
          <Deadline vw={vw} label={t("resolution_due")} due={c.resolutionDueAt} standing={resolutionState(c, p.now)} doneLabel={t("resolved_at")} id="resolution" />
          <p>
            {`${t("escalation")}: `}
            <span id="escalation">{t(`escalation_${c.escalationLevel}`)}</span>
          </p>
          {c.escalationLevel > 0 ? (
            <p>
              {`${t("ack_state")}: `}
              <span id="ack">{ack ? `${String((ack.data as { by?: string } | null)?.by ?? "—")} · ${vw.fmt(ack.at)}` : t("not_acked")}</span>
            </p>
          ) : null}
          <p>
            {`${t("urges")}: `}
            <span id="urges">{String(urges.length)}</span>
            {urges.length ? ` · ${vw.fmt(urges[urges.length - 1]!.at)}` : ""}
          </p>
        </div>
      </div>
      {work ? (
        <div class="card">
          <h2>{t("actions")}</h2>
          {open ? (
            <>
              <form method="post" action={`/dashboard/cases/${c.id}/reassign`} id="reassign" class="actions">
                <Csrf v={vw} />
                <label>
                  {`${t("reassign")} `}
                  <Select name="liaison" options={p.liaisons.map((l) => [l.code, `${l.company.name} · ${l.name}`])} value={c.liaison?.code} />
                </label>{" "}
                <input name="note" placeholder={t("reason")} /> <button>{t("reassign")}</button>
              </form>
              {c.escalationLevel > 0 && !ack ? (
                <form method="post" action={`/dashboard/cases/${c.id}/acknowledge`} id="acknowledge" class="actions" style="margin-top:.6rem">
                  <Csrf v={vw} />
                  <button>{t("acknowledge")}</button>
                </form>
              ) : null}
              {c.liaison ? (
                <form method="post" action={`/dashboard/cases/${c.id}/urge`} id="urge" class="actions" style="margin-top:.6rem">
                  <Csrf v={vw} />
                  <input name="note" maxlength={500} placeholder={t("urge_note")} /> <button>{t("urge")}</button>
                </form>
              ) : null}
              <form method="post" action={`/dashboard/cases/${c.id}/close`} id="close" class="actions" style="margin-top:.6rem">
                <Csrf v={vw} />
                <input name="note" required placeholder={t("reason")} /> <button>{t("close_dispute")}</button>
              </form>
            </>
          ) : null}
          <form method="post" action={`/dashboard/cases/${c.id}/note`} id="note" class="actions" style="margin-top:.6rem">
            <Csrf v={vw} />
            <input name="note" required size={50} placeholder={t("note")} /> <button>{t("add_note")}</button>
          </form>
        </div>
      ) : null}
      <h2>{t("extensions")}</h2>
      <div class="scroll">
        <table>
          <tbody>
            {c.extensions.length === 0 ? (
              <tr>
                <td>{t("none")}</td>
              </tr>
            ) : (
              c.extensions.map((x) => (
                <tr>
                  <td>{x.reason}</td>
                  <td>{vw.fmt(x.requestedDueAt)}</td>
                  <td>{t(`ext_${x.status}`)}</td>
                  <td>
                    {x.status === "pending" && work ? (
                      <form method="post" action={`/dashboard/cases/${c.id}/extension/${x.id}`} class="inline">
                        <Csrf v={vw} />
                        <label>
                          {t("ext_new_date")} <input type="date" name="dueOn" value={localDay(x.requestedDueAt, vw.timezone)} />
                        </label>{" "}
                        <input name="note" placeholder={t("ext_reason_hint")} maxLength={2000} />
                        <button name="decision" value="approve">
                          {t("approve")}
                        </button>{" "}
                        <button name="decision" value="deny">
                          {t("deny")}
                        </button>
                      </form>
                    ) : (
                      (x.decisionNote ?? "")
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <h2>{t("photos")}</h2>
      {c.attachments.some((a) => a.storeStatus === "pending") && !p.pendingFetch ? <p class="err">{t("photos_bot_off")}</p> : null}
      <ul id="photos" class="photos">
        {c.attachments.length === 0 ? <li>{t("none")}</li> : c.attachments.map((a) => <Photo vw={vw} caseId={c.id} a={a} shown={(a.storeStatus === "stored" && p.stored) || (a.storeStatus === "pending" && p.pendingFetch)} />)}
      </ul>
      <h2>{t("messages")}</h2>
      <ul>
        {messages.length === 0 ? (
          <li>{t("none")}</li>
        ) : (
          messages.map((m) => <li>{`${vw.fmt(m.at)} ${actorText(m, p.names, t)}: ${m.note ?? ""}`}</li>)
        )}
      </ul>
      <h2>{t("timeline")}</h2>
      <div class="scroll">
        <table id="timeline" class="cards">
          <thead>
            <tr>
              <th>{t("timeline_when")}</th>
              <th>{t("timeline_who")}</th>
              <th>{t("timeline_what")}</th>
              <th>{t("timeline_state")}</th>
              <th>{t("timeline_detail")}</th>
            </tr>
          </thead>
          <tbody>
            {c.events.map((e) => (
              <tr data-type={e.type}>
                <td data-label={t("timeline_when")}>{vw.fmt(e.at)}</td>
                <td data-label={t("timeline_who")}>{actorText(e, p.names, t)}</td>
                <td data-label={t("timeline_what")}>{eventName(e.type, t)}</td>
                <td data-label={t("timeline_state")}>{`${e.fromState ? `${t(`state_${e.fromState}`)} → ` : ""}${e.toState ? t(`state_${e.toState}`) : ""}`}</td>
                <td data-label={t("timeline_detail")}>
                  <EventDetail e={e} vw={vw} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href="/dashboard/cases">{`← ${t("back")}`}</a>
      </p>
    </>
  );
}

function Photo(p: { vw: View; caseId: number; a: CaseFull["attachments"][number]; shown: boolean }) {
  const { vw, a } = p;
  const { t } = vw;
  const by = a.addedBy === "resident" || a.addedBy === "liaison" ? t(`photo_by_${a.addedBy}`) : t(`actor_${a.addedBy}`);
  return (
    <li class="photo">
      {p.shown ? (
        <a href={photoUrl(p.caseId, a.id)} target="_blank" rel="noopener">
          <img loading="lazy" src={photoUrl(p.caseId, a.id)} alt={a.caption ?? t("photos")} />
        </a>
      ) : null}
      {a.storeStatus === "stored" ? null : (
        <>
          <span class={a.storeStatus === "pending" ? "badge" : "badge late"}>{t(`photo_${a.storeStatus}`)}</span>
          {a.storeStatus !== "pending" && a.fetchError ? (
            <>
              {" "}
              <small class="err">{a.fetchError}</small>
            </>
          ) : null}
          <br />
        </>
      )}
      <small>
        {a.caption ? (
          <>
            {a.caption}
            <br />
          </>
        ) : null}
        {`${by} · ${vw.fmt(a.createdAt)}`}
      </small>
    </li>
  );
}

/** YYYY-MM-DD of an instant in the office's zone (a date input's value). */
function localDay(d: Date, timezone: string): string {
  const l = toLocal(d, timezone);
  return `${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;
}
