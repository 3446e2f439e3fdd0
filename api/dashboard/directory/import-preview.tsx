// The import preview's lists: how each sheet's columns were read (a select per header, to correct and
// preview again; the choice is remembered), the names merged into one (one company spelled three
// ways), and every change as record · field: before → after, with the open cases of each company
// change and the clerk's choice for them (move to the new company, or stay) inside the confirm form.
import type { ImportResult } from "../../../core/directory/import/apply.ts";
import type { Change } from "../../../core/directory/import/changes.ts";
import { SHEETS } from "../../../core/directory/import/sheets.ts";
import type { View } from "../layout.ts";
import { Csrf, DIR } from "./common.tsx";

const columnLabel = (vw: View, kind: string, key: string) => {
  const c = SHEETS.find((s) => s.kind === kind)?.columns.find((x) => x.key === key);
  return c ? (vw.locale === "en" ? c.en : c.zh) : key;
};

export function MappingForm({ vw, result, token }: { vw: View; result: ImportResult; token: string | null }) {
  const { t } = vw;
  if (!result.sheets.length) return null;
  return (
    <form method="post" action={`${DIR}/import/remap`} class="card" id="mapping-form">
      <Csrf v={vw} />
      {token ? <input type="hidden" name="token" value={token} /> : null}
      <h2>{t("dir_mapping")}</h2>
      {result.sheets.map((s) => {
        const kind = SHEETS.find((k) => k.kind === s.kind)!;
        const ignored = s.mapping.filter((m) => m.key === null);
        return (
          <div class="scroll" data-sheet={s.name}>
            <h3>
              {s.name} · {t(`dir_${s.kind}`)} · {t("dir_header_row").replace("{n}", String(s.headerRow))}
            </h3>
            <table class="mapping">
              <tbody>
                {s.mapping.map((m, i) => (
                  <tr>
                    <td>{m.header}</td>
                    <td>
                      <input type="hidden" name={`hdr:${s.kind}:${i}`} value={m.header} />
                      <select name={`map:${s.kind}:${i}`} aria-label={m.header}>
                        <option value="" selected={m.key === null}>
                          {t("dir_not_used")}
                        </option>
                        {kind.columns.map((c) => (
                          <option value={c.key} selected={m.key === c.key}>
                            {columnLabel(vw, s.kind, c.key)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {ignored.length ? (
              <p class="note ignored">
                {t("dir_ignored")}: {ignored.map((m) => m.header).join("、")}
              </p>
            ) : null}
          </div>
        );
      })}
      {token ? <button id="remap">{t("dir_remap")}</button> : null}
    </form>
  );
}

export function Merged({ vw, result }: { vw: View; result: ImportResult }) {
  if (!result.merged.length) return null;
  return (
    <div class="card" id="import-merged">
      <h2>{vw.t("dir_merged")}</h2>
      <ul>
        {result.merged.map((m) => (
          <li>{`${m.variants.join(" · ")} → ${m.name}`}</li>
        ))}
      </ul>
    </div>
  );
}

const shown = (vw: View, c: Change, v: Change["before"]) => (v === null || v === undefined || v === "" ? (c.field === "dir_company" ? vw.t("dir_no_company") : "—") : String(v));

/** One line per change: "和平小区（东城街道） · 户数 480 → 500", "新增 · 小区 · 春晖苑（西苑街道）". */
export function changeLine(vw: View, c: Change): string {
  const { t } = vw;
  if (c.action === "create") return `${t("dir_new")} · ${t(`dir_${c.kind}`)} · ${c.record}`;
  if (c.action === "deactivate") return `${t("dir_imp_deactivate")} · ${t(`dir_${c.kind}`)} · ${c.record}`;
  return `${c.record} · ${t(c.field ?? "dir_name")} ${shown(vw, c, c.before)} → ${shown(vw, c, c.after)}`;
}

export function ChangeList({ vw, result }: { vw: View; result: ImportResult }) {
  const { t } = vw;
  if (!result.ok) return null;
  return (
    <div class="card" id="import-changes">
      <h2>{t("dir_changes")}</h2>
      {result.changes.length === 0 ? (
        <p id="no-changes">{t("dir_no_changes")}</p>
      ) : (
        <ul>
          {result.changes.slice(0, 2000).map((c) => (
            <li data-kind={c.kind} data-action={c.action}>
              {changeLine(vw, c)}
              {c.openCases ? ` · ${t("dir_imp_open_cases").replace("{n}", String(c.openCases))}` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Inside the confirm form: for each company change with open cases, move them or let them stay. */
export function OpenCaseChoices({ vw, result }: { vw: View; result: ImportResult }) {
  const { t } = vw;
  const moves = result.changes.filter((c) => c.field === "dir_company" && (c.openCases ?? 0) > 0);
  if (!moves.length) return null;
  return (
    <fieldset id="open-cases">
      {moves.map((c) => (
        <p data-estate={c.code}>
          {`${changeLine(vw, c)} · ${t("dir_imp_open_cases").replace("{n}", String(c.openCases))}: `}
          <label>
            <input type="radio" name={`cases:${c.code}`} value="move" required /> {t("dir_cases_move")}
          </label>{" "}
          <label>
            <input type="radio" name={`cases:${c.code}`} value="stay" required /> {t("dir_cases_stay")}
          </label>
        </p>
      ))}
    </fieldset>
  );
}
