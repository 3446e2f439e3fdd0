// Dashboard: the rule files as tables (everyone logged in), edited by admin and district staff. An edit
// is checked exactly as the loader checks the folder, tried on the last 30 days of cases and shown as
// a dry-run before it is confirmed; a confirmed edit writes the JSON file atomically, is kept as a
// version (who, when, why) and reloads the rules in force. Any version can be restored.
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Db } from "../../../core/db/db.ts";
import { KINDS } from "../../../core/cases/categories.ts";
import { who, scopeOf, type Auth } from "../../auth.ts";
import { HttpError, parse } from "../../http.ts";
import type { OfficeAppDeps } from "../../office.ts";
import { estateInScope } from "../../rest/v1.ts";
import { renderFragment } from "../../views/render.tsx";
import { page, view, type View } from "../layout.ts";
import type { DryRunResult } from "../../../rules/router.ts";
import { formBody } from "../../input-guard.ts";
import { loadCatalogue } from "../../../rules/catalogue.ts";
import { loadRuleSet, type RuleIssue, type RuleSet } from "../../../rules/loader.ts";
import { calendarFileSchema, routingFileSchema, routingRuleSchema, type RoutingRule } from "../../../rules/schemas.ts";
import { checkDraft, EDITABLE, MAX_RULE_FILE_BYTES, readRuleFile, type EditableFile } from "../../../rules/editing/draft.ts";
import { compareRuleSets, type CompareResult, type RouteSide } from "../../../rules/editing/compare.ts";
import { listVersions, saveRuleFile } from "../../../rules/editing/versions.ts";
import { CalendarTable, CategoryTable, DeadlineTableView, describeWhen, RoutingTable } from "./tables.tsx";
import { localIssue, placeIssues, type PlacedIssues } from "./issues.ts";
import { TableEditor, type TableOptions } from "./table-editor.tsx";
import { rowsFromForm, opOf } from "./table-form.ts";
import { applyOp, emptyRow, rowsFromText, textFromRows, type Rows } from "../../../rules/editing/table-rows.ts";

const DryRunForm = z
  .object({
    kind: z.enum(KINDS),
    category: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/),
    estate: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/),
    building: z.string().max(40).optional(),
    urgent: z.literal("on").optional(),
    filedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/).optional(),
  })
  .loose();

const EditForm = z.object({
  text: z.string().min(1, "the file is empty").max(MAX_RULE_FILE_BYTES),
  reason: z.string().trim().min(1, "say why (修改原因)").max(500),
});

const fileParam = (s: unknown) => parse(z.enum(EDITABLE), s, "rule file");

