// Debian's Chromium for the browser tests: one place for its path, the skip (with its reason) when it
// is missing outside CI, the flags this machine needs, a throw-away profile, and serving an app on a
// loopback port for it to open.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import { chromium, type BrowserContext } from "playwright-core";
import { skipBecause } from "./skip.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** For `describe.skipIf(noChromium())`: under CI a missing Chromium fails the file instead. */
export const noChromium = () =>
  skipBecause(!fs.existsSync(CHROMIUM) && process.env.CI !== "true", `Chromium not found at ${CHROMIUM} — install with apt-get install chromium fonts-wqy-zenhei, or set CHROMIUM_PATH`);

// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

type ContextOptions = Omit<NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>, "executablePath" | "args" | "headless">;

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A browser with a fresh profile directory (removed on close); 1280×900 unless told otherwise. */
export async function openChromium(options: ContextOptions = {}): Promise<Chromium> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, { viewport: { width: 1280, height: 900 }, ...options, executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Served {
  base: string;
  close(): Promise<void>;
}

/** Listens on a loopback port; `base` is the address the browser opens. */
export async function serve(app: { listen(port: number, host: string, cb: () => void): Server }): Promise<Served> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      // Chromium keeps its keep-alive sockets open: drop them, or close() waits for their timeout.
      server.closeAllConnections();
      return closed;
    },
  };
}
