// The one intake: what every channel (bot, web form, Mini App, Open311, REST) hands in to file a
// case, and the decisions taken once for all of them — who may file, one set of limits, the kind a
// category allows, emergency from the understanding, the idempotency key — before the case service
// files it with its photos in one transaction. The channels only translate their input into an
// IntakeRequest and a refusal into their own words.
import type { CaseKind } from "../db/generated/prisma/enums.ts";
import type { CasePhoto } from "../attachments/case-photos.ts";
import type { Categories, Locale } from "./categories.ts";
import type { Understander } from "./understanding-types.ts";
import type { Actor, CaseRow, CaseService } from "./case-service.ts";

/** One set of limits for every channel: a description fits a Telegram message with its card around it; six photos. */
export const INTAKE_LIMITS = { maxDescription: 2000, maxPhotos: 6 } as const;

export type Channel = "telegram" | "web" | "miniapp" | "open311" | "api";

/** The filing resident as the intake needs them (none for Open311 and REST, filed by an office or a client). */
export interface IntakeResident {
  id: number;
  status: "pending" | "verified" | "rejected";
  estateId: number | null;
  buildingId: number | null;
  unitId: number | null;
}

export interface IntakeRequest {
  channel: Channel;
  /** The channel's own id of this filing (draft id, form token, Idempotency-Key, request fingerprint). */
  key: string;
  /** Hash of the request under the key (a reused key with another body is told apart from a retry). */
  requestHash?: string | null;
  resident?: IntakeResident | null;
  /** Where, when no resident's address says it (Open311, REST). */
  place?: { estateId: number; buildingId?: number | null; unitId?: number | null };
  category: string;
  /** The kind asked for; the category's first kind when absent or not offered for it (web), refused when `strictKind`. */
  kind?: CaseKind;
  strictKind?: boolean;
  description: string;
  /** The resident (or client) said it is urgent. */
  urgent?: boolean;
  /** The language the description is read in for emergencies. */
  locale?: Locale;
  /** The channel already read the description with the understanding (the bot's proposal): its `urgent` stands. */
  understood?: boolean;
  latitude?: number | null;
  longitude?: number | null;
  photos?: CasePhoto[];
  actor: Actor;
}

export type IntakeRefusal =
  | { code: "not_registered" }
  | { code: "pending" }
  | { code: "rejected" }
  | { code: "empty" }
  | { code: "too_long"; length: number; max: number }
  | { code: "too_many_photos"; count: number; max: number }
  | { code: "unknown_category"; category: string }
  | { code: "kind_not_offered"; kind: CaseKind; category: string };

export type IntakeResult = { ok: true; case: CaseRow; created: boolean } | { ok: false; refusal: IntakeRefusal };

export interface IntakeDeps {
  cases: CaseService;
  categories: Categories;
  /** Reads emergencies from the description; none: only the resident's own "urgent" counts. */
  understander?: Understander | null;
}

/** Characters as a person counts them (an emoji is one). */
export const charCount = (s: string): number => [...s].length;

/**
 * Who may file on which channel. The bot files only for verified residents (a pending one is told
 * to wait); the web form and the Mini App file for a pending resident too, and the case service holds
 * the case until the office approves them. A rejected resident files nowhere.
 */
export function eligibility(channel: Channel, r: IntakeResident | null | undefined): IntakeRefusal | null {
  if (channel === "open311" || channel === "api") return null;
  if (!r || r.estateId === null) return { code: "not_registered" };
  if (r.status === "rejected") return { code: "rejected" };
  if (r.status === "pending" && channel === "telegram") return { code: "pending" };
  return null;
}

/** A description (with the photos it comes with) within the limits, or why not. */
export function descriptionRefusal(text: string, photoCount = 0): IntakeRefusal | null {
  const length = charCount(text);
  if (length > INTAKE_LIMITS.maxDescription) return { code: "too_long", length, max: INTAKE_LIMITS.maxDescription };
  if (text.trim() === "" && photoCount === 0) return { code: "empty" };
  if (photoCount > INTAKE_LIMITS.maxPhotos) return { code: "too_many_photos", count: photoCount, max: INTAKE_LIMITS.maxPhotos };
  return null;
}

/** The idempotency key of a filing: the same filing twice gives the same case, per channel and filer. */
export function sourceKeyOf(r: Pick<IntakeRequest, "channel" | "key" | "resident">): string {
  switch (r.channel) {
    case "telegram":
      return `tg:draft:${r.key}`;
    case "web":
    case "miniapp":
      return `web:${r.resident?.id ?? "-"}:${r.key}`;
    case "api":
      return `api:${r.key}`;
    case "open311":
      return `open311:${r.key}`;
  }
}

/** Emergency from the understanding rules, or the resident's own word. */
export function urgentOf(deps: Pick<IntakeDeps, "understander">, text: string, said: boolean, locale?: Locale): boolean {
  return said || (text.trim() !== "" && (deps.understander?.understand(text, locale).emergency ?? false));
}

/** Decides and files. A refusal stores nothing; a filing commits the case and its photos together. */
export async function fileIntake(deps: IntakeDeps, r: IntakeRequest): Promise<IntakeResult> {
  const refused = eligibility(r.channel, r.resident) ?? descriptionRefusal(r.description, r.photos?.length ?? 0);
  if (refused) return { ok: false, refusal: refused };
  const category = deps.categories.get(r.category);
  if (!category) return { ok: false, refusal: { code: "unknown_category", category: r.category } };
  const offered = r.kind !== undefined && category.kinds.includes(r.kind);
  if (r.strictKind && !offered) return { ok: false, refusal: { code: "kind_not_offered", kind: r.kind!, category: r.category } };
  const kind = offered ? r.kind! : (category.kinds[0] as CaseKind);
  const place = r.resident ? { estateId: r.resident.estateId!, buildingId: r.resident.buildingId, unitId: r.resident.unitId } : r.place!;
  const { case: c, created } = await deps.cases.file({
    sourceKey: sourceKeyOf(r),
    requestHash: r.requestHash ?? null,
    channel: r.channel === "miniapp" ? "web" : r.channel,
    residentId: r.resident?.id ?? null,
    kind,
    category: category.code,
    description: r.description,
    urgencyHint: r.understood ? (r.urgent ?? false) : urgentOf(deps, r.description, r.urgent ?? false, r.locale),
    estateId: place.estateId,
    buildingId: place.buildingId ?? null,
    unitId: place.unitId ?? null,
    latitude: r.latitude ?? null,
    longitude: r.longitude ?? null,
    photos: r.photos ?? [],
    actor: r.actor,
  });
  return { ok: true, case: c, created };
}
