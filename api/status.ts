// A plain status page at /status and its JSON at /status.json: what runs, cases by state, outbox
// backlog. (/ is the public landing page, api/dashboard/setup.ts.)
import express, { type Router } from "express";
import type { Db } from "../core/db/db.ts";
import { translator } from "./i18n/i18n.ts";

/** The newest backup file (the embedded database's nightly job, or npm run backup). */
export interface LastBackup {
  file: string;
  bytes: number;
  at: Date;
}
/** A backup older than this is shown as a warning: the nightly job has stopped working. */
const BACKUP_STALE_MS = 2 * 24 * 3600_000;

/** What the status page reads: the database and whether the bot runs, and how. */
export interface StatusDeps {
  db: Db;
  botOn: boolean;
  botMode: string;
  /** Embedded database only (PostgreSQL is backed up by its own tooling). */
  lastBackup?: () => LastBackup | null;
}

async function summary(deps: StatusDeps) {
  const [byState, outbox, estates, residents] = await Promise.all([
    deps.db.case.groupBy({ by: ["state"], _count: { _all: true } }),
    deps.db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } }),
    deps.db.estate.count(),
    deps.db.resident.count(),
  ]);
  const last = deps.lastBackup?.();
  return {
    bot: deps.botOn ? deps.botMode : "off",
    ...(deps.lastBackup
      ? { backup: last ? { at: last.at.toISOString(), file: last.file.split("/").pop()!, bytes: last.bytes, stale: Date.now() - last.at.getTime() > BACKUP_STALE_MS } : null }
      : {}),
    estates,
    residents,
    cases: Object.fromEntries(byState.map((r) => [r.state, r._count._all])),
    outbox: Object.fromEntries(outbox.map((r) => [r.status, r._count._all])),
  };
}

const esc = (s: unknown) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function statusRouter(deps: StatusDeps): Router {
  const r = express.Router();
  r.get("/status.json", async (_req, res) => {
    res.json(await summary(deps));
  });
  r.get("/status", async (_req, res) => {
    const s = await summary(deps);
    const t = translator("zh-Hans");
    const backup =
      s.backup === undefined
        ? ""
        : `<p>${esc(t("status_backup"))}: ${
            s.backup ? `<b>${esc(s.backup.at.slice(0, 16).replace("T", " "))} UTC</b> · ${esc(s.backup.file)} · ${(s.backup.bytes / 1e6).toFixed(1)} MB${s.backup.stale ? ` · <b>${esc(t("status_backup_stale"))}</b>` : ""}` : `<b>${esc(t("status_backup_none"))}</b>`
          }</p>`;
    const rows = (o: Record<string, number>) =>
      Object.entries(o).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join("") || "<tr><td colspan=2>—</td></tr>";
    res.type("html").send(`<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>物业投诉报修 · 状态</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:40rem}td{padding:.2rem .8rem;border-bottom:1px solid #ddd}</style>
<h1>物业投诉报修 · Estate front door</h1>
<p>Bot: <b>${esc(s.bot)}</b> · estates ${s.estates} · residents ${s.residents}</p>
${backup}
<h2>Cases by state</h2><table>${rows(s.cases)}</table>
<h2>Outbox</h2><table>${rows(s.outbox)}</table>
<p><a href="/status.json">status.json</a> · <a href="/healthz">healthz</a> · <a href="/readyz">readyz</a></p></html>`);
  });
  return r;
}
