// The pages anyone may open: the landing page at / (the public estate board and how residents reach
// the bot) and the first-run setup form that creates the first admin.
import type { BoardRow } from "../../core/assessment/board.ts";
import { Notice, Shell, type ShellView } from "./shell.tsx";

const FACE = (r: BoardRow) => (r.smiling === null ? "😐" : r.smiling ? "😊" : "😢");

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
          <div class={`estate ${r.class ?? "none"}`} data-estate={r.estate}>
            <div class="face">{FACE(r)}</div>
            <div>
              <b>{r.name}</b>
            </div>
            <div>{r.streetName}</div>
            <div>{t(r.class ? `class_${r.class}` : "class_none")}</div>
          </div>
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
