// The same pages as a Telegram Mini App: the bot's menu button opens /r/app; Telegram puts the
// signed launch data (initData) in the page's #tgWebAppData, frontdoor.js posts it to /r/tg, and
// the server checks it (HMAC with the bot token, at most MAX_AGE old, each initData once — the hashes
// used are kept in the database, so a replay to another web process is refused too) before signing
// the resident in with the web session. The resident is the one registered in the bot.
import { Router } from "express";
import express from "express";
import { isValid, parse } from "@telegram-apps/init-data-node";
import { renderPage } from "../views/render.tsx";
import { MessagePage } from "./pages.tsx";
import { signIn, visitOf } from "./session.ts";
import type { FrontDoorDeps } from "./deps.ts";

/** Seconds an initData is accepted after Telegram signed it. */
export const MAX_AGE_SECONDS = 3600;

export function miniApp(d: FrontDoorDeps & { botToken?: string }): Router {
  const r = Router();
  r.get("/r/app", (_req, res) => {
    const { view } = visitOf(res);
    res.type("html").send(renderPage(<MessagePage v={view} title={view.say("app")} text={view.say("mini_opening")} script />));
  });

  r.post("/r/tg", express.json({ limit: "8kb" }), async (req, res) => {
    const { view } = visitOf(res);
    const initData = typeof req.body?.initData === "string" ? (req.body.initData as string) : "";
    const refuse = (status: number, error: string, key: string) => void res.status(status).json({ error, message: view.say(key) });
    if (!d.botToken) return refuse(404, "not_found", "mini_off");
    if (!initData || !isValid(initData, d.botToken, { expiresIn: MAX_AGE_SECONDS })) return refuse(401, "invalid_init_data", "mini_invalid");
    const data = parse(initData);
    // First use wins, across every process on this database; housekeeping drops rows past expiry.
    const expiresAt = new Date(data.auth_date.getTime() + MAX_AGE_SECONDS * 1000);
    const first = await d.db.$executeRaw`INSERT INTO "MiniAppLaunch" (hash, "expiresAt") VALUES (${data.hash}, ${expiresAt}) ON CONFLICT (hash) DO NOTHING`;
    if (first !== 1) return refuse(401, "replayed_init_data", "mini_invalid");
    if (!data.user) return refuse(401, "invalid_init_data", "mini_invalid");
    const resident = await d.db.resident.findUnique({ where: { telegramUserId: BigInt(data.user.id) } });
    if (!resident) return refuse(404, "not_registered", "mini_register");
    signIn(d, res, resident.id);
    res.json({ ok: true, next: resident.status === "rejected" ? "/r/cases" : "/r/file" });
  });
  return r;
}
