// Shared set-up for the survey tests: a SurveyService on a test DB with a text renderer, residents
// in the demo estates, and a scripted transport for the real OutboxSender.
import { DeliveryError, type OutMethod, type Transport } from "../../core/delivery/outbox.ts";
import type { SurveyRenderer } from "../../core/surveys/survey-notices.ts";
import type { SurveySettings } from "../../core/surveys/survey-settings.ts";
import { loadSurveySettings } from "../../core/surveys/survey-settings.ts";
import type { Db } from "../../core/db/db.ts";

export const textSurveyRenderer: SurveyRenderer = {
  question: (to, locale, v, mode) => ({
    chatId: to,
    payload: { text: `[${mode}] ${v.survey.code} ${v.index + 1}/${v.total} ${v.question.id} (${locale})`, recipient: v.recipientId, index: v.index },
  }),
  thanks: (to, _l, s) => ({ chatId: to, payload: { text: `thanks ${s.code}` } }),
};

export function settingsWith(window: number): () => SurveySettings {
  const s = loadSurveySettings("rules");
  const out = { ...s, pacing: { window, budgetSeconds: 5 } };
  return () => out;
}

/** Verified residents with chat ids 5000 + n, in the estate with this code. */
export async function residents(db: Db, estateCode: string, n: number, from: number, extra: { status?: "pending" | "verified"; blockedAt?: Date } = {}) {
  const e = await db.estate.findUniqueOrThrow({ where: { code: estateCode } });
  await db.resident.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      telegramUserId: BigInt(from + i),
      chatId: BigInt(from + i),
      name: `r${from + i}`,
      status: extra.status ?? "verified",
      estateId: e.id,
      blockedAt: extra.blockedAt ?? null,
    })),
  });
  return db.resident.findMany({ where: { telegramUserId: { gte: BigInt(from), lt: BigInt(from + n) } }, orderBy: { id: "asc" } });
}

export class ScriptedTransport implements Transport {
  delivered: { chatId: bigint; text: string }[] = [];
  blocked = new Set<bigint>();
  async deliver(chatId: bigint, _m: OutMethod, payload: Record<string, unknown>) {
    if (this.blocked.has(chatId)) throw new DeliveryError("undeliverable", "403 Forbidden: bot was blocked by the user");
    this.delivered.push({ chatId, text: String(payload.text) });
    return { messageId: this.delivered.length };
  }
}

export interface CaseSpec {
  estate: string;
  created: string;
  kind?: "complaint" | "repair" | "suggestion";
  state?: "received" | "routed" | "accepted" | "resolved" | "closed";
  respDue?: string;
  accepted?: string;
  resDue?: string;
  resolved?: string;
  reopen?: number;
  sat?: number;
  esc?: number;
}

let caseNo = 0;
/** Inserts cases as stored after their history (the figures only read the columns). */
export async function cases(db: Db, specs: CaseSpec[]) {
  const estates = new Map((await db.estate.findMany()).map((e) => [e.code, e]));
  const d = (s?: string) => (s ? new Date(s) : null);
  await db.case.createMany({
    data: specs.map((c) => {
      const e = estates.get(c.estate)!;
      return {
        number: `T-${++caseNo}`,
        kind: c.kind ?? "complaint",
        category: "noise",
        description: "fixture",
        state: c.state ?? "closed",
        streetId: e.streetId,
        estateId: e.id,
        companyId: e.companyId,
        createdAt: new Date(c.created),
        responseDueAt: d(c.respDue),
        acceptedAt: d(c.accepted),
        resolutionDueAt: d(c.resDue),
        resolvedAt: d(c.resolved),
        closedAt: c.state === undefined || c.state === "closed" ? d(c.resolved ?? c.created) : null,
        reopenCount: c.reopen ?? 0,
        satisfaction: c.sat ?? null,
        escalationLevel: c.esc ?? 0,
        escalatedAt: c.esc ? d(c.respDue) : null,
      };
    }),
  });
}
