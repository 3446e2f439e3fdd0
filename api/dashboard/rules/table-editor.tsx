// The rule files as editable tables: one form per file, a row per routing rule, deadline entry, category
// or calendar year, cells in the clerk's language with names in select boxes (the values are the codes
// the file keeps). Buttons on a row post the whole form back to move or remove it (no script needed);
// "check and dry-run" builds the JSON (rules/editing/table-rows.ts) and shows the loader's issues next
// to the row and cell they are about. At 390 px the rows become cards (table.cards in app.css).
import type { ComponentChildren } from "preact";
import type { View } from "../layout.ts";
import { KINDS } from "../../../core/cases/categories.ts";
import { DURATION_UNITS } from "../../../core/clocks/deadlines.ts";
import { LEVELS, type CalendarRow, type CategoryRow, type DeadlineRow, type RoutingRow, type Rows } from "../../../rules/editing/table-rows.ts";
import type { PlacedIssues } from "./issues.ts";

export interface TableOptions {
  estates: { code: string; name: string }[];
  streets: { code: string; name: string }[];
  companies: { code: string; name: string; liaisons: { code: string; name: string }[] }[];
  categories: { code: string; label: string }[];
}

type Cells = Map<string, string[]> | undefined;

export function TableEditor(p: { vw: View; rows: Rows; options: TableOptions; placed: PlacedIssues | null }) {
  const { vw, rows } = p;
  const { t } = vw;
  const placed = p.placed;
  return (
    <form method="post" action={`/dashboard/rules/table/${rows.file}`} id="table-editor">
      <input type="hidden" name="_csrf" value={vw.csrf} />
      <input type="hidden" name="top" value={rows.top} />
      {/* Enter in a cell checks the table (the first submit button is the one a browser presses). */}
      <button name="op" value="check" class="visually-hidden" tabIndex={-1} aria-hidden="true">
        {t("rl_check")}
      </button>
      <p>{t("rt_intro")}</p>
      {placed && placed.other.length > 0 && (
        <div class="err" id="table-other-errors">
          <p>{t("rt_other_errors")}</p>
          <ul>
            {placed.other.map((x) => (
              <li>{x}</li>
            ))}
          </ul>
        </div>
      )}
      {rows.file === "routing" ? (
        <RoutingRows vw={vw} rows={rows.rows} o={p.options} placed={placed} />
      ) : rows.file === "deadlines" ? (
        <DeadlineRows vw={vw} rows={rows.rows} hint={rows.hintRaisesTo} o={p.options} placed={placed} />
      ) : rows.file === "categories" ? (
        <CategoryRows vw={vw} rows={rows.rows} placed={placed} />
      ) : (
        <CalendarRows vw={vw} rows={rows.rows} start={rows.officeStart} end={rows.officeEnd} placed={placed} />
      )}
      <p class="actions">
        <button name="op" value="add" id="add-row" class="secondary">
          + {t("rt_add_row")}
        </button>
        <button name="op" value="check" id="table-check">
          {t("rl_check")}
        </button>
      </p>
    </form>
  );
}

const name = (i: number, cell: string) => `r[${i}][${cell}]`;
const cellId = (i: number, cell: string) => `r${i}-${cell.replace(/\]\[/g, "-").replace(/[[\]]/g, "")}`;

function Errs({ list }: { list: string[] | undefined }) {
  if (!list?.length) return null;
  return (
    <ul class="err cell-err">
      {list.map((x) => (
        <li>{x}</li>
      ))}
    </ul>
  );
}

/** A cell: its label (shown on phones), its problems in red. */
function Td(p: { label: string; errs?: string[]; children: ComponentChildren; class?: string }) {
  return (
    <td data-label={p.label} class={[p.class, p.errs?.length ? "bad" : ""].filter(Boolean).join(" ") || undefined}>
      {p.children}
      <Errs list={p.errs} />
    </td>
  );
}

