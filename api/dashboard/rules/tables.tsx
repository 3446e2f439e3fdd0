// The rule files as tables a clerk reads: names instead of codes (estates, companies, liaisons,
// categories), durations and weekdays in words. Rendered from the loaded RuleSet (what is in force).
import type { Catalogue } from "../../../rules/catalogue.ts";
import type { RuleSet } from "../../../rules/loader.ts";
import type { RoutingRule, DeadlineEntry, DeadlineLevel } from "../../../rules/schemas.ts";
import type { View } from "../layout.ts";
import { URGENCIES } from "../../../rules/schemas.ts";
import type { CalendarFile } from "../../../rules/schemas.ts";
import { ruleDuration } from "../../views/format.ts";

const list = (xs: string[]) => xs.join("、");

export function RoutingTable({ vw, rules, rs, streets }: { vw: View; rules: RoutingRule[]; rs: RuleSet; streets: Map<string, string> }) {
  const { t } = vw;
  const cat = rs.catalogue;
  return (
    <div class="scroll">
      <table id="routing-table">
        <thead>
          <tr>
            <th class="num">{t("rl_priority")}</th>
            <th>{t("rl_rule")}</th>
            <th>{t("rl_when")}</th>
            <th>{t("rl_then")}</th>
          </tr>
        </thead>
        <tbody>
          {[...rules]
            .map((r, i) => ({ r, i }))
            .sort((a, b) => b.r.priority - a.r.priority || a.i - b.i)
            .map(({ r }) => (
              <tr id={`rule-${r.id}`} class={r.enabled ? "" : "muted"}>
                <td class="num">{r.priority}</td>
                <td>
                  <b>{r.description?.split(/(?<=[。.])\s*[A-Z]/)[0] ?? r.id}</b>
                  <div>
                    <small>
                      <code>{r.id}</code> · {r.enabled ? t("rl_enabled") : t("rl_disabled")}
                    </small>
                  </div>
                </td>
                <td>{describeWhen(vw, r, rs, streets)}</td>
                <td>{describeThen(vw, r, cat)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

/** A rule's conditions in words; `streets` gives street names (the catalogue knows streets by code only). */
export function describeWhen(vw: View, r: RoutingRule, rs: RuleSet, streets: Map<string, string>): string {
  const { t } = vw;
  const w = r.when;
  const cat = rs.catalogue;
  const parts: string[] = [];
  if (w.estates) parts.push(`${t("estate")}：${list(w.estates.map((e) => cat.estates.get(e)?.name ?? e))}`);
  if (w.streets) parts.push(`${t("street")}：${list(w.streets.map((s) => streets.get(s) ?? s))}`);
  if (w.buildings) parts.push(`${t("rl_buildings")}：${list(w.buildings)}`);
  if (w.categories) parts.push(`${t("category")}：${list(w.categories.map((c) => rs.categories.label(c, vw.locale)))}`);
  if (w.kinds) parts.push(`${t("kind")}：${list(w.kinds.map((k) => t(`kind_${k}`)))}`);
  if (w.time) parts.push(`${t("rl_time")}：${w.time.from}–${w.time.to}`);
  if (w.weekdays) parts.push(`${t("rl_weekdays")}：${list(w.weekdays.map((d) => t(`rl_wd_${d}`)))}`);
  if (w.dayType) parts.push(t(`rl_daytype_${w.dayType}`));
  if (w.urgent) parts.push(t("rl_marked_urgent"));
  return parts.length ? parts.join("；") : t("rl_any");
}

function describeThen(vw: View, r: RoutingRule, cat: Catalogue): string {
  const { t } = vw;
  const th = r.then;
  let s: string;
  if (th.toOffice) s = t("rl_to_office");
  else if (th.company === "$estate") s = `${t("rl_estate_company")} · ${t("rl_first_liaison")}`;
  else s = `${cat.companies.get(th.company!)?.name ?? th.company} · ${th.liaison ? (cat.liaisons.get(th.liaison)?.name ?? th.liaison) : t("rl_first_liaison")}`;
  if (th.urgency) s += `；${t("rl_raise")}${t(`urgency_${th.urgency}`)}`;
  return s;
}

export const durationText = (vw: View, d: { amount: number; unit: string }) => ruleDuration(d, vw.locale);

export function DeadlineTableView({ vw, rs }: { vw: View; rs: RuleSet }) {
  const { t } = vw;
  const entries: DeadlineEntry[] = rs.deadlines.entries;
  const hint = rs.deadlines.residentHintRaisesTo;
  return (
    <>
      <p>{hint ? `${t("rl_hint_raises")}${t(`urgency_${hint}`)}` : t("rl_hint_ignored")}</p>
      <p id="after-hours-start">
        {rs.afterHoursStart.kinds.length && rs.afterHoursStart.levels.length
          ? `${t("rl_after_hours")}${rs.afterHoursStart.kinds.map((k) => t(`kind_${k}`)).join("、")}（${rs.afterHoursStart.levels.map((l) => t(`urgency_${l}`)).join("、")}）${t("rl_after_hours_tail")}`
          : t("rl_after_hours_none")}
      </p>
      <div class="scroll">
        <table id="deadline-table">
          <thead>
            <tr>
              <th>{t("rl_rule")}</th>
              <th>{t("rl_when")}</th>
              {URGENCIES.map((u) => (
                <th>{t(`urgency_${u}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr id={`deadline-${e.id}`}>
                <td>
                  <b>{e.description?.split(/[：:]/)[0] ?? e.id}</b>
                  <div>
                    <small><code>{e.id}</code></small>
                  </div>
                </td>
                <td>
                  {[
                    e.when.emergency ? t("rl_emergency_cats") : null,
                    e.when.categories ? list(e.when.categories.map((c) => rs.categories.label(c, vw.locale))) : null,
                    e.when.kinds ? list(e.when.kinds.map((k) => t(`kind_${k}`))) : null,
                  ]
                    .filter(Boolean)
                    .join("；") || t("rl_any")}
                </td>
                {URGENCIES.map((u) => (
                  <td>{levelText(vw, e.levels[u])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function levelText(vw: View, l: DeadlineLevel | undefined): string {
  if (!l) return "—";
  const { t } = vw;
  return `${t("rl_respond")} ${durationText(vw, l.respond)} · ${t("rl_resolve")} ${durationText(vw, l.resolve)}${l.notifyOffice ? ` · ${t("rl_notify_office")}` : ""}`;
}

export function CategoryTable({ vw, rs }: { vw: View; rs: RuleSet }) {
  const { t } = vw;
  return (
    <div class="scroll">
      <table id="category-table">
        <thead>
          <tr>
            <th>{t("rl_name")}</th>
            <th>{t("rl_kinds")}</th>
            <th>{t("rl_emergency")}</th>
            <th>{t("rl_public_area")}</th>
          </tr>
        </thead>
        <tbody>
          {rs.categories.list.map((c) => (
            <tr id={`category-${c.code}`}>
              <td>
                {c.label[vw.locale]}
                <div>
                  <small><code>{c.code}</code></small>
                </div>
              </td>
              <td>{list(c.kinds.map((k) => t(`kind_${k}`)))}</td>
              <td>{c.emergency ? t("rl_yes") : ""}</td>
              <td>{c.publicArea ? t("rl_yes") : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CalendarTable({ vw, cal }: { vw: View; cal: CalendarFile }) {
  const { t } = vw;
  const years = Object.entries(cal.years);
  return (
    <>
      <p>
        {t("rl_office_hours")}：{cal.officeHours.start}–{cal.officeHours.end}
      </p>
      {years.length === 0 ? (
        <p>{t("rl_no_years")}</p>
      ) : (
        <div class="scroll">
          <table id="calendar-table">
            <thead>
              <tr>
                <th>{t("rl_year")}</th>
                <th>{t("rl_holidays")}</th>
                <th>{t("rl_workdays")}</th>
              </tr>
            </thead>
            <tbody>
              {years.map(([y, c]) => (
                <tr id={`year-${y}`}>
                  <td>
                    {y}
                    {c.provisional ? ` · ${t("rl_provisional")}` : ""}
                    {c.replace ? ` · ${t("rl_replace")}` : ""}
                  </td>
                  <td>{list(c.holidays)}</td>
                  <td>{list(c.workdays) || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
