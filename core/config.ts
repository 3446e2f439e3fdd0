// Configuration from the environment, validated once at start. Everything else receives a Config.
import { z } from "zod";
import cron from "node-cron";
import { isIP } from "node:net";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const fields = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z.string().url().startsWith("postgres", "must be a postgres:// or postgresql:// URL").optional(),
  PGLITE_DIR: z.string().min(1).default("./data/pglite"),
  BACKUP_DIR: z.string().min(1).default("./data/backups"),
  BACKUP_KEEP: z.coerce.number().int().min(1, "keep at least 1 backup").max(3650).default(14),
  BACKUP_SCHEDULE: z.string().refine((s) => cron.validate(s), "not a cron expression, e.g. 45 2 * * * (02:45 every night)").default("45 2 * * *"),
  // Unset: on by default, off when PG_POOL_MODE=transaction (a pooler without prepared-statement support).
  PG_PREPARED_STATEMENTS: bool.optional(),
  // "transaction": DATABASE_URL goes through PgBouncer (or a managed pooler) in transaction mode, where
  // LISTEN and session state do not survive a statement: wake-ups use DATABASE_DIRECT_URL or polling.
  PG_POOL_MODE: z.enum(["session", "transaction"]).default("session"),
  // A direct connection (not through the pooler) for the wake-up LISTEN; optional.
  DATABASE_DIRECT_URL: z.string().url().startsWith("postgres", "must be a postgres:// or postgresql:// URL").optional(),
  // false: start only on a database whose migrations a separate `npm run migrate` applied (Job, compose).
  MIGRATE_ON_START: bool.default(true),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  // Unset: http://localhost:<PORT>, so links in the log, the CLI and the OpenAPI document follow PORT.
  PUBLIC_BASE_URL: z.string().url().optional(),
  BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "looks like 123456:ABC-DEF… as given by @BotFather")
    .optional(),
  BOT_MODE: z.enum(["polling", "webhook"]).default("polling"),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "16–256 characters of A-Z a-z 0-9 _ -")
    .optional(),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  TELEGRAM_RATE_LIMITS: bool.default(true),
  DEFAULT_LOCALE: z.enum(["zh-Hans", "zh-Hant", "en"]).default("zh-Hans"),
  TIMEZONE: z.string().refine(isTimeZone, "not an IANA time zone, e.g. Asia/Shanghai").default("Asia/Shanghai"),
  RULES_DIR: z.string().default("./rules"),
  JOBS_ENABLED: bool.default(true),
  PROCESS_ROLE: z.enum(["all", "web", "worker"]).default("all"),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
  INBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587").optional(),
  MAIL_FROM: z.string().default("物业投诉平台 <noreply@localhost>"),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  API_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).default(600),
  // The reverse proxies whose X-Forwarded-For is believed (addresses, CIDRs, or loopback / linklocal /
  // uniquelocal, comma-separated). Unset: never — the caller's own address counts for every limit.
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((x) => x.trim()).filter(Boolean) : []))
    .refine((list) => list.every(isProxyAddress), "addresses or CIDRs (10.0.0.1, 10.0.0.0/8, ::1) or loopback, linklocal, uniquelocal, comma-separated"),
  METRICS_TOKEN: z.string().min(16).optional(),
  // Evidence (photos) kept by the project: a folder by default, S3-compatible storage when S3_BUCKET is set.
  ATTACHMENTS_DIR: z.string().min(1).default("./data/attachments"),
  ATTACHMENT_MAX_MB: z.coerce.number().positive().max(20).default(10),
  // How long a photo link sent in place of a photo Telegram refused opens (/p/<token>, core/attachments/photo-links.ts).
  PHOTO_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Signs the residents' QR links, web sessions and forms (api/frontdoor); unset: /r is off. Changing it voids every printed poster.
  FRONTDOOR_SECRET: z.string().min(32, "at least 32 characters, e.g. from: openssl rand -base64 36").optional(),
  // A TTF/OTF/TTC with Chinese glyphs for the QR posters (PDF); the default is Debian's fonts-wqy-zenhei.
  POSTER_FONT: z.string().min(1).default("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
  // SMS notices to web residents who gave a number and agreed (core/delivery/sms): log = written to the log only.
  SMS_PROVIDER: z.enum(["log", "tencent"]).default("log"),
  // 1: the log SMS transport prints one-time sign-in codes in full (a trial without a phone); otherwise masked.
  SMS_LOG_CODES: z.enum(["0", "1"]).default("0"),
  TENCENT_SMS_SECRET_ID: z.string().min(1).optional(),
  TENCENT_SMS_SECRET_KEY: z.string().min(1).optional(),
  TENCENT_SMS_SDK_APP_ID: z.string().regex(/^\d{6,12}$/, "the SMS application's SdkAppId, digits (e.g. 1400006666)").optional(),
  TENCENT_SMS_SIGN_NAME: z.string().min(1).optional(),
  TENCENT_SMS_TEMPLATE_ID: z.string().regex(/^\d{1,12}$/, "an approved template's id, digits").optional(),
  TENCENT_SMS_TEMPLATE_ID_ZH_HANT: z.string().regex(/^\d{1,12}$/, "an approved template's id, digits").optional(),
  TENCENT_SMS_TEMPLATE_ID_EN: z.string().regex(/^\d{1,12}$/, "an approved template's id, digits").optional(),
  TENCENT_SMS_REGION: z.string().min(1).default("ap-guangzhou"),
  TENCENT_SMS_ENDPOINT: z.string().url().default("https://sms.tencentcloudapi.com"),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name (3–63 lower-case letters, digits, . or -)").optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
  S3_PREFIX: z.string().regex(/^([A-Za-z0-9_-]+\/)*$/, "empty, or folder names each ending in /, e.g. attachments/").default(""),
});

