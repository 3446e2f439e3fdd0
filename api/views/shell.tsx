// The page frame of every Preact page: the same header, language links, navigation and main area as
// api/dashboard/layout.ts draws for the older string pages (same classes, same api/assets/app.css),
// so old and new pages look alike while the rest migrate. Usable at 390 px (the stylesheet's
// narrow-screen rules). Text reaches the page only as JSX children or attributes: escaped.
import type { Locale } from "../../core/cases/categories.ts";
import { LOCALES } from "../../core/cases/categories.ts";
import type { Translate } from "../i18n/i18n.ts";
import type { Children } from "./render.tsx";

export interface ShellView {
  t: Translate;
  locale: Locale;
  csrf: string;
}

export interface ShellUser {
  displayName: string;
  role: string;
}

export const NAV: [string, string][] = [
  ["/dashboard/cases", "cases"],
  ["/dashboard/overdue", "overdue"],
  ["/dashboard/figures", "figures"],
  ["/dashboard/board", "board"],
  ["/dashboard/rules", "rules"],
  ["/dashboard/bulletins", "bu_bulletins"],
  ["/dashboard/surveys", "sv_surveys"],
  ["/dashboard/directory", "dir_directory"],
];

export function Shell(p: { v: ShellView; title: string; user?: ShellUser | null; nav?: boolean; scripts?: string[]; brandHref?: string; children?: Children }) {
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
            {LOCALES.map((l) => (l === locale ? <b>{l}</b> : <a href={`?lang=${l}`}>{l}</a>))}
          </span>
        </header>
        {p.nav === false ? null : (
          <nav>
            {NAV.map(([href, key]) => (
              <a href={href}>{t(key)}</a>
            ))}
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
          <h1>{p.title}</h1>
          {p.children}
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
