// Open311 service requests: the POST and GET parameters as GeoReport v2 defines them (unknown
// parameters are ignored, as the spec's clients expect), filing with duplicate detection, and a case
// written as a GeoReport request.
import crypto from "node:crypto";
import { z } from "zod";
import { INTAKE_LIMITS } from "../../../core/cases/intake.ts";
import type { Prisma } from "../../../core/db/generated/prisma/client.ts";
import { caseListInclude, lateness } from "../../../core/cases/case-query.ts";
import type { Categories, Locale } from "../../../core/cases/categories.ts";
import { translator } from "../../i18n/i18n.ts";

const SERVICE_CODE = /^(complaint|repair|suggestion)\.[a-z][a-z0-9_]{0,30}$/;
const REQUEST_ID = /^\d{4}-\d{6}$/;
/** W3C date/time as GeoReport uses (2010-01-01T00:00:00Z, with offset, or a plain date). */
const w3cDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));
const text = (max: number) => z.string().max(max, `at most ${max} characters`);
/** An empty form field (lat=&long=) is absent, not 0. */
const blankIsAbsent = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const coordinate = (min: number, max: number) => z.preprocess(blankIsAbsent, z.coerce.number().finite().min(min).max(max).optional());
const optionalText = (max: number) => z.preprocess(blankIsAbsent, text(max).optional());
const commaList = <T extends z.ZodType<unknown, string>>(item: T, what: string) =>
  z
    .string()
    .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).min(1, `at least one ${what}`).max(200, `at most 200 of ${what}`));

export const PostParams = z.object({
  api_key: z.string().optional(),
  jurisdiction_id: z.string().optional(),
  service_code: z.string().regex(SERVICE_CODE, "a service_code from services.xml, like repair.water"),
  description: z.string().trim().min(1, "description is required").max(INTAKE_LIMITS.maxDescription, `at most ${INTAKE_LIMITS.maxDescription} characters`),
  lat: coordinate(-90, 90),
  long: coordinate(-180, 180),
  address_string: optionalText(500),
  address_id: z.preprocess(blankIsAbsent, z.string().regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "an estate code").optional()),
  email: z.preprocess(blankIsAbsent, z.email("not an e-mail address").max(254).optional()),
  device_id: optionalText(200),
  account_id: optionalText(200),
  first_name: optionalText(100),
  last_name: optionalText(100),
  phone: optionalText(50),
  media_url: z.preprocess(blankIsAbsent, z.url({ protocol: /^https?$/, error: "media_url must be an http(s) URL" }).max(2000).optional()),
  attribute: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
}).refine((p) => (p.lat === undefined) === (p.long === undefined), { message: "lat and long go together", path: ["lat"] });
export type PostParams = z.infer<typeof PostParams>;

/** Forms carry attribute[code]=value as flat keys; JSON may nest them. */
export function withAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const attribute: Record<string, unknown> = typeof body.attribute === "object" && body.attribute !== null ? { ...(body.attribute as object) } : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([^\]]{1,60})\](\[\])?$/.exec(k);
    if (m) attribute[m[1]!] = v;
    else if (k !== "attribute") out[k] = v;
  }
  return { ...out, attribute };
}

export const ListParams = z.object({
  api_key: z.string().optional(),
  jurisdiction_id: z.string().optional(),
  service_request_id: commaList(z.string().regex(REQUEST_ID, "a service_request_id like 2026-000123"), "service_request_id").optional(),
  service_code: commaList(z.string().regex(SERVICE_CODE, "a service_code like repair.water"), "service_code").optional(),
  start_date: w3cDate.optional(),
  end_date: w3cDate.optional(),
  status: commaList(z.enum(["open", "closed"], "status is open or closed"), "status").optional(),
  page_size: z.coerce.number().int().min(1).max(1000).optional(),
  lang: z.string().optional(),
}).refine((q) => !q.start_date || !q.end_date || q.start_date <= q.end_date, { message: "start_date is after end_date", path: ["start_date"] });

/** Same client, same content: the fingerprint a duplicate shares. */
export function fingerprint(actorId: string, p: PostParams, estateId: number): string {
  const same = [actorId, p.service_code, estateId, p.description, p.email ?? "", p.device_id ?? "", p.account_id ?? "", p.phone ?? "", p.media_url ?? ""];
  return crypto.createHash("sha256").update(JSON.stringify(same)).digest("hex");
}

const OPEN_STATES = ["received", "routed", "unroutable", "accepted", "resolved", "revisit", "reopened", "awaiting_approval"] as const;

/** `area`: a keyed caller's (core/access caseWhereOf); without a key, the whole district. */
export function listWhere(q: z.infer<typeof ListParams>, area: Prisma.CaseWhereInput, now: Date): Prisma.CaseWhereInput {
  const and: Prisma.CaseWhereInput[] = [area];
  if (q.service_request_id) return { AND: [...and, { number: { in: q.service_request_id } }] };
  if (q.service_code) and.push({ OR: q.service_code.map((s) => ({ kind: s.split(".")[0] as "repair", category: s.split(".")[1]! })) });
  if (q.status && q.status.length === 1) and.push(q.status[0] === "closed" ? { state: "closed" } : { state: { in: [...OPEN_STATES] } });
  // GeoReport's default window: the last 90 days.
  const from = q.start_date ?? (q.end_date ? new Date(q.end_date.getTime() - 90 * 86_400_000) : new Date(now.getTime() - 90 * 86_400_000));
  and.push({ createdAt: { gte: from, ...(q.end_date ? { lte: q.end_date } : {}) } });
  return { AND: and };
}

export const requestInclude = {
  ...caseListInclude,
  estate: { select: { code: true, name: true, latitude: true, longitude: true } },
  mediaLinks: { orderBy: { id: "asc" as const }, take: 1 },
} satisfies Prisma.CaseInclude;
export type RequestRow = Prisma.CaseGetPayload<{ include: typeof requestInclude }>;

export function toServiceRequest(c: RequestRow, categories: Categories, locale: Locale, now: Date) {
  const t = translator(locale);
  const late = lateness(c, now);
  return {
    service_request_id: c.number,
    status: c.state === "closed" ? "closed" : "open",
    status_notes: `${c.state}${late ? ` (overdue: ${late.missed})` : ""}`,
    service_name: `${t(`kind_${c.kind}`)} · ${categories.label(c.category, locale)}`,
    service_code: `${c.kind}.${c.category}`,
    description: c.description,
    agency_responsible: c.company?.name ?? c.street.name,
    service_notice: null,
    requested_datetime: c.createdAt.toISOString(),
    updated_datetime: c.updatedAt.toISOString(),
    expected_datetime: c.resolutionDueAt?.toISOString() ?? null,
    address: `${c.street.name} ${c.estate.name}`,
    address_id: c.estate.code,
    zipcode: null,
    // Where the reporter was, or else the estate's centre: a map client needs a point.
    lat: c.latitude ?? c.estate.latitude,
    long: c.longitude ?? c.estate.longitude,
    media_url: c.mediaLinks[0]?.url ?? null,
  };
}
