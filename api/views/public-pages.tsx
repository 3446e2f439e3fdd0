// The pages anyone may open: the landing page at / (the public estate board and how residents reach
// the bot) and the first-run setup form that creates the first admin.
import type { BoardRow } from "../../core/assessment/board.ts";
import { EstateCard } from "./figures.tsx";
import { Notice, Shell, type ShellView } from "./shell.tsx";


export function LandingPage(p: { v: ShellView; rows: BoardRow[]; botUsername: string | null }) {
  const { t } = p.v;
  return (
    <Shell v={p.v} title={t("landing_title")} nav={false} brandHref="/">
      <p>{t("landing_intro")}</p>
      <div class="card" id="how">
        <h2>{t("landing_how")}</h2>
        <ol class="steps">
          <li>
            {p.botUsername ? (
              <>
                {t("landing_step_open")} <a href={`https://t.me/${p.botUsername}`}>{`@${p.botUsername}`}</a>
              </>
            ) : (
              t("landing_step_open_nobot")
            )}
          </li>
          <li>{t("landing_step_register")}</li>
          <li>{t("landing_step_file")}</li>
          <li>{t("landing_step_revisit")}</li>
        </ol>
      </div>
      <h2>{t("board")}</h2>
      <div class="board" id="board">
        {p.rows.map((r) => (
          <EstateCard r={r} t={t} />
        ))}
      </div>
      <p>
        <a href="/board">{t("public_board")}</a> · <a href="/login">{t("landing_staff")}</a> · <a href="/status">{t("landing_status")}</a>
      </p>
    </Shell>
  );
}

export function SetupPage(p: { v: ShellView; token: string; error?: string | null; username?: string }) {
  const { t } = p.v;
  return (
    <Shell v={p.v} title={t("setup_title")} nav={false}>
      <form method="post" action="/setup" class="login card stack" id="setup">
        <p>{t("setup_intro")}</p>
        <Notice err={p.error} />
        <input type="hidden" name="token" value={p.token} />
        <label>
          {t("username")}
          <input name="username" id="username" autocomplete="username" required value={p.username ?? "admin"} />
        </label>
        <label>
          {t("dir_display_name")}
          <input name="displayName" id="displayName" />
        </label>
        <label>
          {t("password")}
          <input type="password" name="password" id="password" autocomplete="new-password" required minLength={10} />
        </label>
        <button id="setup-submit">{t("setup_create")}</button>
      </form>
    </Shell>
  );
}

export function SetupGone(p: { v: ShellView }) {
  return (
    <Shell v={p.v} title={p.v.t("setup_title")} nav={false}>
      <p class="err" id="setup-gone">
        {p.v.t("setup_gone")}
      </p>
      <p>
        <a href="/login">{p.v.t("login")}</a>
      </p>
    </Shell>
  );
}

export function LoginPage(p: { v: ShellView; next: string; token: string; error?: string }) {
  const { t } = p.v;
  return (
    <Shell v={p.v} title={t("login")} nav={false}>
      <form method="post" action="/login" class="login card" id="login">
        {p.error ? (
          <p class="err" id="login-error">
            {p.error}
          </p>
        ) : null}
        <input type="hidden" name="_csrf" value={p.token} />
        <input type="hidden" name="next" value={p.next} />
        <label>
          {t("username")}
          <input name="username" id="username" autocomplete="username" required />
        </label>
        <label>
          {t("password")}
          <input type="password" name="password" id="password" autocomplete="current-password" required />
        </label>
        <button id="login-submit">{t("login")}</button>
      </form>
      <p>
        <a href="/board">{t("public_board")}</a> · <a href="/api/docs">API</a>
      </p>
    </Shell>
  );
}

const ERROR_TITLES = new Set([400, 401, 403, 404, 409, 413, 423, 429, 500]);

/**
 * An error as a page: what went wrong in the reader's language, what to do, the way back (the menu
 * when logged in), and the server's own words folded away under 技术细节 for whoever reports it.
 */
export function ErrorPage(p: { v: ShellView; status: number; message: string; user: { displayName: string; role: string } | null }) {
  const { t } = p.v;
  const key = ERROR_TITLES.has(p.status) ? `err_${p.status}` : p.status >= 500 ? "err_500" : "err_other";
  const hint = p.status === 400 || p.status === 404 ? t(`err_hint_${p.status}`) : null;
  return (
    <Shell v={p.v} title={t(key)} user={p.user} nav={!!p.user} brandHref={p.user ? "/dashboard" : "/"}>
      <div class="card err-page" id="error" data-status={p.status}>
        {hint ? <p>{hint}</p> : null}
        {p.status < 500 ? (
          <details>
            <summary>{`${t("err_detail")} (${p.status})`}</summary>
            <code class="err" id="error-detail">
              {p.message}
            </code>
          </details>
        ) : null}
        <p>
          {p.user ? <a href="/dashboard/cases">{`← ${t("err_home")}`}</a> : <a href="/login">{t("err_login")}</a>}
          {" · "}
          <a href="/">{t("landing_title")}</a>
        </p>
      </div>
    </Shell>
  );
}

/** /api/docs: links to the machine-readable description; docs.js renders it. */
export function DocsPage(p: { v: ShellView }) {
  return (
    <Shell v={p.v} title="REST API · Open311" nav={false}>
      <p>
        <a href="/api/openapi.json">openapi.json</a> · Open311: <a href="/open311/v2/services.json">/open311/v2/services.json</a>
      </p>
      <div id="docs">…</div>
      <script src="/assets/docs.js"></script>
    </Shell>
  );
}