export function rulesPages(db: Db, d: OfficeAppDeps, auth: Auth): Router {
  const r = express.Router();
  const staff = auth.requireRole("admin", "district");
  const rulesDir = () => d.router.status().rulesDir;
  const current = async () => {
    const catalogue = await loadCatalogue(db);
    const loaded = loadRuleSet(rulesDir(), catalogue);
    return { catalogue, ruleSet: loaded.ok ? loaded.ruleSet : null, issues: loaded.ok ? [] : loaded.issues };
  };

  const render = async (
    req: Request,
    res: Response,
    o: { file?: EditableFile; dry?: { form: z.infer<typeof DryRunForm>; result: DryRunResult }; draft?: Draft; notice?: string | null; status?: number; table?: { rows: Rows; placed: PlacedIssues | null } } = {},
  ) => {
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const file = o.file ?? (EDITABLE.includes(req.query.file as EditableFile) ? (req.query.file as EditableFile) : "routing");
    const scope = scopeOf(res);
    const estates = await db.estate.findMany({ where: scope.streetId !== null ? { streetId: scope.streetId } : {}, orderBy: { code: "asc" }, select: { code: true, name: true } });
    const { ruleSet, issues, catalogue } = await current();
    const canEdit = ["admin", "district"].includes(scope.role);
    const versions = await listVersions(db, file);
    const text = readRuleFile(rulesDir(), file) ?? "";
    const streets = await db.street.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true } });
    let table: { rows: Rows | null; placed: PlacedIssues | null; options: TableOptions } | undefined;
    if (canEdit) {
      const allEstates = await db.estate.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true } });
      const companies = [...catalogue.companies].map(([code, c]) => ({ code, name: c.name, liaisons: c.liaisons.map((l) => ({ code: l, name: catalogue.liaisons.get(l)!.name })) }));
      const categories = (ruleSet?.categories ?? d.categories).list.map((c) => ({ code: c.code, label: c.label[vw.locale] }));
      table = { rows: o.table?.rows ?? rowsFromText(file, o.draft?.text ?? text), placed: o.table?.placed ?? null, options: { estates: allEstates, streets, companies, categories } };
    }
    const body = renderFragment(
      <RulesPage vw={vw} d={d} file={file} ruleSet={ruleSet} diskIssues={issues} text={text} canEdit={canEdit} estates={estates} dry={o.dry} draft={o.draft} notice={o.notice ?? null} versions={versions} table={table} streetNames={new Map(streets.map((s) => [s.code, s.name]))} />,
    );
    res.status(o.status ?? 200).type("html").send(page(vw, vw.t("rules"), body, { res }));
  };

  r.get("/rules", (req, res) => {
    const saved = typeof req.query.saved === "string" && /^\d{1,10}$/.test(req.query.saved) ? req.query.saved : null;
    const restored = typeof req.query.restored === "string" && /^\d{1,10}$/.test(req.query.restored) ? req.query.restored : null;
    const vw = view(req, res, d.defaultLocale, d.timezone);
    return render(req, res, { notice: saved ? vw.t("rl_saved").replace("{id}", saved) : restored ? vw.t("rl_rolled_back").replace("{id}", restored) : null });
  });

  r.post("/rules/dry-run", formBody({ extended: false, limit: "8kb" }), auth.requireCsrf, async (req, res) => {
    const f = parse(DryRunForm, Object.fromEntries(Object.entries(req.body as Record<string, string>).filter(([, x]) => x !== "")), "form");
    const estate = await estateInScope(db, f.estate, scopeOf(res));
    // The form's time is local to the district.
    const filedAt = f.filedAt ? new Date(`${f.filedAt}:00${offsetOf(d.timezone, d.clock.now())}`) : d.clock.now();
    const result = await d.router.dryRun({ kind: f.kind, category: f.category, estate: estate.code, street: estate.street.code, building: f.building, urgencyHint: f.urgent === "on", filedAt });
    await render(req, res, { dry: { form: f, result } });
  });

  r.post("/rules/reload", formBody({ extended: false, limit: "1kb" }), auth.requireCsrf, staff, async (_req, res) => {
    await d.router.reload();
    res.redirect(303, "/dashboard/rules");
  });

  // Step 1 of an edit: check and dry-run; nothing is written.
  r.post("/rules/edit/:file/preview", formBody({ extended: false, limit: "600kb" }), auth.requireCsrf, staff, async (req, res) => {
    const file = fileParam(req.params.file);
    const f = parse(EditForm, req.body, "form");
    const draft = await prepare(file, f.text, f.reason);
    await render(req, res, { file, draft, status: draft.issues ? 422 : 200 });
  });

  // The table editor: a row button re-shows the table with the row added, moved or removed (nothing is
  // checked or written); "check" builds the file's JSON from the rows and goes on as a JSON edit does.
  r.post("/rules/table/:file", formBody({ extended: true, limit: "600kb", parameterLimit: 20_000 }), auth.requireCsrf, staff, async (req, res) => {
    const file = fileParam(req.params.file);
    const rows = rowsFromForm(file, req.body);
    const op = opOf(req.body);
    if (op !== "check") {
      const moved = { ...rows, rows: applyOp<unknown>(rows.rows, op, () => emptyRow(file)) } as Rows;
      return render(req, res, { file, table: { rows: moved, placed: null } });
    }
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const text = textFromRows(rows);
    // Two rows with one year would silently become one key of "years": said here, as the loader cannot see it.
    if (rows.file === "calendar") {
      const years = rows.rows.map((y) => y.year.trim());
      const twice = years.findIndex((y, i) => years.indexOf(y) !== i);
      if (twice >= 0) return render(req, res, { file, status: 422, draft: { file, text, reason: "", issues: [] }, table: { rows, placed: { cells: new Map([[twice, new Map([["year", [vw.t("rt_duplicate_year")]]])]]), other: [] } } });
    }
    const draft = await prepare(file, text, "");
    const placed = draft.issues ? placeIssues(vw, file, draft.issues, rows.file === "calendar" ? rows.rows.map((y) => y.year.trim()) : []) : null;
    await render(req, res, { file, draft, status: draft.issues ? 422 : 200, table: { rows, placed } });
  });

  // Step 2: the same checks again (the folder may have changed since the preview), then write.
  r.post("/rules/edit/:file/save", formBody({ extended: false, limit: "600kb" }), auth.requireCsrf, staff, async (req, res) => {
    const file = fileParam(req.params.file);
    const f = parse(EditForm, req.body, "form");
    const draft = await prepare(file, f.text, f.reason, false);
    if (draft.issues || draft.unchanged) return render(req, res, { file, draft, status: draft.issues ? 422 : 200 });
    const row = await saveRuleFile(db, rulesDir(), file, f.text, saver(res), f.reason, d.clock.now());
    const reloaded = await d.router.reload();
    if (!reloaded.ok) return render(req, res, { file, notice: `${view(req, res, d.defaultLocale, d.timezone).t("rl_reload_failed")} ${reloaded.errors.join("; ")}`, status: 500 });
    res.redirect(303, `/dashboard/rules?file=${file}&saved=${row.id}#history`);
  });

  // Restore a version's text (which=after) or the text it replaced (which=before), checked like an edit.
  r.post("/rules/versions/:id/restore", formBody({ extended: false, limit: "1kb" }), auth.requireCsrf, staff, async (req, res) => {
    const id = Number(parse(z.string().regex(/^\d{1,9}$/), req.params.id, "version"));
    const which = parse(z.enum(["after", "before"]).default("after"), (req.body as Record<string, unknown>).which, "which");
    const v = await db.ruleVersion.findUnique({ where: { id } });
    if (!v) throw new HttpError(404, "not_found", `version ${id} not found`);
    const file = fileParam(EDITABLE.find((f) => `${f}.json` === v.file));
    const text = which === "after" ? v.content : v.previous;
    if (text === null) throw new HttpError(409, "conflict", `version ${id} has no earlier text to go back to`);
    const vw = view(req, res, d.defaultLocale, d.timezone);
    const reason = `${vw.t("rl_reason_rollback")}: ${(which === "after" ? vw.t("rl_rollback_of") : vw.t("rl_undo_of")).replace("{id}", String(id))}`;
    const draft = await prepare(file, text, reason, false);
    if (draft.issues || draft.unchanged) return render(req, res, { file, draft, status: draft.issues ? 422 : 200 });
    const row = await saveRuleFile(db, rulesDir(), file, text, saver(res), reason, d.clock.now(), id);
    await d.router.reload();
    res.redirect(303, `/dashboard/rules?file=${file}&restored=${row.id}#history`);
  });

  async function prepare(file: EditableFile, text: string, reason: string, compare = true): Promise<Draft> {
    const { catalogue, ruleSet } = await current();
    const checked = checkDraft(rulesDir(), catalogue, file, text);
    if (!checked.ok) return { file, text, reason, issues: checked.issues };
    if (text === readRuleFile(rulesDir(), file)) return { file, text, reason, unchanged: true };
    const comparison = compare && ruleSet ? await compareRuleSets(db, ruleSet, checked.ruleSet, d.clock.now(), d.timezone) : undefined;
    return { file, text, reason, comparison };
  }
  return r;
}

