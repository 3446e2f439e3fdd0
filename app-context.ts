// Builds the service graph once, for main and for tests/benches that want the real thing:
// database, rules router, notifier, case service, bot, outbox sender, inbox, jobs, HTTP app.
import type { Express } from "express";
import type { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Config } from "./core/config.ts";
import type { Logger } from "./core/logger.ts";
import { openDatabase, type Database } from "./core/db/db.ts";
import { loadCategories, type Categories } from "./core/cases/categories.ts";
import { CaseService } from "./core/cases/case-service.ts";
import { RevisitService } from "./core/cases/revisit.ts";
import { OutboxSender, type SenderOptions } from "./core/delivery/outbox.ts";
import { InboxWorker } from "./core/delivery/inbox.ts";
import { systemClock, type Clock } from "./core/clock.ts";
import { createRulesRouter, type RulesRouter } from "./rules/router.ts";
import { createBot, type BotContext } from "./bot/createBot.ts";
import { createI18n } from "./bot/i18n.ts";
import { BotNotifier } from "./bot/render/notifier.ts";
import { webAdditionNotice, workspaceExtensionNotice, workspaceMessageNotice } from "./bot/render/web-additions.ts";
import { createTransport, markResidentBlocked, telegramFetch } from "./bot/transport/transport.ts";
import { loadDeliveryLimits } from "./core/delivery/delivery-settings.ts";
import { mediaFallback } from "./bot/render/media-fallback.ts";
import { photoLinksFromConfig } from "./core/attachments/photo-links.ts";
import { Api } from "grammy";
import { createApp } from "./api/app.ts";
import { officeDepsFromConfig } from "./api/office.ts";
import { createMetrics, type Metrics } from "./api/metrics.ts";
import { Scheduler } from "./jobs/scheduler.ts";
import { dbRunCoordinator } from "./jobs/coordinator.ts";
import { housekeepingJob } from "./jobs/housekeeping.ts";
import { backupJob } from "./jobs/backup.ts";
import { listBackups } from "./core/db/backup.ts";
import { clockJobs } from "./jobs/clocks.ts";
import { clockSettingsSource } from "./core/clocks/clock-settings.ts";
import { Sweeps } from "./core/clocks/sweeps.ts";
import { sendDigests } from "./core/clocks/digest.ts";
import { mailTransport, routeByMethod } from "./core/delivery/mail.ts";
import { bulletinDocuments, catchUpBulletins } from "./core/bulletin/monthly.ts";
import { bulletinJobs } from "./jobs/bulletins.ts";
import { createClockRenderer } from "./bot/render/clock-renderer.ts";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { SurveyService, surveyOnUndeliverable } from "./core/surveys/surveys.ts";
import { loadSurveySettings } from "./core/surveys/survey-settings.ts";
import { loadAssessmentSettings } from "./core/assessment/assessment-settings.ts";
import { creditRulesHolder } from "./core/credit/credit-rules.ts";
import { creditCampaignHook, hangCreditOn } from "./core/credit/case-hooks.ts";
import { zhAssessmentRenderer } from "./core/surveys/survey-notices.ts";
import { surveyJobs } from "./jobs/surveys.ts";
import { createSurveyRenderer } from "./bot/render/survey-renderer.ts";
import { pacedTransport } from "./bot/transport/paced-transport.ts";
import { RobotSender } from "./core/delivery/robots/robot-sender.ts";
import { downloadTelegramFile, telegramFiles } from "./bot/transport/files.ts";
import { diskStore, type AttachmentStore } from "./core/attachments/store.ts";
import { mediaPhotoStore } from "./core/attachments/case-photos.ts";
import { s3Store } from "./core/attachments/s3-store.ts";
import { EvidenceFetcher } from "./core/cases/evidence-fetcher.ts";
import { wakeNotifier } from "./core/delivery/wakeups.ts";
import { allNotifiers } from "./core/cases/case-types.ts";
import { SmsNotifier } from "./api/frontdoor/notices/sms-notifier.ts";
import { LiaisonSmsNotifier } from "./api/workspace/notices.ts";
import { smsTransport } from "./core/delivery/sms/sms-provider.ts";
import { smsProviderFromConfig } from "./core/delivery/sms/sms-config.ts";
import type { Understander } from "./core/cases/understanding-types.ts";
import { loadCampaignSettings } from "./core/campaigns/settings.ts";
import type { CampaignDeps } from "./core/campaigns/problems.ts";
import type { CampaignHook } from "./core/campaigns/hooks.ts";
import { campaignJobs } from "./jobs/campaigns.ts";

