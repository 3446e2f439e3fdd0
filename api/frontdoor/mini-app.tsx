// The same pages as a Telegram Mini App: the bot's menu button opens /r/app; Telegram puts the
// signed launch data (initData) in the page's #tgWebAppData, frontdoor.js posts it to /r/tg, and
// the server checks it (HMAC with the bot token, at most MAX_AGE old, each initData once) before
// signing the resident in with the web session. The resident is the one registered in the bot.
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
  // Hashes of initData already used, until they would have expired anyway (per process: a second
  // web process does not see this one's; the age limit bounds what a replay could do there).
  const used = new Map<string, number>();
  const forget = (now: number) => {
    for (const [k, until] of used) if (until < now) used.delete(k);
  };

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
    const now = Date.now();
    forget(now);
    if (used.has(data.hash)) return refuse(401, "replayed_init_data", "mini_invalid");
    used.set(data.hash, now + MAX_AGE_SECONDS * 1000);
    if (!data.user) return refuse(401, "invalid_init_data", "mini_invalid");
    const resident = await d.db.resident.findUnique({ where: { telegramUserId: BigInt(data.user.id) } });
    if (!resident) return refuse(404, "not_registered", "mini_register");
    signIn(d, res, resident.id);
    res.json({ ok: true, next: resident.status === "verified" ? "/r/file" : "/r/cases" });
  });
  return r;
}
