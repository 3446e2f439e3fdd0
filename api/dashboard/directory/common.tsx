// What every directory page shares: the page frame with the directory's own tabs, who may change
// what (admin and district everywhere, a street office within its street — the same rules as
// api/rest/directory.ts), form fields, and turning a refused change into a line on the page.
import express, { type Request, type Response } from "express";
import { z } from "zod";
import type { Scope } from "../../../core/directory/staff.ts";
import { can, estateWhereOf, inArea, may } from "../../../core/access/permissions.ts";
import { DirectoryError, type Refusal } from "../../../core/directory/audit.ts";
import { issueRefusal } from "../../../core/directory/fields.ts";
import { wordRefusal, wordRefusals } from "../../i18n/refusal-strings.ts";
import { scopeOf, who } from "../../auth.ts";
import { HttpError } from "../../http.ts";
import { renderPage, type Children } from "../../views/render.tsx";
import { Notice, Shell } from "../../views/shell.tsx";
import type { View } from "../layout.ts";

export const DIR = "/dashboard/directory";
export const form = express.urlencoded({ extended: false, limit: "64kb" });

// The one rule (core/access/permissions.ts), in the words these pages use.
export const districtWide = (s: Scope) => can(s.role, "directory.district");
export const mayWriteStreet = (s: Scope, streetId: number) => may(s, "directory.edit", { streetId });
export const estateVisible = (s: Scope, e: { id: number; streetId: number }) => inArea(s, { streetId: e.streetId, estateId: e.id });
export const estateWhere = estateWhereOf;

/** A refusal as an error page (403, 404), worded in the page's language by the app's error handler. */
export const refusedPage = (status: number, r: Refusal) => new HttpError(status, status === 404 ? "not_found" : "forbidden", wordRefusal("en", r), undefined, { reason: r.reason, ...(r.params ? { params: r.params } : {}) });

export function forbidden(): never {
  throw refusedPage(403, { reason: "outside_area" });
}

const TABS: [string, string][] = [
  ["estates", "dir_estates"],
  ["companies", "dir_companies"],
  ["liaisons", "dir_liaisons"],
  ["offices", "dir_offices"],
  ["streets", "dir_streets"],
  ["import", "dir_import"],
];

/** A directory page in the shared frame, with the directory's tabs (those the caller may open). */
export function sendPage(res: Response, v: View, title: string, body: Children, o: { status?: number; tab?: string } = {}) {
  const s = scopeOf(res);
  const tabs = s.estateIds ? TABS.filter(([k]) => k === "estates") : TABS.filter(([k]) => k !== "import" || districtWide(s));
  const u = who(res)?.user;
  res
    .status(o.status ?? 200)
    .type("html")
    .send(
      renderPage(
        <Shell v={v} title={title} user={u ? { displayName: u.displayName, role: u.role } : null}>
          <p class="tabs" id="dir-tabs">
            {tabs.map(([k, label]) => (k === o.tab ? <b>{v.t(label)}</b> : <a href={`${DIR}/${k}`}>{v.t(label)}</a>))}
          </p>
          {body}
        </Shell>,
      ),
    );
}

/** Runs a change; a refusal (bad field, unknown code, conflict) comes back as the refusals to word. */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Refusal[] }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof DirectoryError) return { ok: false, error: [err.refusal] };
    if (err instanceof z.ZodError) return { ok: false, error: err.issues.map(issueRefusal) };
    // Outside the caller's area stays a 403/404 page (HttpError); a bad field or a conflict is shown on the form.
    throw err;
  }
}

/** A form's text field: "" (left empty) → undefined, so a service keeps what it has. */
export function field(req: Request, name: string): string | undefined {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  return s === "" ? undefined : s;
}

export const Err = (p: { error?: Refusal[] | null; v: View }) => (p.error?.length ? <Notice err={`${p.v.t("dir_not_saved")}: ${wordRefusals(p.v.locale, p.error)}`} /> : null);
export const Saved = (p: { req: Request; v: View }) => (p.req.query.saved !== undefined ? <Notice ok={p.v.t("dir_saved")} /> : null);

export function Field(p: { label: string; name: string; value?: string | number | null; type?: string; required?: boolean; step?: string; placeholder?: string }) {
  return (
    <label>
      {p.label}
      <input name={p.name} id={`f-${p.name}`} type={p.type ?? "text"} value={p.value === null || p.value === undefined ? "" : String(p.value)} required={p.required} step={p.step} placeholder={p.placeholder} />
    </label>
  );
}

export function Select(p: { label: string; name: string; options: [string, string][]; value?: string | null; empty?: string }) {
  return (
    <label>
      {p.label}
      <select name={p.name} id={`f-${p.name}`}>
        {p.empty !== undefined ? <option value="">{p.empty}</option> : null}
        {p.options.map(([k, l]) => (
          <option value={k} selected={k === (p.value ?? "")}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

export const Csrf = (p: { v: View }) => <input type="hidden" name="_csrf" value={p.v.csrf} />;
export const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : "");