export interface Services {
  config: Config;
  log: Logger;
  clock: Clock;
  database: Database;
  categories: Categories;
  router: RulesRouter;
  cases: CaseService;
  bot: Bot<BotContext> | null;
  sender: OutboxSender | null;
  /** Offices' WeCom / DingTalk robots: paced and folded (core/delivery/robots). */
  robots: RobotSender;
  /** Downloads received photos into the attachment store (null with the bot off). */
  evidence: EvidenceFetcher | null;
  attachments: AttachmentStore;
  inbox: InboxWorker | null;
  scheduler: Scheduler;
  app: Express;
  metrics: Metrics;
  sweeps: Sweeps;
  surveys: SurveyService;
  /** Functions called inside each campaign event's transaction (the credit engine registers here). */
  campaignHooks: CampaignHook[];
}

export interface BuildOptions {
  clock?: Clock;
  /** Tests and benches pass the fake API's bot identity so no getMe call is needed. */
  botInfo?: UserFromGetMe;
  /** Open this database instead of the configured one (tests). */
  database?: Database;
  /** Lease of outbox and inbox rows (default 60 s); tests shorten it to see crash recovery quickly. */
  leaseMs?: number;
  /** Outbox limits and backoff cap; tests shorten them to see dead letters quickly. */
  outbox?: Pick<SenderOptions, "limits" | "maxBackoffMs">;
  /** Overrides TELEGRAM_RATE_LIMITS: false for benches (they measure the service) and tests (no second per reply). */
  throttle?: boolean;
  /** Reads residents' plain messages (free-text filing); benches and tests pass a stand-in. */
  understander?: Understander;
}