/** Every variable the service reads (.env.example must list each one). */
export const CONFIG_VARIABLES = Object.keys(fields.shape);

const schema = fields.superRefine((c, ctx) => {
  if (c.PROCESS_ROLE !== "all" && !c.DATABASE_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["PROCESS_ROLE"],
      message: `"${c.PROCESS_ROLE}" needs DATABASE_URL: web and worker processes share one PostgreSQL (the embedded PGlite belongs to one process); use PROCESS_ROLE=all`,
    });
  }
  if (c.S3_BUCKET && !(c.S3_ACCESS_KEY_ID && c.S3_SECRET_ACCESS_KEY)) {
    ctx.addIssue({ code: "custom", path: ["S3_ACCESS_KEY_ID"], message: "S3_BUCKET needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY" });
  }
  if (!c.S3_BUCKET && (c.S3_ENDPOINT || c.S3_ACCESS_KEY_ID || c.S3_SECRET_ACCESS_KEY)) {
    ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "S3 settings given without S3_BUCKET: set the bucket, or remove them to keep photos on disk (ATTACHMENTS_DIR)" });
  }
  if (c.SMS_PROVIDER === "tencent") {
    for (const k of ["TENCENT_SMS_SECRET_ID", "TENCENT_SMS_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID", "TENCENT_SMS_SIGN_NAME", "TENCENT_SMS_TEMPLATE_ID"] as const) {
      if (!c[k]) ctx.addIssue({ code: "custom", path: [k], message: "required when SMS_PROVIDER=tencent" });
    }
  }
  if (c.BOT_TOKEN && c.BOT_MODE === "webhook" && !c.WEBHOOK_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["WEBHOOK_SECRET"],
      message: "required when BOT_MODE=webhook (Telegram sends it back in X-Telegram-Bot-Api-Secret-Token)",
    });
  }
});

const withDefaults = schema.transform((c) => ({
  ...c,
  PUBLIC_BASE_URL: (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ""),
  PG_PREPARED_STATEMENTS: c.PG_PREPARED_STATEMENTS ?? c.PG_POOL_MODE === "session",
}));

export type Config = z.infer<typeof withDefaults>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = withDefaults.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (see .env.example):\n${lines.join("\n")}`);
  }
  return parsed.data;
}
