// What the residents' web front door needs from the rest of the service (wired in app-context.ts;
// test/web/fixture.ts wires the same with fakes where Telegram would be).
import type { Categories, Locale } from "../../core/cases/categories.ts";
import type { CaseService } from "../../core/cases/case-service.ts";
import type { RevisitService } from "../../core/cases/revisit.ts";
import type { Understander } from "../../core/cases/understanding-types.ts";
import type { AttachmentStore } from "../../core/attachments/store.ts";
import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../core/db/db.ts";
import type { Logger } from "../../core/logger.ts";
import type { Tx } from "../../core/cases/case-types.ts";
import type { WorkCalendar } from "../../core/clocks/work-calendar.ts";

export interface FrontDoorDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  /** FRONTDOOR_SECRET: signs QR links, session cookies and CSRF tokens. */
  secret: string;
  cases: CaseService;
  revisit: Pick<RevisitService, "answerFixed" | "rate">;
  understander: Understander;
  categories: Categories;
  attachments: AttachmentStore;
  maxPhotoBytes: number;
  defaultLocale: Locale;
  timezone: string;
  secureCookies: boolean;
  /** Requests per minute per address on /r (pages and posts). */
  perAddressPerMinute?: number;
  /** Cases and additions per hour per resident. */
  perResidentPerHour?: number;
  /** Tells the liaison (or the street office) what a web resident added to a case, in the caller's transaction. */
  tellLiaison(tx: Tx, c: { id: number; number: string; liaisonId: number | null; streetId: number }, text: string | null, photos: number): Promise<void>;
  /** A liaison's message from the workspace (/w/) to a Telegram resident; false: no chat (a web resident reads it on the case page). */
  tellResident?(tx: Tx, c: { id: number; number: string; residentId: number | null; companyId: number | null }, text: string): Promise<boolean>;
  /** A workspace extension request: the office's chat is asked to decide (false: no chat; the dashboard's case page decides). */
  tellOfficeExtension?(tx: Tx, c: { id: number; number: string; streetId: number; resolutionDueAt: Date | null }, r: { id: number; liaison: { name: string; companyId: number }; reason: string; due: Date }): Promise<boolean>;
  /** The working-day calendar of the rules (the workspace's extension choices count on it). */
  calendar?: () => WorkCalendar | null;
  /** The bot's token: checks Mini App launch data (absent: /r/tg refuses). */
  botToken?: string;
  /** Wakes the outbox sender after a commit that queued messages. */
  wakeOutbox?: () => void;
}