export async function buildServices(config: Config, log: Logger, opts: BuildOptions = {}): Promise<Services> {
  const clock = opts.clock ?? systemClock;
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, log, preparedStatements: config.PG_PREPARED_STATEMENTS, migrations: config.MIGRATE_ON_START ? "apply" : "check" }));
  const db = database.prisma;
  const categories = loadCategories(config.RULES_DIR);
  const router = await createRulesRouter({ db, rulesDir: config.RULES_DIR, timezone: config.TIMEZONE, log, clock, startWithoutRules: true });
  const i18n = createI18n(config.DEFAULT_LOCALE);
  const botNotifier = new BotNotifier({ i18n, categories, defaultLocale: config.DEFAULT_LOCALE, timezone: config.TIMEZONE });
  // Web residents without Telegram hear of their cases by SMS (when they agreed), through the same outbox.
  const notifier = config.FRONTDOOR_SECRET ? allNotifiers(
        botNotifier,
        new SmsNotifier({ publicBaseUrl: config.PUBLIC_BASE_URL, defaultLocale: config.DEFAULT_LOCALE }),
        new LiaisonSmsNotifier({ publicBaseUrl: config.PUBLIC_BASE_URL, categories, defaultLocale: config.DEFAULT_LOCALE }),
      ) : botNotifier;
  const sms = smsTransport(smsProviderFromConfig(config, log));
  const documents = bulletinDocuments(db);
  const mail = config.SMTP_URL ? mailTransport(config.SMTP_URL, config.MAIL_FROM, documents) : null;

  let sender: OutboxSender | null = null;
  let evidence: EvidenceFetcher | null = null;
  // A web process sends nothing itself: its enqueued messages and stored updates wake the worker
  // process through PostgreSQL NOTIFY (core/delivery/wakeups.ts; main.ts starts the worker's listener).
  const notify = config.PROCESS_ROLE === "web" ? wakeNotifier(database.hot, log) : null;
  // A committed case or message may carry new photos: the evidence fetcher looks too.
  const wakeOutbox = notify
    ? () => notify("outbox_wake")
    : () => {
        sender?.wake();
        evidence?.wake();
      };
  const attachments = attachmentStore(config);
  const creditRules = creditRulesHolder(config.RULES_DIR, (err) => log.error({ err }, "rules/credit.json not loaded"));
  const cases = new CaseService({ db, sql: database.hot, router, clock, notifier, afterCommit: wakeOutbox, timezone: config.TIMEZONE });
  hangCreditOn(cases, creditRules.get);

  const surveySettings = loadSurveySettings(config.RULES_DIR);
  const assessmentSettings = loadAssessmentSettings(config.RULES_DIR);
  const surveys = new SurveyService({
    db,
    clock,
    log,
    rulesDir: config.RULES_DIR,
    timezone: config.TIMEZONE,
    settings: () => surveySettings,
    renderer: createSurveyRenderer({ i18n, defaultLocale: config.DEFAULT_LOCALE, timezone: config.TIMEZONE }),
    afterCommit: wakeOutbox,
  });

  const rateLimits = opts.throttle ?? config.TELEGRAM_RATE_LIMITS;
  // The embedded database's backups (core/db/backup.ts): the status page and backup_age_seconds.
  const lastBackup = database.embedded ? { lastBackup: () => listBackups(config.BACKUP_DIR)[0] ?? null } : {};
  const metrics = createMetrics(db, {
    now: () => clock.now(),
    ...(database.embedded ? { lastBackupAt: async () => listBackups(config.BACKUP_DIR)[0]?.at ?? null } : {}),
  });
  const deliveryLimits = loadDeliveryLimits(config.RULES_DIR);
  // Only when given: an explicit undefined would override the workers' 60 s default.
  const lease = opts.leaseMs ? { leaseMs: opts.leaseMs } : {};
  let bot: Bot<BotContext> | null = null;
  let inbox: InboxWorker | null = null;
  if (config.BOT_TOKEN) {
    bot = createBot({
      token: config.BOT_TOKEN,
      sql: database.hot,
      apiRoot: config.TELEGRAM_API_ROOT,
      botInfo: opts.botInfo,
      db,
      cases,
      revisit: new RevisitService({ db, cases, clock }),
      categories,
      defaultLocale: config.DEFAULT_LOCALE,
      log,
      clock,
      wakeOutbox,
      timezone: config.TIMEZONE,
      i18n,
      // Extension buttons count working days on the same calendar as the rules' deadlines.
      calendar: () => router.calendar(),
      surveys,
      // Free-text filing: the rules router reads plain messages (rules/understanding.json).
      understander: opts.understander ?? router,
    });
    // Telegram's limits (≈30 messages/s overall, 1/s per chat, 20/min per group), per instance.
    if (rateLimits) bot.api.config.use(apiThrottler());
    // The outbox's own client: its fetch keeps the status and body of failed answers for the
    // dead-letter record (bot/transport/transport.ts), without changing what the bot's handlers see.
    const outApi = new Api(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT, fetch: telegramFetch() });
    if (rateLimits) outApi.config.use(apiThrottler());
    sender = new OutboxSender({
      db,
      sql: database.hot,
      // Paced below Telegram's global limit (a 429 pauses every send), so a survey push to the whole
      // district runs at ~29 messages/s instead of bouncing off 429s (bench/survey).
      transport: routeByMethod(
        rateLimits ? pacedTransport(createTransport(outApi, documents)) : createTransport(outApi, documents),
        mail,
        sms,
      ),
      clock,
      log,
      pollMs: config.OUTBOX_POLL_MS,
      ...lease,
      limits: () => deliveryLimits,
      onDeadLetter: (kind, reason) => metrics.deadLetters.inc({ kind, reason }),
      onHeadRetry: (kind) => metrics.headRetries.inc({ kind }),
      mediaFallback: mediaFallback({ db, i18n, defaultLocale: config.DEFAULT_LOCALE, publicBaseUrl: config.PUBLIC_BASE_URL, links: photoLinksFromConfig(config)!, linkDays: config.PHOTO_LINK_DAYS, clock }),
      ...opts.outbox,
      onUndeliverable: async (chatId) => {
        await markResidentBlocked(db, clock)(chatId);
        await surveyOnUndeliverable(surveys)(chatId);
      },
    });
    const files = telegramFiles({ api: outApi, token: config.BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, fetch: globalThis.fetch, maxBytes: config.ATTACHMENT_MAX_MB * 1024 * 1024 });
    evidence = new EvidenceFetcher({ db, store: attachments, download: (fileId) => downloadTelegramFile(files, fileId), maxBytes: config.ATTACHMENT_MAX_MB * 1024 * 1024, clock, log });
    if (config.BOT_MODE === "webhook") {
      const b = bot;
      inbox = new InboxWorker({
        db,
        sql: database.hot,
        log,
        pollMs: config.INBOX_POLL_MS,
        // PGlite runs every statement on one connection in this thread, so more updates in flight
        // only lengthen the queue the webhook's insert waits in. bench:intake (PGlite, 40 residents,
        // two runs each): 50 in flight 8.0–8.2 cases/s, webhook p50 290–314 ms; 8 in flight 8.4–8.6,
        // p50 159–184 ms. Not fewer: a callback's answer is a Telegram round trip inside the handler.
        ...(database.kind === "pglite" ? { batchSize: 8 } : {}),
        ...lease,
        handle: (u) => b.handleUpdate(u as never),
        ...(notify ? { notifyChannel: "inbox_wake" as const } : {}),
      });
    }
  }

  // Bot off: e-mail and SMS still go; Telegram's rows wait in the outbox for the bot.
  if (!sender && (config.FRONTDOOR_SECRET || config.SMTP_URL)) {
    sender = new OutboxSender({
      db,
      sql: database.hot,
      methods: ["sendSms", "sendEmail"],
      transport: routeByMethod({ deliver: () => Promise.reject(new Error("the bot is off")) }, mail, sms),
      clock,
      log,
      pollMs: config.OUTBOX_POLL_MS,
      ...lease,
      limits: () => deliveryLimits,
      onDeadLetter: (kind, reason) => metrics.deadLetters.inc({ kind, reason }),
      onHeadRetry: (kind) => metrics.headRetries.inc({ kind }),
      ...opts.outbox,
    });
  }

  // Rectification campaigns (core/campaigns): deadlines on the rules' working-day calendar.
  const campaignSettings = loadCampaignSettings(config.RULES_DIR);
  const campaignHooks: CampaignHook[] = [creditCampaignHook(creditRules.get)];
  const campaigns: CampaignDeps = { db, clock, timezone: config.TIMEZONE, calendar: () => router.calendar(), settings: () => campaignSettings, hooks: campaignHooks, afterCommit: wakeOutbox };
  const settings = clockSettingsSource(config.RULES_DIR, log);
  const renderer = createClockRenderer({ i18n, categories, defaultLocale: config.DEFAULT_LOCALE, timezone: config.TIMEZONE, dashboardUrl: `${config.PUBLIC_BASE_URL}/dashboard` });
  const sweeps = new Sweeps({ db, cases, clock, settings, renderer, timezone: config.TIMEZONE, calendar: () => router.calendar(), log, afterCommit: wakeOutbox, ...(config.FRONTDOOR_SECRET ? { workspaceBaseUrl: config.PUBLIC_BASE_URL } : {}) });
  const digest = () =>
    sendDigests({ db, clock, renderer, dashboardUrl: `${config.PUBLIC_BASE_URL}/dashboard`, timezone: config.TIMEZONE, email: Boolean(config.SMTP_URL) }).then((n) => {
      if (n) wakeOutbox();
      return n;
    });
  const jobs = [
    // One statement on PGlite's one connection: it waits for transactions in flight, then holds the
    // database for its run (at 03:17).
    housekeepingJob(db, clock, database.kind === "pglite" ? () => database.sql.exec("VACUUM (ANALYZE)") : undefined),
    ...clockJobs({ sweeps, settings: settings(), digest }),
    ...bulletinJobs(() =>
      catchUpBulletins({
        db,
        clock,
        timezone: config.TIMEZONE,
        categories,
        defaultLocale: config.DEFAULT_LOCALE,
        minSample: () => assessmentSettings.classification.minSample,
        dashboardUrl: `${config.PUBLIC_BASE_URL}/dashboard`,
        email: Boolean(config.SMTP_URL),
      }).then((r) => {
        if (r.queued) wakeOutbox();
        return r;
      }),
    ),
    ...(database.embedded ? [backupJob(database.embedded.pglite, { dir: config.BACKUP_DIR, keep: config.BACKUP_KEEP, schedule: config.BACKUP_SCHEDULE, clock, dataDir: database.embedded.dir })] : []),
    ...campaignJobs(campaigns),
    ...surveyJobs({ db, clock, surveys, surveySettings: () => surveySettings, assessmentSettings: () => assessmentSettings, renderer: zhAssessmentRenderer, timezone: config.TIMEZONE, log, afterCommit: wakeOutbox }),
  ];
  const scheduler = new Scheduler(jobs, {
    timezone: config.TIMEZONE,
    log,
    coordinator: dbRunCoordinator(db, `${process.pid}`),
    onRun: (job, outcome) => metrics.jobRuns.inc({ job, outcome }),
  });

  // A worker process serves only health, readiness, metrics and the status page (its own port).
  const app = config.PROCESS_ROLE === "worker" ? createApp({ db, log, botOn: bot !== null, botMode: config.BOT_MODE, metrics, rules: () => router.status(), trustProxy: config.TRUST_PROXY, ...lastBackup }) : createApp({
    db,
    log,
    rules: () => router.status(),
    botOn: bot !== null,
    botMode: config.BOT_MODE,
    trustProxy: config.TRUST_PROXY,
    ...lastBackup,
    ...(inbox && config.WEBHOOK_SECRET ? { webhook: { inbox, secret: config.WEBHOOK_SECRET } } : {}),
    botUsername: () => (bot?.isInited() ? bot.botInfo.username : null),
    office: {
      ...officeDepsFromConfig(config, { cases, router, categories, clock, assessmentSettings: () => assessmentSettings }),
      creditRules: creditRules.get,
      wakeOutbox,
      attachments,
      // Open311 media_url photos go into the case's photos through the same store.
      mediaStore: mediaPhotoStore(db, attachments, config.ATTACHMENT_MAX_MB * 1024 * 1024),
      // Photos not yet in the store are shown from Telegram, so only with the bot on.
      ...(bot && config.BOT_TOKEN ? { files: telegramFiles({ api: bot.api, token: config.BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, fetch: globalThis.fetch }) } : {}),
    },
    surveys: { db, surveys, clock, timezone: config.TIMEZONE, assessmentSettings: () => assessmentSettings },
    campaigns: { ...campaigns, publicBaseUrl: config.PUBLIC_BASE_URL, defaultLocale: config.DEFAULT_LOCALE, attachments, maxPhotoBytes: config.ATTACHMENT_MAX_MB * 1024 * 1024 },
    metrics,
    // The residents' web front door (/r): only with a secret to sign its QR links and sessions.
    ...(config.FRONTDOOR_SECRET
      ? {
          frontDoor: {
            db,
            log,
            clock,
            secret: config.FRONTDOOR_SECRET,
            posterFont: config.POSTER_FONT,
            ...(config.BOT_TOKEN ? { botToken: config.BOT_TOKEN } : {}),
            cases,
            revisit: new RevisitService({ db, cases, clock }),
            understander: opts.understander ?? router,
            categories,
            attachments,
            maxPhotoBytes: config.ATTACHMENT_MAX_MB * 1024 * 1024,
            defaultLocale: config.DEFAULT_LOCALE,
            timezone: config.TIMEZONE,
            secureCookies: config.PUBLIC_BASE_URL.startsWith("https:"),
            tellLiaison: webAdditionNotice(i18n, config.DEFAULT_LOCALE),
            tellResident: workspaceMessageNotice(i18n, config.DEFAULT_LOCALE),
            tellOfficeExtension: workspaceExtensionNotice(i18n, config.DEFAULT_LOCALE, config.TIMEZONE),
            calendar: () => router.calendar(),
            wakeOutbox,
          },
        }
      : {}),
  });

  const robots = new RobotSender({ db, clock, log, baseUrl: config.PUBLIC_BASE_URL });
  return { config, log, clock, database, categories, router, cases, bot, sender, robots, evidence, attachments, inbox, scheduler, app, metrics, sweeps, surveys, campaignHooks };
}

function attachmentStore(config: Config): AttachmentStore {
  if (!config.S3_BUCKET) return diskStore(config.ATTACHMENTS_DIR);
  return s3Store({
    bucket: config.S3_BUCKET,
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID!,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    prefix: config.S3_PREFIX,
  });
}