function Field(p: { label: string; children: ComponentChildren }) {
  return (
    <label class="cell-field">
      <small>{p.label}</small>
      {p.children}
    </label>
  );
}

function Multi(p: { i: number; cell: string; options: [string, string][]; value: string[]; label: string }) {
  // Values the file names but the directory no longer has stay selectable, so a save does not drop them silently.
  const known = new Set(p.options.map(([k]) => k));
  const opts = [...p.options, ...p.value.filter((v) => !known.has(v)).map((v): [string, string] => [v, v])];
  return (
    <Field label={p.label}>
      <select multiple name={name(p.i, p.cell)} id={cellId(p.i, p.cell)} size={Math.min(4, Math.max(2, opts.length))}>
        {opts.map(([k, l]) => (
          <option value={k} selected={p.value.includes(k)}>
            {l}
          </option>
        ))}
      </select>
    </Field>
  );
}

function Checks(p: { i: number; cell: string; options: [string, string][]; value: string[]; label: string }) {
  return (
    <fieldset class="checks">
      <legend>
        <small>{p.label}</small>
      </legend>
      {p.options.map(([k, l]) => (
        <label>
          <input type="checkbox" name={name(p.i, p.cell)} value={k} checked={p.value.includes(k)} /> {l}
        </label>
      ))}
    </fieldset>
  );
}

function One(p: { i: number; cell: string; options: [string, string][]; value: string; label?: string }) {
  const known = p.options.some(([k]) => k === p.value);
  const opts = known || !p.value ? p.options : [...p.options, [p.value, p.value] as [string, string]];
  const select = (
    <select name={name(p.i, p.cell)} id={cellId(p.i, p.cell)}>
      {opts.map(([k, l]) => (
        <option value={k} selected={k === p.value}>
          {l}
        </option>
      ))}
    </select>
  );
  return p.label ? <Field label={p.label}>{select}</Field> : select;
}

function Text(p: { i: number; cell: string; value: string; label: string; size?: number; placeholder?: string }) {
  return (
    <Field label={p.label}>
      <input name={name(p.i, p.cell)} id={cellId(p.i, p.cell)} value={p.value} size={p.size} placeholder={p.placeholder} />
    </Field>
  );
}

function Moves({ vw, i, n }: { vw: View; i: number; n: number }) {
  const { t } = vw;
  return (
    <td class="row-actions" data-label={t("rt_order")}>
      <span class="row-no">{i + 1}</span>
      <button name="op" value={`up:${i}`} title={t("rt_up")} aria-label={t("rt_up")} disabled={i === 0} class="secondary">
        ↑
      </button>
      <button name="op" value={`down:${i}`} title={t("rt_down")} aria-label={t("rt_down")} disabled={i === n - 1} class="secondary">
        ↓
      </button>
      <button name="op" value={`remove:${i}`} title={t("rt_remove")} aria-label={t("rt_remove")} class="secondary remove-row">
        ✕
      </button>
    </td>
  );
}

/** An editable table: the order column with its move buttons, a row's cells, its errors marked. */
function EditorTable<R>(p: { vw: View; id: string; heads: string[]; rows: R[]; placed: PlacedIssues | null; muted?: (r: R) => boolean; children: (r: R, i: number, c: Cells) => ComponentChildren }) {
  const { vw } = p;
  const { t } = vw;
  return (
    <div class="scroll">
      <table id={p.id} class="cards editor">
        <thead>
          <tr>
            <th>{t("rt_order")}</th>
            {p.heads.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r, i) => {
            const c: Cells = p.placed?.cells.get(i);
            return (
              <tr id={`edit-row-${i}`} class={c ? "has-errors" : p.muted?.(r) ? "muted" : ""}>
                <Moves vw={vw} i={i} n={p.rows.length} />
                {p.children(r, i, c)}
              </tr>
            );
          })}
        </tbody>
      </table>
      {p.rows.length === 0 && <p>{t("rt_no_rows")}</p>}
    </div>
  );
}

