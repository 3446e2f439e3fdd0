// The page frame of every page: header, language links, navigation (the links the user's role may
// follow) and the main area, styled by api/assets/app.css (usable at 390 px: the menu scrolls
// sideways in one line, tables scroll inside their box). Text reaches the page only as JSX children
// or attributes: escaped. `html` takes a body already rendered by Preact (renderFragment).
import type { Locale } from "../../core/cases/categories.ts";
import { LOCALES } from "../../core/cases/categories.ts";
import type { Translate } from "../i18n/i18n.ts";
import type { Children } from "./render.tsx";
import { mayOpen } from "../access.ts";
import { STAFF_ROLES } from "../../core/directory/staff.ts";
import type { StaffRole } from "../../core/db/generated/prisma/enums.ts";

/** Each language named in itself, so a reader finds theirs whatever the page's language. */
export const LANGUAGE_NAMES: Record<Locale, string> = { "zh-Hans": "简体", "zh-Hant": "繁體", en: "English" };

export interface ShellView {
  t: Translate;
  locale: Locale;
  csrf: string;
}

export interface ShellUser {
  displayName: string;
  role: string;
}

/** Menu entries: path and string key. Who sees one is not listed here: an entry is shown when the
 *  user's role may open its address (api/access.ts, from the one rule in core/access). */
export const NAV: [string, string][] = [
  ["/dashboard/cases", "cases"],
  ["/dashboard/overdue", "overdue"],
  ["/dashboard/figures", "figures"],
  ["/dashboard/streets", "streets_page"],
  ["/dashboard/board", "board"],
  ["/dashboard/credit", "credit"],
  ["/dashboard/warnings", "warnings"],
  ["/dashboard/rules", "rules"],
  ["/dashboard/bulletins", "bu_bulletins"],
  ["/dashboard/surveys", "sv_surveys"],
  ["/dashboard/campaigns", "cp_campaigns"],
  ["/dashboard/directory", "dir_directory"],
  ["/dashboard/posters", "posters"],
  ["/dashboard/residents/pending", "ap_title"],
  ["/dashboard/dead-letters", "dead_letters"],
  ["/dashboard/staff", "staff_page"],
];

/** The menu entries this role may open. */
export const navFor = (role: string | undefined) => NAV.filter(([href]) => role !== undefined && (STAFF_ROLES as readonly string[]).includes(role) && mayOpen(role as StaffRole, href));

export function Shell(p: { v: ShellView; title: string; user?: ShellUser | null; nav?: boolean; scripts?: string[]; brandHref?: string; html?: string; banner?: string | null; children?: Children }) {
  const { t, locale } = p.v;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{`${p.title} · ${t("app")}`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
      </head>
      <body>
        <header>
          <a class="brand" href={p.brandHref ?? "/dashboard"}>
            {t("app")}
          </a>
          <span class="langs">
            {LOCALES.map((l) => (l === locale ? <b lang={l}>{LANGUAGE_NAMES[l]}</b> : <a href={`?lang=${l}`} lang={l} hreflang={l}>{LANGUAGE_NAMES[l]}</a>))}
          </span>
        </header>
        {p.nav === false ? null : (
          <nav>
            <span class="links">
              {navFor(p.user?.role).map(([href, key]) => (
                <a href={href}>{t(key)}</a>
              ))}
            </span>
            <span class="sp"></span>
            {p.user ? (
              <>
                <span class="who">{`${p.user.displayName} (${t(`role_${p.user.role}`)})`}</span>
                <form method="post" action="/logout" class="inline">
                  <input type="hidden" name="_csrf" value={p.v.csrf} />
                  <button>{t("logout")}</button>
                </form>
              </>
            ) : null}
          </nav>
        )}
        <main>
          {p.banner ? (
            <form method="post" action="/dashboard/pauses-seen" class="err" id="pause-banner">
              <input type="hidden" name="_csrf" value={p.v.csrf} />
              {`${p.banner} `}
              <button>{t("lock_banner_ok")}</button>
            </form>
          ) : null}
          <h1>{p.title}</h1>
          {p.children}
          {p.html === undefined ? null : <div class="body" dangerouslySetInnerHTML={{ __html: p.html }} />}
        </main>
        {(p.scripts ?? []).map((s) => (
          <script src={s}></script>
        ))}
      </body>
    </html>
  );
}

/** The CSRF field of a dashboard form. */
export const Csrf = (p: { v: ShellView }) => <input type="hidden" name="_csrf" value={p.v.csrf} />;

/** An error or success line, as the older pages show them. */
export const Notice = (p: { ok?: string | null; err?: string | null }) => (
  <>
    {p.ok ? (
      <p class="ok" id="notice-ok">
        {p.ok}
      </p>
    ) : null}
    {p.err ? (
      <p class="err" id="notice-err">
        {p.err}
      </p>
    ) : null}
  </>
);

/** A <select> whose first option may be "all" (an empty value). */
export function Select(p: { name: string; options: [string, string][]; value?: string | undefined; allLabel?: string; id?: string }) {
  const opts = (p.allLabel !== undefined ? [["", p.allLabel] as [string, string]] : []).concat(p.options);
  return (
    <select name={p.name} id={p.id ?? `f-${p.name}`}>
      {opts.map(([k, l]) => (
        <option value={k} selected={k === (p.value ?? "")}>
          {l}
        </option>
      ))}
    </select>
  );
}
