// /status as a page a caretaker can read: whether the bot runs, the last backup, cases by state and
// the outgoing-message backlog, in the reader's language with local times.
import type { View } from "../dashboard/layout.ts";
import { localReason } from "../dashboard/rules/issues.ts";
import { Shell } from "./shell.tsx";

export interface StatusSummary {
  bot: string;
  backup?: { at: string; file: string; bytes: number; stale: boolean } | null;
  /** Routing in force, and the rules left out because they name what the directory does not know. */
  routing?: { inForce: boolean; refused: { rule: string | null; reason: string }[] };
  estates: number;
  residents: number;
  cases: Record<string, number>;
  outbox: Record<string, number>;
}

function Counts(p: { id: string; rows: Record<string, number>; label: (k: string) => string }) {
  const entries = Object.entries(p.rows);
  return (
    <table id={p.id} class="counts">
      <tbody>
        {entries.length === 0 ? (
          <tr>
            <td colSpan={2}>—</td>
          </tr>
        ) : (
          entries.map(([k, n]) => (
            <tr data-key={k}>
              <td>{p.label(k)}</td>
              <td class="num">{n}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

export function StatusPage(p: { v: View; s: StatusSummary }) {
  const { v, s } = p;
  const { t } = v;
  const b = s.backup;
  return (
    <Shell v={v} title={t("status_title")} nav={false} brandHref="/">
      <p id="status-bot">
        {`${t("status_bot")}: `}
        <b>{t(`status_bot_${s.bot}`)}</b>
        {` · ${t("status_estates")} ${s.estates} · ${t("status_residents")} ${s.residents}`}
      </p>
      {b === undefined ? null : (
        <p id="status-backup">
          {`${t("status_backup")}: `}
          {b ? (
            <>
              <b>{v.fmt(new Date(b.at))}</b>
              {` · ${b.file} · ${(b.bytes / 1e6).toFixed(1)} MB`}
              {b.stale ? (
                <>
                  {" · "}
                  <b class="err">{t("status_backup_stale")}</b>
                </>
              ) : null}
            </>
          ) : (
            <b>{t("status_backup_none")}</b>
          )}
        </p>
      )}
      {s.routing && (
        <div id="status-routing">
          <p>
            {`${t("status_routing")}: `}
            <b class={s.routing.inForce ? "" : "err"}>{t(s.routing.inForce ? "status_routing_ok" : "status_routing_none")}</b>
          </p>
          {s.routing.refused.length > 0 && (
            <>
              <p class="err">{t("status_rules_refused").replace("{n}", String(s.routing.refused.length))}</p>
              <ul>
                {s.routing.refused.map((i) => (
                  <li>{`${i.rule ?? ""}: ${localReason(v, i.reason)}`}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <h2>{t("status_cases")}</h2>
      <Counts id="status-cases" rows={s.cases} label={(k) => t(`state_${k}`)} />
      <h2>{t("status_outbox")}</h2>
      <Counts id="status-outbox" rows={s.outbox} label={(k) => t(`outbox_${k}`)} />
      <p class="note">
        <a href="/status.json">status.json</a> · <a href="/healthz">healthz</a> · <a href="/readyz">readyz</a>
      </p>
    </Shell>
  );
}
