// The daily digest per office: new escalations since yesterday's digest, what is still overdue,
// per-company counts, undeliverable messages. Once per office per local day (dedupe key).
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";
import type { DigestData, ClockRenderer, OfficeRef } from "./clock-notices.ts";
import { enqueue, type OutMessage } from "../delivery/outbox.ts";
import { chooseChannels } from "../delivery/channels/choose.ts";
import { robotDigest } from "../delivery/robots/robot-messages.ts";
import { countPending } from "../residents/approval.ts";

const DAY = 86_400_000;

export async function digestFor(db: Db, office: OfficeRef & { streetId: number | null }, now: Date, dashboardUrl: string): Promise<DigestData> {
  const since = new Date(now.getTime() - DAY);
  // District sees everything; a street office its street.
  const street = office.level === "street" ? office.streetId : null;
  const newEsc = await db.$queryRaw<{ number: string; level: number; estate: string; company: string | null }[]>`
    SELECT c.number, (ev.data->>'level')::int AS level, e.name AS estate, co.name AS company
    FROM "CaseEvent" ev JOIN "Case" c ON c.id = ev."caseId" JOIN "Estate" e ON e.id = c."estateId"
    LEFT JOIN "Company" co ON co.id = c."companyId"
    WHERE ev.type = 'escalate' AND ev.at > ${since} AND ev.at <= ${now} AND (${street}::int IS NULL OR c."streetId" = ${street}::int)
    ORDER BY ev.id`;
  const perCompany = await db.$queryRaw<{ company: string; open: bigint; overdue: bigint; escalated: bigint }[]>`
    SELECT COALESCE(co.name, '—') AS company,
      COUNT(*) AS open,
      COUNT(*) FILTER (WHERE (c."responseDueAt" < ${now} AND c.state IN ('received', 'routed', 'unroutable', 'reopened'))
                          OR c."resolutionDueAt" < ${now}) AS overdue,
      COUNT(*) FILTER (WHERE c."escalationLevel" > 0) AS escalated
    FROM "Case" c LEFT JOIN "Company" co ON co.id = c."companyId"
    WHERE c.state IN ('received', 'routed', 'unroutable', 'accepted', 'reopened') AND (${street}::int IS NULL OR c."streetId" = ${street}::int)
    GROUP BY co.name ORDER BY overdue DESC, open DESC`;
  // Scoped like the rest: by the case the message was about, else by the resident's estate.
  const [{ n: undeliverable }] = (await db.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(DISTINCT o.id) AS n FROM "OutboxMessage" o
    LEFT JOIN "Case" c ON c.id = o."caseId"
    LEFT JOIN "Resident" r ON r."chatId" = o."chatId" LEFT JOIN "Estate" e ON e.id = r."estateId"
    WHERE o.status = 'undeliverable' AND o."createdAt" > ${since}
      AND (${street}::int IS NULL OR COALESCE(c."streetId", e."streetId") = ${street}::int)`) as [{ n: bigint }];
  return {
    office,
    since,
    until: now,
    newEscalations: newEsc.slice(0, 20),
    newEscalationCount: newEsc.length,
    stillOverdue: perCompany.reduce((s, r) => s + Number(r.overdue), 0),
    perCompany: perCompany.map((r) => ({ company: r.company, open: Number(r.open), overdue: Number(r.overdue), escalated: Number(r.escalated) })),
    undeliverable: Number(undeliverable),
    // Nobody approves a resident the office does not know is waiting.
    awaitingApproval: await countPending(db, { streetId: street, estateIds: null }),
    dashboardUrl,
  };
}

export async function sendDigests(d: { db: Db; clock: Clock; renderer: ClockRenderer; dashboardUrl: string; timezone: string; email?: boolean }): Promise<number> {
  const now = d.clock.now();
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: d.timezone }).format(now);
  // The committees below a street read the dashboard; digests go to the offices that act.
  const offices = await d.db.office.findMany({ where: { level: { in: ["district", "street"] } }, orderBy: { id: "asc" } });
  let sent = 0;
  for (const o of offices) {
    const email = d.email ? o.email : null; // no SMTP: offices get the chat digest only
    const channels = chooseChannels({ kind: "office", telegramChatId: o.chatId, email, wecomWebhook: o.wecomWebhook, dingtalkWebhook: o.dingtalkWebhook }, "digest");
    if (!channels.length) continue;
    const data = await digestFor(d.db, { id: o.id, level: o.level as OfficeRef["level"], name: o.name, chatId: o.chatId, email, streetId: o.streetId, language: o.language }, now, d.dashboardUrl);
    const messages: OutMessage[] = o.chatId || email ? d.renderer.digest(data).map((m, i) => ({ ...m, dedupeKey: `digest:${o.id}:${day}:${i}` })) : [];
    for (const p of channels) if (p === "wecom" || p === "dingtalk") messages.push(robotDigest(o, p, data, `digest:${o.id}:${day}:${p}`));
    sent += (await enqueue(d.db, messages)).length;
  }
  return sent;
}
