// Honest figures as Preact parts shared by the figures, streets and bulletin pages: a rate always
// shows its numerator and denominator ("83.3% · 5/6") and says 数据不足 under the office's minimum
// sample (rules/assessment.json classification.minSample), so 1 of 1 never reads as "100%"; faces are
// inline SVG (smile / neutral / crying) so they look the same on every phone, not platform emoji.
import type { FigureRow } from "../../core/assessment/figures.ts";
import type { ComponentChildren } from "preact";
import type { BoardRow } from "../../core/assessment/board.ts";
import type { Translate } from "../i18n/i18n.ts";

export const percent = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

/** "83.3% · 5/6", "数据不足 · 2/3" or "— · 0/0": the words a clerk reads for one rate. */
export function rateText(ok: number, base: number, minSample: number, t: Translate): string {
  if (base === 0) return "— · 0/0";
  if (base < minSample) return `${t("too_few")} · ${ok}/${base}`;
  return `${percent(ok / base)} · ${ok}/${base}`;
}

export function Rate(p: { ok: number; base: number; min: number; t: Translate }) {
  const few = p.base < p.min;
  return (
    <td class={few ? "num few" : "num"} data-ok={p.ok} data-base={p.base}>
      {rateText(p.ok, p.base, p.min, p.t)}
    </td>
  );
}

export function FigureTable(p: { rows: FigureRow[]; id: string; t: Translate; minSample: number; first?: string }) {
  const { t, minSample: min } = p;
  return (
    <div class="scroll">
      <table id={p.id}>
        <thead>
          <tr>
            <th>{p.first ?? ""}</th>
            <th class="num">{t("case_count")}</th>
            <th class="num">{t("response_rate")}</th>
            <th class="num">{t("resolution_rate")}</th>
            <th class="num">{t("satisfaction_rate")}</th>
            <th class="num">{t("repeat_rate")}</th>
            <th class="num">{t("overdue_count")}</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.length === 0 ? (
            <tr>
              <td colSpan={7}>{t("none")}</td>
            </tr>
          ) : (
            p.rows.map((x) => (
              <tr>
                <td>{x.label === "-" ? t("unassigned") : x.label}</td>
                <td class="num">{x.cases}</td>
                <Rate ok={x.counts.responseOk} base={x.counts.responseDue} min={min} t={t} />
                <Rate ok={x.counts.resolutionOk} base={x.counts.resolutionDue} min={min} t={t} />
                <Rate ok={x.counts.satisfied} base={x.counts.answers} min={min} t={t} />
                <Rate ok={x.counts.repeats} base={x.cases} min={min} t={t} />
                <td class="num">{x.overdue}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

const FACE_COLOUR = { smiling: "#2e7d32", neutral: "#8a8f98", crying: "#c62828" } as const;

/** Inline SVG face: smiling (示范/达标), crying (整改), neutral (未评定 or not rated yet). */
export function Face(p: { smiling: boolean | null; t: Translate; size?: number }) {
  const kind = p.smiling === null ? "neutral" : p.smiling ? "smiling" : "crying";
  const c = FACE_COLOUR[kind];
  const mouth = kind === "smiling" ? "M16 27 Q24 35 32 27" : kind === "crying" ? "M16 33 Q24 25 32 33" : "M16 30 L32 30";
  const s = p.size ?? 48;
  return (
    <svg class={`face ${kind}`} role="img" aria-label={p.t(`face_${kind}`)} data-face={kind} width={s} height={s} viewBox="0 0 48 48">
      <circle cx="24" cy="24" r="21" fill={kind === "neutral" ? "#eceff1" : kind === "smiling" ? "#e8f5e9" : "#ffebee"} stroke={c} stroke-width="3" />
      <circle cx="17" cy="19" r="2.6" fill={c} />
      <circle cx="31" cy="19" r="2.6" fill={c} />
      <path d={mouth} fill="none" stroke={c} stroke-width="3" stroke-linecap="round" />
      {kind === "crying" ? <path d="M31 23 q-2 5 0 7 q2 -2 0 -7" fill="#42a5f5" /> : null}
    </svg>
  );
}

/** One estate on a board (the public one and the dashboard's): face, name, street, class; extra lines below. */
export function EstateCard(p: { r: BoardRow; t: Translate; children?: ComponentChildren }) {
  const { r, t } = p;
  return (
    <div class={`estate ${r.class ?? "none"}`} data-estate={r.estate} data-class={r.class ?? "none"}>
      <div class="face">
        <Face smiling={r.smiling} t={t} />
      </div>
      <div class="estate-text">
        <div>
          <b>{r.name}</b>
        </div>
        <div>{r.streetName}</div>
        <div class="class-name">{t(r.class ? `class_${r.class}` : "class_none")}</div>
        {p.children}
      </div>
    </div>
  );
}

/** Every month label from `from` to `to` (local), so a trend has a real time axis with gaps. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = to.split("-").map(Number) as [number, number];
  while ((y < ty || (y === ty && m <= tm)) && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m === 12 ? ((y += 1), (m = 1)) : (m += 1);
  }
  return out;
}
