// The whole service (as main builds it) with the residents' front door on, against the fake Bot
// API, plus a tiny browser for HTTP tests: a cookie jar, the CSRF field of the last page, and
// images to upload.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll } from "vitest";
import { seedDemo } from "../../core/directory/demo-district.ts";
import { FakeBotApi } from "../helpers/fakeBotApi.ts";
import { testDatabase, type TestDb } from "../helpers/db.ts";
import { giveChats, startService, type Running } from "../reliability/service.ts";
import { placeToken } from "../../api/frontdoor/tokens.ts";
import type { BuildOptions } from "../../app-context.ts";

export const FRONTDOOR_SECRET = "test-frontdoor-secret-0123456789abcdef";

export interface WebEnv {
  db: TestDb;
  api: FakeBotApi;
  svc: Running;
  chats: Awaited<ReturnType<typeof giveChats>>;
  attachmentsDir: string;
  /** The signed link a poster of this estate (building) carries. */
  link(estateCode: string, buildingName?: string): Promise<string>;
}

export function withFrontDoor(env: Record<string, string> | (() => Record<string, string>) = {}, opts: Omit<BuildOptions, "database" | "botInfo"> & { log?: import("../../core/logger.ts").Logger } = {}): WebEnv {
  const e = {} as WebEnv;
  beforeAll(async () => {
    e.api = new FakeBotApi();
    await e.api.start();
    e.db = await testDatabase();
    await seedDemo(e.db.prisma);
    e.chats = await giveChats(e.db.prisma);
    e.attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), "web-attachments-"));
    // A function: settings known only once other fakes started (their addresses).
    e.svc = await startService(e.db, e.api, { ...opts, env: { FRONTDOOR_SECRET, ATTACHMENTS_DIR: e.attachmentsDir, ATTACHMENT_MAX_MB: "1", ...(typeof env === "function" ? env() : env) } });
    e.link = async (estateCode, buildingName) => {
      const estate = await e.db.prisma.estate.findUniqueOrThrow({ where: { code: estateCode }, include: { buildings: true } });
      const b = buildingName ? estate.buildings.find((x) => x.name === buildingName) : undefined;
      return `${e.svc.base}/r/${placeToken(FRONTDOOR_SECRET, { estateId: estate.id, buildingId: b?.id ?? null })}`;
    };
  }, 120_000);
  afterAll(async () => {
    await e.svc?.close();
    await e.db?.drop();
    await e.api?.stop();
    if (e.attachmentsDir) fs.rmSync(e.attachmentsDir, { recursive: true, force: true });
  });
  return e;
}

/** One phone's browser: keeps cookies, remembers the last page's CSRF field. */
export class Phone {
  private jar = new Map<string, string>();
  csrf = "";
  constructor(private readonly ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.50(0x1800322d) NetType/WIFI Language/zh_CN") {}

  async fetch(url: string, init: RequestInit = {}): Promise<{ status: number; text: string; location: string | null }> {
    const headers = new Headers(init.headers);
    headers.set("user-agent", this.ua);
    headers.set("accept", "text/html");
    if (this.jar.size) headers.set("cookie", [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1]!;
    return { status: res.status, text, location: res.headers.get("location") };
  }

  get(url: string) {
    return this.fetch(url);
  }

  postForm(url: string, fields: Record<string, string>) {
    return this.fetch(url, { method: "POST", body: new URLSearchParams({ _csrf: this.csrf, ...fields }), headers: { "content-type": "application/x-www-form-urlencoded" } });
  }

  postMultipart(url: string, fields: Record<string, string>, files: { name: string; type: string; bytes: Buffer }[] = []) {
    const fd = new FormData();
    fd.set("_csrf", this.csrf);
    for (const [k, v] of Object.entries(fields)) fd.set(k, v);
    for (const f of files) fd.append("photos", new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
    return this.fetch(url, { method: "POST", body: fd });
  }

  cookie(name: string) {
    return this.jar.get(name);
  }
}

/** A real PNG (solid colour, with noise so it does not compress to nothing when `noisy`). */
export function png(width: number, height: number, noisy = false): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  const noise = noisy ? crypto.randomBytes(raw.length) : null;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width * 3; x++) raw[row + 1 + x] = noise ? noise[row + 1 + x]! : x % 3 === 0 ? 200 : 90;
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}
