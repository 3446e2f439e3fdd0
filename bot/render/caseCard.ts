// The case card a liaison (or the street office) receives. Kept apart because the liaison issue
// adds its buttons (accept · ask · resolve · extend · transfer) here.
import type { CaseRow } from "../../core/cases/case-service.ts";
import type { Categories, Locale } from "../../core/cases/categories.ts";
import type { OutMessage } from "../../core/delivery/outbox.ts";
import type { Translate } from "../i18n.ts";
import { formatAddress, formatTime } from "./format.ts";

export interface CardInput {
  c: CaseRow;
  companyName?: string | null;
  photos: { fileId: string }[];
  /** A line above the card, e.g. why the office receives it. */
  header?: string;
  /** Only when the resident shared it at registration; never their Telegram account. */
  phone?: string | null;
  /** A "state: …" line (cards opened later from /cases; a new card is always "routed"). */
  state?: string;
}

export function renderCaseCard(t: Translate, categories: Categories, locale: Locale, timeZone: string, input: CardInput): string {
  const { c } = input;
  const none = t("case-no-due");
  const title = [t((c.reopenCount ?? 0) > 0 ? "card-title-reopened" : "card-new", { number: c.number }), c.urgency === "emergency" ? t("card-emergency") : null].filter(Boolean).join(" ");
  const lines = [
    input.header ?? null,
    title,
    t("card-body", {
      kind: t(`kind-${c.kind}`),
      category: categories.label(c.category, locale),
      address: formatAddress(c.estate, c.building, c.unit),
      description: c.description,
      response: formatTime(c.responseDueAt, timeZone) ?? none,
      resolution: formatTime(c.resolutionDueAt, timeZone) ?? none,
    }),
    input.state ? t("card-state", { state: t(`state-${input.state}`) }) : null,
    input.companyName ? t("card-company", { company: input.companyName }) : null,
    input.phone ? t("card-phone", { phone: input.phone }) : null,
    // The resident's own "urgent" mark; on an emergency the card says 🚨 already (often the bot's own finding).
    c.urgencyHint && c.urgency !== "emergency" ? t("card-urgent-hint") : null,
    c.latitude != null && c.longitude != null ? t("card-location", { lat: c.latitude.toFixed(5), lon: c.longitude.toFixed(5) }) : null,
    input.photos.length > 0 ? t("card-photos", { n: input.photos.length }) : null,
  ];
  return lines.filter((l): l is string => l !== null).join("\n");
}

/** Photos follow the card: one photo alone, several as one media group (Telegram allows 2–10). */
export function photoMessages(chatId: bigint | number, photos: { fileId: string }[], caseId: number, dedupeKey: string, caption?: string): OutMessage[] {
  if (photos.length === 0) return [];
  if (photos.length === 1) {
    return [{ chatId, method: "sendPhoto", payload: { photo: photos[0]!.fileId, ...(caption ? { caption } : {}) }, caseId, dedupeKey }];
  }
  const media = photos.slice(0, 10).map((p, i) => ({ type: "photo", media: p.fileId, ...(i === 0 && caption ? { caption } : {}) }));
  return [{ chatId, method: "sendMediaGroup", payload: { media }, caseId, dedupeKey }];
}
