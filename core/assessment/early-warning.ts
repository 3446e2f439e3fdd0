// 预警 Early warning: an estate whose cases (configured kinds) in the last 7 days exceed factor × its
// weekly average over the 8 weeks before, and number at least minCount, is flagged once per local
// day (EarlyWarning unique (estateId, day)); its street office chat is told in the same transaction
// through the outbox, so a rerun or a second instance neither flags nor tells twice.
import type { Db } from "../db/db.ts";
import { enqueue, type OutMessage } from "../delivery/outbox.ts";
import { chooseChannels } from "../delivery/channels/choose.ts";
import { robotWarning } from "../delivery/robots/robot-messages.ts";
import type { AssessmentSettings } from "./assessment-settings.ts";
import type { AssessmentRenderer } from "../surveys/survey-notices.ts";

const DAY = 86_400_000;

export interface WarningRow {
  estateId: number;
  estate: string;
  street: string;
  streetId: number;
  recent: number;
  baseline: number;
}

/** Estates spiking at `now` (no side effects). */
export async function spikes(db: Db, o: { settings: AssessmentSettings; now: Date; streetId?: number | null }): Promise<WarningRow[]> {
  const w = o.settings.earlyWarning;
  const weekAgo = new Date(o.now.getTime() - 7 * DAY);
  const start = new Date(o.now.getTime() - 63 * DAY);
  return db.$queryRaw<WarningRow[]>`
    SELECT * FROM (
      SELECT e.id AS "estateId", e.name AS estate, s.name AS street, e."streetId",
        count(c.id) FILTER (WHERE c."createdAt" >= ${weekAgo})::int AS recent,
        (count(c.id) FILTER (WHERE c."createdAt" < ${weekAgo}) / 8.0)::float8 AS baseline
      FROM "Estate" e JOIN "Street" s ON s.id = e."streetId"
      LEFT JOIN "Case" c ON c."estateId" = e.id AND c."createdAt" >= ${start} AND c."createdAt" < ${o.now} AND c.kind::text = ANY(${w.kinds}::text[])
      WHERE ${o.streetId ?? null}::int IS NULL OR e."streetId" = ${o.streetId ?? null}
      GROUP BY e.id, e.name, s.name, e."streetId") t
    WHERE recent >= ${w.minCount} AND recent > ${w.factor} * baseline
    ORDER BY "estateId"`;
}

/** The daily job: flags today's spikes and tells each street office once. */
export async function checkEarlyWarnings(db: Db, o: { settings: AssessmentSettings; now: Date; timezone: string; renderer: AssessmentRenderer; afterCommit?: () => void; dashboardUrl?: string }) {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: o.timezone }).format(o.now);
  const found = await spikes(db, o);
  if (!found.length) return { day, flagged: [] as WarningRow[], notified: 0 };
  const offices = await db.office.findMany({ where: { level: "street", streetId: { in: found.map((f) => f.streetId) } } });
  const res = await db.$transaction(async (tx) => {
    const fresh = await tx.$queryRaw<{ estateId: number }[]>`
      INSERT INTO "EarlyWarning" ("estateId", day, recent, baseline, "createdAt")
      SELECT t.e, ${day}, t.r, t.b, ${o.now}
      FROM unnest(${found.map((f) => f.estateId)}::int[], ${found.map((f) => f.recent)}::int[], ${found.map((f) => f.baseline)}::float8[]) AS t(e, r, b)
      ON CONFLICT ("estateId", day) DO NOTHING RETURNING "estateId"`;
    const ids = new Set(fresh.map((f) => f.estateId));
    const flagged = found.filter((f) => ids.has(f.estateId));
    const messages = flagged.flatMap((f) => {
      const office = offices.find((x) => x.streetId === f.streetId);
      if (!office) return [];
      const out: OutMessage[] = [];
      for (const p of chooseChannels({ kind: "office", telegramChatId: office.chatId, wecomWebhook: office.wecomWebhook, dingtalkWebhook: office.dingtalkWebhook }, "warning")) {
        if (p === "telegram") {
          const m = o.renderer.earlyWarning(office.chatId!, { estate: f.estate, street: f.street, day, recent: f.recent, baseline: f.baseline, factor: o.settings.earlyWarning.factor });
          out.push({ ...m, dedupeKey: `warn:${f.estateId}:${day}` });
        } else if (p === "wecom" || p === "dingtalk") out.push(robotWarning(office, p, f, o.dashboardUrl ?? "{base}/dashboard", `warn:${f.estateId}:${day}:${p}`));
      }
      return out;
    });
    const notified = (await enqueue(tx, messages)).length;
    return { flagged, notified };
  });
  if (res.notified) o.afterCommit?.();
  return { day, ...res };
}

export async function listWarnings(db: Db, o: { since: Date; streetId?: number | null }) {
  return db.earlyWarning.findMany({
    where: { createdAt: { gte: o.since }, ...(o.streetId != null ? { estateId: { in: (await db.estate.findMany({ where: { streetId: o.streetId }, select: { id: true } })).map((e) => e.id) } } : {}) },
    orderBy: [{ day: "desc" }, { estateId: "asc" }],
    take: 1000,
  });
}