function saver(res: Response) {
  const w = who(res);
  return { staffId: w?.user?.id ?? null, staffName: w?.user?.displayName ?? w?.scope.name ?? "?" };
}

interface Draft {
  file: EditableFile;
  text: string;
  reason: string;
  issues?: RuleIssue[];
  unchanged?: boolean;
  comparison?: CompareResult;
}

type Version = Awaited<ReturnType<typeof listVersions>>[number];

function offsetOf(tz: string, at: Date): string {
  const name = new Intl.DateTimeFormat("en", { timeZone: tz, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-]\d{2}:\d{2})/.exec(name);
  return m ? m[1]! : "Z";
}

/** The file on disk, rule by rule (disabled ones too: the rule set in force holds only enabled rules). */
function routingRules(text: string): RoutingRule[] {
  try {
    const top = routingFileSchema.safeParse(JSON.parse(text));
    if (!top.success) return [];
    return top.data.rules.flatMap((x) => {
      const p = routingRuleSchema.safeParse(x);
      return p.success ? [p.data] : [];
    });
  } catch {
    return [];
  }
}

function RulesPage(p: {
  vw: View;
  d: OfficeAppDeps;
  file: EditableFile;
  ruleSet: RuleSet | null;
  diskIssues: RuleIssue[];
  text: string;
  canEdit: boolean;
  estates: { code: string; name: string }[];
  dry?: { form: z.infer<typeof DryRunForm>; result: DryRunResult };
  draft?: Draft;
  notice: string | null;
  versions: Version[];
  table?: { rows: Rows | null; placed: PlacedIssues | null; options: TableOptions };
  streetNames: Map<string, string>;
}) {
  const { vw, file, ruleSet: rs } = p;
  const { t } = vw;
  const st = p.d.router.status();
  const lr = st.lastReload;
  const c = st.counts;
  let calendar = null;
  try {
    const parsed = calendarFileSchema.safeParse(JSON.parse(file === "calendar" ? p.text : "{}"));
    calendar = parsed.success ? parsed.data : null;
  } catch {
    calendar = null;
  }
  return (
    <>
      {p.notice && (
        <p class="ok" id="notice">
          {p.notice}
        </p>
      )}
      <div class="grid">
        <div class="card" id="active">
          <h2>{t("active_rules")}</h2>
          <p>
            {vw.fmt(st.activeSince)}
            {c ? ` · ${t("rl_counts").replace("{rules}", String(c.routingRules)).replace("{on}", String(c.enabledRoutingRules)).replace("{deadlines}", String(c.deadlineEntries)).replace("{cats}", String(c.categories))}` : ""}
          </p>
          {st.refused.length > 0 && (
            <div id="refused-rules">
              <p class="err">{t("rl_refused").replace("{n}", String(st.refused.length))}</p>
              <ul>
                {st.refused.map((i) => (
                  <li>{localIssue(vw, i)}</li>
                ))}
              </ul>
            </div>
          )}
          {!st.routingInForce && (
            <p class="err" id="no-routing">
              {t("status_routing_none")}
            </p>
          )}
          {st.warnings.length > 0 && (
            <details>
              <summary>{t("rl_warnings")}</summary>
              <ul>
                {st.warnings.map((w) => (
                  <li>{warningText(w, t)}</li>
                ))}
              </ul>
            </details>
          )}
        </div>
        <div class="card" id="last-reload">
          <h2>{t("last_reload")}</h2>
          {lr ? (
            <p class={lr.ok ? "ok" : "err"}>
              {vw.fmt(lr.at)} · {lr.ok ? t("ok") : t("failed")}
            </p>
          ) : (
            <p>—</p>
          )}
          {lr && lr.issues.length > 0 && (
            <ul>
              {lr.issues.map((i) => (
                <li>{localIssue(vw, i)}</li>
              ))}
            </ul>
          )}
          {p.canEdit && (
            <form method="post" action="/dashboard/rules/reload">
              <input type="hidden" name="_csrf" value={vw.csrf} />
              <button id="reload">{t("reload")}</button>
            </form>
          )}
        </div>
      </div>

      <nav class="tabs" id="rule-files">
        {EDITABLE.map((f) => (f === file ? <b>{t(`rl_file_${f}`)}</b> : <a href={`/dashboard/rules?file=${f}`}>{t(`rl_file_${f}`)}</a>))}
      </nav>

      <div class="card" id="rule-table">
        <h2>{t(`rl_file_${file}`)}</h2>
        {!rs ? (
          <ul class="err">
            {p.diskIssues.map((i) => (
              <li>{localIssue(vw, i)}</li>
            ))}
          </ul>
        ) : file === "routing" ? (
          <RoutingTable vw={vw} rules={routingRules(p.text)} rs={rs} streets={p.streetNames} />
        ) : file === "deadlines" ? (
          <DeadlineTableView vw={vw} rs={rs} />
        ) : file === "categories" ? (
          <CategoryTable vw={vw} rs={rs} />
        ) : calendar ? (
          <CalendarTable vw={vw} cal={calendar} />
        ) : null}
      </div>

      {p.draft && <DraftResult vw={vw} draft={p.draft} />}

      {p.canEdit && p.table && (
        <div class="card" id="edit-table">
          <h2>
            {t("rt_edit_table")} · {t(`rl_file_${file}`)}
          </h2>
          {p.table.rows ? <TableEditor vw={vw} rows={p.table.rows} options={p.table.options} placed={p.table.placed} /> : <p class="err">{t("rt_not_table")}</p>}
        </div>
      )}

      <div class="card" id="edit">
        {p.canEdit ? (
          <details open={!p.table?.rows || (!!p.draft && !p.table.placed && !!p.draft.issues) || undefined}>
            <summary>
              {t("rt_advanced")} · {file}.json
            </summary>
            <form method="post" action={`/dashboard/rules/edit/${file}/preview`}>
              <input type="hidden" name="_csrf" value={vw.csrf} />
              <p>{t("rl_edit_intro")}</p>
              <textarea name="text" rows={18} class="code" spellcheck={false}>
                {p.draft?.text ?? p.text}
              </textarea>
              <label>
                {t("rl_reason")}
                <input name="reason" required maxLength={500} value={p.draft?.reason ?? ""} />
              </label>
              <button id="check">{t("rl_check")}</button>
            </form>
          </details>
        ) : (
          <>
            <h2>
              {t("rl_edit")} · {file}.json
            </h2>
            <p id="read-only">{t("rl_read_only")}</p>
            <details>
              <summary>{t("rl_view_json")}</summary>
              <pre>{p.text}</pre>
            </details>
          </>
        )}
      </div>

      <History vw={vw} versions={p.versions} canEdit={p.canEdit} />

      <div class="card">
        <h2>{t("rl_case_check")}</h2>
        <DryForm vw={vw} d={p.d} estates={p.estates} f={p.dry?.form} />
      </div>
      {p.dry && <DryResult vw={vw} r={p.dry.result} rs={rs} streets={p.streetNames} />}
    </>
  );
}

