// What the clocks tell people, as data. The bot renders it (bot/render/clock-renderer.ts) into outbox
// messages; core decides who, when and how often.
import type { OutMessage } from "../delivery/outbox.ts";

export type DeadlineKind = "response" | "resolution";

export interface CaseBrief {
  id: number;
  number: string;
  kind: string;
  category: string;
  urgency: string;
  estate: string;
  company: string | null;
  liaison: string | null;
  dueAt: Date | null;
  which: DeadlineKind;
  /** Minutes past the deadline (escalations) or left before it (reminders). */
  minutes: number;
}

export interface OfficeRef {
  id: number;
  level: "district" | "street" | "community" | "owners";
  name: string;
  chatId: bigint | null;
  email: string | null;
  /** The group's (and the digest e-mail's) language; absent: the default. */
  language?: string | null;
}

export interface DigestData {
  office: OfficeRef;
  since: Date;
  until: Date;
  newEscalations: { number: string; level: number; estate: string; company: string | null }[];
  newEscalationCount: number;
  stillOverdue: number;
  perCompany: { company: string; open: number; overdue: number; escalated: number }[];
  undeliverable: number;
  /** Residents registered without the invite code, and their cases held until the office decides. */
  awaitingApproval: { residents: number; cases: number };
  dashboardUrl: string;
}

export interface ClockRenderer {
  /** `locale`: the liaison's language (null: the default). */
  reminder(to: bigint, c: CaseBrief, locale?: string | null): OutMessage;
  escalationToOffice(office: OfficeRef, level: 1 | 2, cases: CaseBrief[], key: string): OutMessage[];
  escalationToLiaison(to: bigint, level: 1 | 2, cases: CaseBrief[], key: string, locale?: string | null): OutMessage[];
  revisitQuestion(to: bigint, locale: string, c: { id: number; number: string; note: string | null }, reminder: boolean): OutMessage;
  digest(d: DigestData): OutMessage[];
}