const triOptions = (vw: View): [string, string][] => [
  ["", vw.t("rt_any")],
  ["yes", vw.t("rt_yes")],
  ["no", vw.t("rt_no")],
];

function RoutingRows(p: { vw: View; rows: RoutingRow[]; o: TableOptions; placed: PlacedIssues | null }) {
  const { vw, o } = p;
  const { t } = vw;
  const estates = o.estates.map((e): [string, string] => [e.code, e.name]);
  const streets = o.streets.map((s): [string, string] => [s.code, s.name]);
  const categories = o.categories.map((c): [string, string] => [c.code, c.label]);
  const kinds = KINDS.map((k): [string, string] => [k, t(`kind_${k}`)]);
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d): [string, string] => [String(d), t(`rl_wd_${d}`)]);
  const targets: [string, string][] = [["", t("rt_pick")], ["$estate", t("rl_estate_company")], ...o.companies.map((c): [string, string] => [c.code, c.name]), ["office", t("rl_to_office")]];
  return (
    <EditorTable vw={vw} id="routing-editor" heads={[t("rl_rule"), t("rl_when"), t("rl_then")]} rows={p.rows} placed={p.placed} muted={(r) => !r.enabled}>
      {(r, i, c) => (
        <>
          <Td label={t("rl_rule")} errs={c?.get("rule")}>
            <input type="hidden" name={name(i, "orig")} value={r.orig} />
            <Text i={i} cell="description" value={r.description} label={t("rt_description")} />
            <Text i={i} cell="id" value={r.id} label={t("rt_id")} size={18} />
            <Text i={i} cell="priority" value={r.priority} label={t("rl_priority")} size={5} />
            <label>
              <input type="checkbox" name={name(i, "enabled")} id={cellId(i, "enabled")} checked={r.enabled} /> {t("rl_enabled")}
            </label>
          </Td>
          <Td label={t("rl_when")} errs={c?.get("when")} class="when">
            <Multi i={i} cell="estates" options={estates} value={r.estates} label={t("rt_estates")} />
            <Multi i={i} cell="streets" options={streets} value={r.streets} label={t("rt_streets")} />
            <Multi i={i} cell="categories" options={categories} value={r.categories} label={t("rt_categories")} />
            <Checks i={i} cell="kinds" options={kinds} value={r.kinds} label={t("rl_kinds")} />
            <Text i={i} cell="buildings" value={r.buildings} label={t("rl_buildings")} placeholder={t("rt_buildings_hint")} />
            <Field label={t("rl_time")}>
              <span class="time-window">
                <input name={name(i, "timeFrom")} id={cellId(i, "timeFrom")} value={r.timeFrom} size={5} placeholder="18:00" aria-label={t("rt_time_from")} /> –{" "}
                <input name={name(i, "timeTo")} id={cellId(i, "timeTo")} value={r.timeTo} size={5} placeholder="08:00" aria-label={t("rt_time_to")} />
              </span>
            </Field>
            <Checks i={i} cell="weekdays" options={weekdays} value={r.weekdays} label={t("rl_weekdays")} />
            <One i={i} cell="dayType" label={t("rt_day")} value={r.dayType} options={[["", t("rt_any")], ["workday", t("rl_daytype_workday")], ["restday", t("rl_daytype_restday")]]} />
            <One i={i} cell="urgent" label={t("rt_urgent_mark")} value={r.urgent} options={triOptions(vw)} />
            <p class="hint">
              <small>{t("rt_multi_hint")}</small>
            </p>
          </Td>
          <Td label={t("rl_then")} errs={c?.get("then")}>
            <One i={i} cell="target" label={t("rt_target")} value={r.target} options={targets} />
            <Field label={t("rt_liaison")}>
              <select name={name(i, "liaison")} id={cellId(i, "liaison")}>
                <option value="" selected={!r.liaison}>
                  {t("rt_first_liaison")}
                </option>
                {o.companies.map((co) => (
                  <optgroup label={co.name}>
                    {co.liaisons.map((l) => (
                      <option value={l.code} selected={l.code === r.liaison}>
                        {l.name}
                      </option>
                    ))}
                  </optgroup>
                ))}
                {r.liaison && !o.companies.some((co) => co.liaisons.some((l) => l.code === r.liaison)) && (
                  <option value={r.liaison} selected>
                    {r.liaison}
                  </option>
                )}
              </select>
            </Field>
            <One i={i} cell="urgency" label={t("rt_raise")} value={r.urgency} options={[["", t("rt_no_raise")], ["urgent", t("urgency_urgent")], ["emergency", t("urgency_emergency")]]} />
          </Td>
        </>
      )}
    </EditorTable>
  );
}