function DraftResult({ vw, draft }: { vw: View; draft: Draft }) {
  const { t } = vw;
  if (draft.issues)
    return (
      <div class="card" id="draft-invalid">
        <p class="err">{t("rl_invalid")}</p>
        <ul class="err">
          {draft.issues.map((i) => (
            <li>{localIssue(vw, i)}</li>
          ))}
        </ul>
      </div>
    );
  if (draft.unchanged)
    return (
      <div class="card" id="draft-unchanged">
        <p>{t("rl_unchanged")}</p>
      </div>
    );
  const c = draft.comparison;
  return (
    <div class="card" id="draft-preview">
      <h2>{t("rl_preview")}</h2>
      {c && (
        <>
          <p id="rerouted">
            <b>{t("rl_rerouted").replace("{looked}", String(c.looked)).replace("{n}", String(c.rerouted))}</b>
            {c.deadlinesChanged > 0 ? ` ${t("rl_deadlines_changed").replace("{n}", String(c.deadlinesChanged))}` : ""}
            {c.capped ? ` ${t("rl_capped").replace("{n}", String(c.looked))}` : ""}
          </p>
          {[...c.examples, ...c.deadlineExamples].length > 0 && (
            <div class="scroll">
              <table id="examples">
                <thead>
                  <tr>
                    <th>{t("number")}</th>
                    <th>{t("estate")}</th>
                    <th>{t("rl_before")}</th>
                    <th>{t("rl_after")}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...c.examples, ...c.deadlineExamples].map((e) => (
                    <tr>
                      <td>
                        <a href={`/dashboard/cases/${e.caseId}`}>{e.number}</a>
                      </td>
                      <td>{e.estate}</td>
                      <td>{sideText(vw, e.before)}</td>
                      <td>{sideText(vw, e.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <form method="post" action={`/dashboard/rules/edit/${draft.file}/save`} id="confirm-form">
        <input type="hidden" name="_csrf" value={vw.csrf} />
        <input type="hidden" name="text" value={draft.text} />
        <label>
          {t("rl_reason")}
          <input name="reason" id="f-reason" required maxLength={500} value={draft.reason} placeholder={t("rt_reason_hint")} />
        </label>
        <button id="confirm">{t("rl_confirm")}</button>
      </form>{" "}
      <a href={`/dashboard/rules?file=${draft.file}`}>{t("rl_cancel")}</a>
    </div>
  );
}

const sideText = (vw: View, s: RouteSide) =>
  `${s.company ? `${s.company} · ${s.liaison ?? "—"}` : vw.t("rl_to_office")} · ${vw.t(`urgency_${s.urgency}`)} · ${vw.t("resolution_due")} ${vw.fmt(s.resolutionDue)}`;

function History({ vw, versions, canEdit }: { vw: View; versions: Version[]; canEdit: boolean }) {
  const { t } = vw;
  return (
    <div class="card" id="history">
      <h2>{t("rl_history")}</h2>
      {versions.length === 0 ? (
        <p>{t("rl_no_history")}</p>
      ) : (
        <div class="scroll">
          <table id="versions">
            <thead>
              <tr>
                <th>{t("rl_version")}</th>
                <th>{t("rl_when_saved")}</th>
                <th>{t("rl_who")}</th>
                <th>{t("rl_reason")}</th>
                {canEdit && <th>{t("actions")}</th>}
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr id={`version-${v.id}`}>
                  <td>#{v.id}</td>
                  <td>{vw.fmt(v.createdAt)}</td>
                  <td>{v.staffName}</td>
                  <td>{v.reason}</td>
                  {canEdit && (
                    <td>
                      <form method="post" action={`/dashboard/rules/versions/${v.id}/restore`} class="inline">
                        <input type="hidden" name="_csrf" value={vw.csrf} />
                        <input type="hidden" name="which" value="after" />
                        <button>{t("rl_restore")}</button>
                      </form>{" "}
                      {v.previous !== null && (
                        <form method="post" action={`/dashboard/rules/versions/${v.id}/restore`} class="inline">
                          <input type="hidden" name="_csrf" value={vw.csrf} />
                          <input type="hidden" name="which" value="before" />
                          <button class="undo">{t("rl_undo")}</button>
                        </form>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function DryForm({ vw, d, estates, f }: { vw: View; d: OfficeAppDeps; estates: { code: string; name: string }[]; f?: z.infer<typeof DryRunForm> }) {
  const { t } = vw;
  const sel = (name: string, options: [string, string][], value?: string) => (
    <select name={name} id={`f-${name}`}>
      {options.map(([k, l]) => (
        <option value={k} selected={k === value}>
          {l}
        </option>
      ))}
    </select>
  );
  return (
    <form class="filters" method="post" action="/dashboard/rules/dry-run" id="dry-run">
      <input type="hidden" name="_csrf" value={vw.csrf} />
      <label>
        {t("kind")}
        {sel("kind", KINDS.map((k) => [k, t(`kind_${k}`)]), f?.kind)}
      </label>
      <label>
        {t("category")}
        {sel("category", d.categories.list.map((c) => [c.code, c.label[vw.locale]]), f?.category)}
      </label>
      <label>
        {t("estate")}
        {sel("estate", estates.map((e) => [e.code, e.name]), f?.estate)}
      </label>
      <label>
        {t("building")}
        <input name="building" value={f?.building ?? ""} placeholder="1号楼" />
      </label>
      <label>
        {t("filed_at")}
        <input type="datetime-local" name="filedAt" value={f?.filedAt ?? ""} />
      </label>
      <label>
        {t("urgent_hint")}
        <input type="checkbox" name="urgent" checked={!!f?.urgent} />
      </label>
      <button>{t("run")}</button>
    </form>
  );
}

function DryResult({ vw, r, rs, streets }: { vw: View; r: DryRunResult; rs: RuleSet | null; streets: Map<string, string> }) {
  const { t } = vw;
  return (
    <div class="card" id="dry-result">
      <h2>{t("result")}</h2>
      <p>
        {r.company ? `${r.company.name} · ${r.liaison?.name ?? "—"}` : t("rl_to_office")} · {t(`urgency_${r.decision.urgency}`)}
      </p>
      <p>
        {t("response_due")}: {vw.fmt(r.decision.responseDueAt)} · {t("resolution_due")}: {vw.fmt(r.decision.resolutionDueAt)}
      </p>
      <div class="scroll">
        <table>
          <tbody>
            {r.candidates.map((c) => {
              const rule = rs?.routing.rules.find((x) => x.rule.id === c.rule)?.rule;
              return (
                <tr>
                  <td>{c.fired ? "✓" : "✗"}</td>
                  <td>
                    {rule?.description?.split(/(?<=[。.])\s*[A-Z]/)[0] ?? ""} <code>{c.rule}</code>
                  </td>
                  <td class="num">{c.priority}</td>
                  <td>{rule && rs ? describeWhen(vw, rule, rs, streets) : ""}</td>
                  <td>{c.failed.length ? `${t("rl_failed_on")}${c.failed.map((f) => failedLabel(vw, f)).join("、")}` : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A condition that did not hold (compile.ts names it "estate ∈ {…}", "time 18:00–08:00", …), as the thing it tests. */
function failedLabel(vw: View, name: string): string {
  const { t } = vw;
  const first = name.split(" ")[0];
  const key: Record<string, string> = { category: "category", kind: "kind", street: "street", estate: "estate", building: "rl_buildings", weekday: "rl_weekdays", time: "rl_time", day: "rt_day", resident: "rt_urgent_mark" };
  return key[first ?? ""] ? t(key[first!]!) : name;
}

/** The loader's notes are English (they go to the log too); the two a clerk meets often are put in words. */
function warningText(w: string, t: (k: string) => string) {
  const provisional = /^calendar (\d{4}) is provisional$/.exec(w);
  if (provisional) return t("rl_w_provisional").replace("{year}", provisional[1]!);
  const uncovered = /^(\d+) estate\/category pairs have no routing rule \(office queue\): (.*)$/.exec(w);
  if (uncovered) return [t("rl_w_uncovered").replace("{n}", uncovered[1]!), " ", <code>{uncovered[2]}</code>];
  return <code>{w}</code>;
}
