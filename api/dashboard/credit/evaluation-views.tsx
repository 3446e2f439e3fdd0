// The yearly evaluation as a page: the period, every company's and manager's score and grade, the red
// and black lists, and the rules that gave them. The dashboard's print page and the public 公示 page
// (no login) both render this; `publicView` hides what rules.publish does not publish (a manager's
// name and certificate number by default) and never shows a phone.
import type { CreditRules } from "../../../core/credit/credit-rules.ts";
import type { SubjectScore } from "../../../core/credit/credit-file.ts";
import { onRedList, type Evaluation, type EvaluatedManager } from "../../../core/credit/evaluation.ts";
import type { View } from "../layout.ts";

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ""));
const day = (vw: View, d: Date) => vw.fmt(d).slice(0, 10);
/** A list in words: 、 in Chinese, a comma in English. */
export const joinNames = (vw: View, names: string[]) => names.join(vw.locale === "en" ? ", " : "、");

/** What a manager is called on this page: their name, or "<company>项目经理" when names are not published. */
export function managerLabel(vw: View, rules: CreditRules, m: EvaluatedManager, publicView: boolean): string {
  const named = !publicView || rules.publish.managerName;
  const cert = (!publicView || rules.publish.certificateNo) && m.certificateNo ? ` (${m.certificateNo})` : "";
  const base = named ? m.name : fill(vw.t("ev_manager_of"), { company: m.company ?? "" });
  return `${base}${named ? cert : ""}`;
}

export function periodText(vw: View, ev: Evaluation): string {
  const period = `${ev.year} ${vw.t("ev_year")} · ${vw.t("ev_period")} ${day(vw, ev.from)} — ${day(vw, ev.at)}`;
  return ev.partial ? `${period} · ${fill(vw.t("ev_partial"), { at: vw.fmt(ev.at) })}` : period;
}

/** The rules in force, in words (the same lines on the page and in the PDF). */
export function ruleLines(vw: View, rules: CreditRules): string[] {
  const { t } = vw;
  const n = (x: number) => String(Math.round(x * 100) / 100);
  const base = `${fill(t("ev_rule_base"), { max: rules.base.max })}: ${rules.base.items.map((i) => `${t(`ev_base_${i.key}`)} ${n(i.points)}`).join(" · ")}`;
  const types = rules.recordTypes.map((r) => {
    const pts = fill(t(r.polarity === "good" ? "ev_adds" : "ev_takes"), { points: n(r.points) });
    const norm = r.normalise === "cases" ? `, ${fill(t("ev_per_cases"), { per: r.per })}` : r.normalise === "households" ? `, ${fill(t("ev_per_households"), { per: r.per })}` : "";
    return `${t(`ct_${r.type}`)}: ${pts}, ${fill(t("ev_valid_days"), { days: r.validDays })}${norm}`;
  });
  return [
    base,
    `${t("ev_record_types")}:`,
    ...types.map((x) => `— ${x}`),
    fill(t("ev_rule_caps"), { good: n(rules.caps.good), bad: n(rules.caps.bad) }),
    `${t("ev_rule_grades")}: ${rules.grades.map((g) => `${g.grade} ≥ ${n(g.min)}`).join(" · ")}`,
    fill(t("ev_rule_cards"), { types: joinNames(vw, rules.cards.yellowTypes.map((y) => t(`ct_${y}`))), yellows: rules.cards.red.yellows, bad: rules.cards.red.badRecords }),
    fill(t("ev_rule_blacklist"), { red: rules.blacklist.redCards, below: n(rules.blacklist.scoreBelow) }),
    fill(t("ev_rule_red"), { grades: rules.publish.redListGrades.join(" / ") }),
  ];
}

function listOf(vw: View, rules: CreditRules, s: SubjectScore): string {
  return s.blacklisted ? vw.t("ev_black_list") : onRedList(rules, s) ? vw.t("ev_red_list") : "";
}

export function EvaluationBody(p: { vw: View; rules: CreditRules; ev: Evaluation; publicView: boolean }) {
  const { vw, rules, ev } = p;
  const { t } = vw;
  const red = [...ev.companies.filter((c) => onRedList(rules, c.s)).map((c) => c.name), ...ev.managers.filter((m) => onRedList(rules, m.s)).map((m) => managerLabel(vw, rules, m, p.publicView))];
  const black = [...ev.companies.filter((c) => c.s.blacklisted).map((c) => c.name), ...ev.managers.filter((m) => m.s.blacklisted).map((m) => managerLabel(vw, rules, m, p.publicView))];
  return (
    <>
      <p id="ev-period" class="card">{periodText(vw, ev)}</p>
      <h2>{t("ev_red_list")}</h2>
      <p id="ev-red">{red.length ? joinNames(vw, red) : t("ev_none")}</p>
      <h2>{t("ev_black_list")}</h2>
      <p id="ev-black">{black.length ? joinNames(vw, black) : t("ev_none")}</p>
      <h2>{t("ev_companies")}</h2>
      <div class="scroll">
        <table id="ev-companies">
          <thead>
            <tr>
              <th class="num">{t("ev_rank")}</th>
              <th>{t("company")}</th>
              <th class="num">{t("cr_score")}</th>
              <th>{t("cr_grade")}</th>
              <th class="num">{t("cr_yellow")}</th>
              <th class="num">{t("cr_red")}</th>
              <th>{t("ev_list")}</th>
            </tr>
          </thead>
          <tbody>
            {ev.companies.map((c, i) => (
              <tr data-company={c.code}>
                <td class="num">{String(i + 1)}</td>
                <td>{c.name}</td>
                <td class="num">{String(c.s.score)}</td>
                <td>{c.s.grade}</td>
                <td class="num">{String(c.s.yellowCards)}</td>
                <td class="num">{String(c.s.redCards)}</td>
                <td>{listOf(vw, rules, c.s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("cr_managers")}</h2>
      <div class="scroll">
        <table id="ev-managers">
          <thead>
            <tr>
              <th class="num">{t("ev_rank")}</th>
              <th>{t("cr_manager")}</th>
              <th class="num">{t("cr_score")}</th>
              <th>{t("cr_grade")}</th>
              <th>{t("ev_list")}</th>
            </tr>
          </thead>
          <tbody>
            {ev.managers.map((m, i) => (
              <tr data-manager={p.publicView ? String(i + 1) : String(m.id)}>
                <td class="num">{String(i + 1)}</td>
                <td>{managerLabel(vw, rules, m, p.publicView)}</td>
                <td class="num">{String(m.s.score)}</td>
                <td>{m.s.grade}</td>
                <td>{listOf(vw, rules, m.s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("ev_rules")}</h2>
      <ul id="ev-rules">
        {ruleLines(vw, rules).map((l) => (
          <li>{l}</li>
        ))}
      </ul>
      {p.publicView ? <p class="note">{t("ev_published_at")}</p> : null}
    </>
  );
}
