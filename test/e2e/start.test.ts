// `npm start` on a fresh machine: with no settings it applies migrations to an embedded database,
// serves HTTP, says the bot is off and how to turn it on, and stops cleanly on SIGTERM.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("npm start with no configuration", () => {
  it("starts on PGlite with the bot off, answers /readyz, stops on SIGTERM", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "start-"));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PGLITE_DIR: path.join(dir, "db"), PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" };
    const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], { env, cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no "HTTP up" within 180 s:\n${out}`)), 180_000);
        const check = () => (out.includes("HTTP up") ? (clearTimeout(t), resolve()) : setTimeout(check, 100));
        check();
        child.on("exit", (code) => reject(new Error(`exited ${code}:\n${out}`)));
      });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(out).toContain("migration applied");
      expect(out).toMatch(/Bot is OFF: BOT_TOKEN is not set.*BOT_TOKEN=/);
      const exit = new Promise<number | null>((r) => child.on("exit", r));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
      expect(out).toContain("stopped");
    } finally {
      child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it("refuses to start with a clear message when a setting is invalid", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], {
      env: { PATH: process.env.PATH, PORT: "not-a-port", BOT_TOKEN: "oops" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(1);
    expect(err).toContain("Invalid configuration");
    expect(err).toMatch(/PORT/);
    expect(err).toMatch(/BOT_TOKEN: looks like 123456:ABC/);
    expect(err).not.toMatch(/at .*\.ts:\d+/);
  }, 60_000);
});
