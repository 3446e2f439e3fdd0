import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, loadConfig } from "../../core/config.ts";

describe("config", () => {
  it(".env.example lists every variable the service reads, each with a comment above it", () => {
    const lines = fs.readFileSync(".env.example", "utf8").split("\n");
    const missing = CONFIG_VARIABLES.filter((name) => {
      let at = lines.findIndex((l) => new RegExp(`^#?\\s*${name}=`).test(l));
      if (at < 0) return true;
      // Variables of one group share the comment above the group.
      while (at > 0 && /^#?\s*[A-Z][A-Z0-9_]*=/.test(lines[at - 1]!)) at--;
      return at < 1 || !lines[at - 1]!.startsWith("#");
    });
    expect(missing).toEqual([]);
    expect(CONFIG_VARIABLES).toContain("PG_PREPARED_STATEMENTS");
    // Every default stays commented: a copied file sets nothing by itself (PUBLIC_BASE_URL=localhost made dead QR posters).
    expect(lines.filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))).toEqual([]);
  });

  it("starts with no settings at all: embedded database, bot off, Asia/Shanghai", () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.BOT_TOKEN).toBeUndefined();
    expect(c.PGLITE_DIR).toBe("./data/pglite");
    expect(c.TIMEZONE).toBe("Asia/Shanghai");
    expect(c.DEFAULT_LOCALE).toBe("zh-Hans");
  });

  it("names each bad variable and why", () => {
    const bad = () => loadConfig({ PORT: "abc", BOT_TOKEN: "nope", DATABASE_URL: "mysql://x", TIMEZONE: "Mars/Base" });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const msg = (e as Error).message;
      for (const v of ["PORT", "BOT_TOKEN", "DATABASE_URL", "TIMEZONE"]) expect(msg).toContain(v);
      expect(msg).toContain("@BotFather");
    }
  });

  it("requires a webhook secret in webhook mode", () => {
    expect(() => loadConfig({ BOT_TOKEN: "123:" + "a".repeat(30), BOT_MODE: "webhook" })).toThrow(/WEBHOOK_SECRET/);
    expect(loadConfig({ BOT_TOKEN: "123:" + "a".repeat(30), BOT_MODE: "webhook", WEBHOOK_SECRET: "s".repeat(20) }).BOT_MODE).toBe("webhook");
  });

  it("treats empty strings from .env as unset", () => {
    expect(loadConfig({ BOT_TOKEN: "", DATABASE_URL: "" }).BOT_TOKEN).toBeUndefined();
  });
});
