// A plain status page at /status and its JSON at /status.json: what runs, cases by state, outbox
// backlog. (/ is the public landing page, api/dashboard/setup.ts.)
import express, { type Router } from "express";
import type { Db } from "../core/db/db.ts";
import type { Locale } from "../core/cases/categories.ts";
import type { RouterStatus } from "../rules/router.ts";
import { view } from "./dashboard/layout.ts";
import { renderPage } from "./views/render.tsx";
import { StatusPage } from "./views/status-page.tsx";

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
  /** The page's language and local time (the office's settings; zh-Hans and Asia/Shanghai without them). */
  defaultLocale?: Locale;
  timezone?: string;
  /** Whether routing is in force and which rules were left out (the router's status). */
  rules?: () => Pick<RouterStatus, "routingInForce" | "refused">;
}

async function summary(deps: StatusDeps) {
  const [byState, outbox, estates, residents] = await Promise.all([
    deps.db.case.groupBy({ by: ["state"], _count: { _all: true } }),
    deps.db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } }),
    deps.db.estate.count(),
    deps.db.resident.count(),
  ]);
  const last = deps.lastBackup?.();
  const rules = deps.rules?.();
  return {
    ...(rules ? { routing: { inForce: rules.routingInForce, refused: rules.refused.map((i) => ({ rule: i.rule ?? null, reason: i.reason })) } } : {}),
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

export function statusRouter(deps: StatusDeps): Router {
  const r = express.Router();
  r.get("/status.json", async (_req, res) => {
    res.json(await summary(deps));
  });
  r.get("/status", async (req, res) => {
    const s = await summary(deps);
    const v = view(req, res, deps.defaultLocale ?? "zh-Hans", deps.timezone ?? "Asia/Shanghai");
    res.type("html").send(renderPage(StatusPage({ v, s })));
  });
  return r;
}
