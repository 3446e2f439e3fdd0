// A plain status page at /status and its JSON at /status.json: what runs, cases by state, outbox
// backlog. (/ is the public landing page, api/dashboard/setup.ts.)
import express, { type Router } from "express";
import type { Db } from "../core/db/db.ts";

/** What the status page reads: the database and whether the bot runs, and how. */
export interface StatusDeps {
  db: Db;
  botOn: boolean;
  botMode: string;
}

async function summary(deps: StatusDeps) {
  const [byState, outbox, estates, residents] = await Promise.all([
    deps.db.case.groupBy({ by: ["state"], _count: { _all: true } }),
    deps.db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } }),
    deps.db.estate.count(),
    deps.db.resident.count(),
  ]);
  return {
    bot: deps.botOn ? deps.botMode : "off",
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
    const rows = (o: Record<string, number>) =>
      Object.entries(o).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join("") || "<tr><td colspan=2>—</td></tr>";
    res.type("html").send(`<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>物业投诉报修 · 状态</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:40rem}td{padding:.2rem .8rem;border-bottom:1px solid #ddd}</style>
<h1>物业投诉报修 · Estate front door</h1>
<p>Bot: <b>${esc(s.bot)}</b> · estates ${s.estates} · residents ${s.residents}</p>
<h2>Cases by state</h2><table>${rows(s.cases)}</table>
<h2>Outbox</h2><table>${rows(s.outbox)}</table>
<p><a href="/status.json">status.json</a> · <a href="/healthz">healthz</a> · <a href="/readyz">readyz</a></p></html>`);
  });
  return r;
}