const unitLabel = (vw: View, u: string) => vw.t(`rl_unit_${u}`).trim();

function DeadlineRows(p: { vw: View; rows: DeadlineRow[]; hint: string; o: TableOptions; placed: PlacedIssues | null }) {
  const { vw, o } = p;
  const { t } = vw;
  const units = DURATION_UNITS.map((u): [string, string] => [u, unitLabel(vw, u)]);
  const kinds = KINDS.map((k): [string, string] => [k, t(`kind_${k}`)]);
  const categories = o.categories.map((c): [string, string] => [c.code, c.label]);
  return (
    <>
      <p>
        <label>
          {t("rt_hint_setting")}{" "}
          <select name="hint" id="f-hint">
            {(
              [
                ["urgent", t("urgency_urgent")],
                ["emergency", t("urgency_emergency")],
                ["none", t("rt_hint_none")],
              ] as [string, string][]
            ).map(([k, l]) => (
              <option value={k} selected={k === p.hint}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </p>
      <EditorTable vw={vw} id="deadlines-editor" heads={[t("rl_rule"), t("rt_applies"), ...LEVELS.map((u) => t(`urgency_${u}`))]} rows={p.rows} placed={p.placed}>
        {(r, i, c) => (
          <>
            <Td label={t("rl_rule")} errs={c?.get("rule")}>
              <input type="hidden" name={name(i, "orig")} value={r.orig} />
              <Text i={i} cell="description" value={r.description} label={t("rt_description")} />
              <Text i={i} cell="id" value={r.id} label={t("rt_id")} size={16} />
            </Td>
            <Td label={t("rt_applies")} errs={c?.get("when")}>
              <Multi i={i} cell="categories" options={categories} value={r.categories} label={t("rt_categories")} />
              <Checks i={i} cell="kinds" options={kinds} value={r.kinds} label={t("rl_kinds")} />
              <One i={i} cell="emergencyWhen" label={t("rt_emergency_cat")} value={r.emergencyWhen} options={triOptions(vw)} />
            </Td>
            {LEVELS.map((u) => {
              const l = r.levels[u];
              const cell = (k: string) => `${u}][${k}`;
              return (
                <Td label={t(`urgency_${u}`)} errs={c?.get(u)} class="level">
                  <Field label={t("rl_respond")}>
                    <span class="duration">
                      <input name={name(i, cell("respond"))} id={cellId(i, cell("respond"))} value={l.respond} size={4} inputMode="decimal" />
                      <One i={i} cell={cell("respondUnit")} value={l.respondUnit} options={units} />
                    </span>
                  </Field>
                  <Field label={t("rl_resolve")}>
                    <span class="duration">
                      <input name={name(i, cell("resolve"))} id={cellId(i, cell("resolve"))} value={l.resolve} size={4} inputMode="decimal" />
                      <One i={i} cell={cell("resolveUnit")} value={l.resolveUnit} options={units} />
                    </span>
                  </Field>
                  <label>
                    <input type="checkbox" name={name(i, cell("notifyOffice"))} checked={l.notifyOffice} /> {t("rl_notify_office")}
                  </label>
                </Td>
              );
            })}
          </>
        )}
      </EditorTable>
    </>
  );
}

function CategoryRows(p: { vw: View; rows: CategoryRow[]; placed: PlacedIssues | null }) {
  const { vw } = p;
  const { t } = vw;
  const kinds = KINDS.map((k): [string, string] => [k, t(`kind_${k}`)]);
  return (
    <EditorTable vw={vw} id="categories-editor" heads={[t("rt_code"), t("rl_name"), t("rl_kinds"), t("rl_emergency")]} rows={p.rows} placed={p.placed}>
      {(r, i, c) => (
        <>
          <Td label={t("rt_code")} errs={c?.get("code")}>
            <input type="hidden" name={name(i, "orig")} value={r.orig} />
            <Text i={i} cell="code" value={r.code} label={t("rt_code")} size={14} />
          </Td>
          <Td label={t("rl_name")} errs={c?.get("label")}>
            <Text i={i} cell="zhHans" value={r.zhHans} label={t("rt_label_hans")} />
            <Text i={i} cell="zhHant" value={r.zhHant} label={t("rt_label_hant")} />
            <Text i={i} cell="en" value={r.en} label={t("rt_label_en")} />
          </Td>
          <Td label={t("rl_kinds")} errs={c?.get("kinds")}>
            <Checks i={i} cell="kinds" options={kinds} value={r.kinds} label={t("rl_kinds")} />
          </Td>
          <Td label={t("rl_emergency")}>
            <label>
              <input type="checkbox" name={name(i, "emergency")} checked={r.emergency} /> {t("rl_emergency")}
            </label>
            <label>
              <input type="checkbox" name={name(i, "publicArea")} checked={r.publicArea} /> {t("rl_public_area")}
            </label>
          </Td>
        </>
      )}
    </EditorTable>
  );
}

function CalendarRows(p: { vw: View; rows: CalendarRow[]; start: string; end: string; placed: PlacedIssues | null }) {
  const { vw } = p;
  const { t } = vw;
  const hours = p.placed?.cells.get(-1)?.get("officeHours");
  return (
    <>
      <p class={hours ? "bad" : undefined}>
        {t("rl_office_hours")}：
        <label>
          {t("rt_office_start")} <input name="officeStart" id="f-officeStart" value={p.start} size={5} placeholder="09:00" />
        </label>{" "}
        <label>
          {t("rt_office_end")} <input name="officeEnd" id="f-officeEnd" value={p.end} size={5} placeholder="18:00" />
        </label>
        <Errs list={hours} />
      </p>
      <EditorTable vw={vw} id="calendar-editor" heads={[t("rl_year"), t("rl_holidays"), t("rl_workdays")]} rows={p.rows} placed={p.placed}>
        {(r, i, c) => (
          <>
            <Td label={t("rl_year")} errs={c?.get("year")}>
              <input type="hidden" name={name(i, "orig")} value={r.orig} />
              <Text i={i} cell="year" value={r.year} label={t("rl_year")} size={5} />
              <label>
                <input type="checkbox" name={name(i, "provisional")} checked={r.provisional} /> {t("rl_provisional")}
              </label>
              <label>
                <input type="checkbox" name={name(i, "replace")} checked={r.replace} /> {t("rl_replace")}
              </label>
            </Td>
            <Td label={t("rl_holidays")} errs={c?.get("holidays")}>
              <textarea name={name(i, "holidays")} id={cellId(i, "holidays")} rows={4} placeholder={t("rt_dates_hint")}>
                {r.holidays}
              </textarea>
            </Td>
            <Td label={t("rl_workdays")} errs={c?.get("workdays")}>
              <textarea name={name(i, "workdays")} id={cellId(i, "workdays")} rows={4} placeholder={t("rt_dates_hint")}>
                {r.workdays}
              </textarea>
            </Td>
          </>
        )}
      </EditorTable>
    </>
  );
}
