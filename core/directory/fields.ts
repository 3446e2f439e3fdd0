// What a directory entry may hold: one zod schema per kind, used by the services, the REST API (and
// its OpenAPI document) and the spreadsheet import, so the three validate alike. Their messages are
// refusal codes (v_…), and issueRefusal turns any zod issue into one: the api and CLI word it.
import { z } from "zod";
import { LOCALES } from "../cases/categories.ts";
import type { Refusal } from "./audit.ts";

const noNul = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s);
export const code = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "v_code");
export const name = z.string().trim().min(1, "v_empty").max(100).refine(noNul, "v_control");
const text = (max: number) => z.string().trim().max(max).refine(noNul, "v_control");
const optionalText = (max: number) => text(max).transform((s) => (s === "" ? null : s)).nullable().optional();
const day = z.iso
  .date("v_date")
  .transform((s) => new Date(`${s}T00:00:00Z`))
  .nullable()
  .optional();

export const StreetInput = z.object({ code, name, active: z.boolean().optional() }).strict();

export const OFFICE_LEVELS = ["district", "street", "community", "owners"] as const;
export const OfficeInput = z
  .object({
    code,
    name,
    level: z.enum(OFFICE_LEVELS, "v_level"),
    street: code.nullable().optional().meta({ description: "street code (street, community and owners levels)" }),
    estates: z.array(code).max(500).optional().meta({ description: "estate codes a community or owners' committee watches" }),
    email: z.email("v_email").max(200).nullable().optional(),
    language: z.enum(LOCALES, "v_language").optional().meta({ description: "language of the office group's messages (default zh-Hans)" }),
    active: z.boolean().optional(),
  })
  .strict();

export const CompanyInput = z
  .object({
    code,
    name,
    contact: optionalText(200),
    grade: optionalText(40).meta({ description: "资质等级 qualification grade" }),
    qualificationCertNo: optionalText(60).meta({ description: "资质证书编号 qualification certificate number" }),
    qualificationExpiresOn: day.meta({ description: "资质证书有效期至 (YYYY-MM-DD)" }),
    inviteCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,20}$/, "v_invite_code")
      .optional()
      .meta({ description: "liaisons join with it; made up when not given" }),
    active: z.boolean().optional().meta({ description: "false: suspended" }),
  })
  .strict();

export const EstateFields = z
  .object({
    code,
    name,
    street: code,
    community: optionalText(100),
    address: optionalText(200),
    households: z.number("v_whole_number").int("v_whole_number").min(0).max(100_000),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    company: code.nullable().optional().meta({ description: "managing company code" }),
    contractStart: day,
    contractEnd: day,
    inviteCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,20}$/, "v_invite_code")
      .optional()
      .meta({ description: "residents register with it; made up when not given" }),
    active: z.boolean().optional(),
    projectManager: code.nullable().optional().meta({ description: "物业项目负责人: code of a liaison of the estate's company; the estate's cases go to them first" }),
    ownersCommittee: z.boolean().optional().meta({ description: "业委会 formed (the district's indicators)" }),
    ownersCommitteeTermEnd: day.meta({ description: "业委会 term ends (YYYY-MM-DD)" }),
    professionallyManaged: z.boolean().optional().meta({ description: "物业化: managed by a professional company" }),
    tendered: z.boolean().optional().meta({ description: "招投标: the company was chosen by tender" }),
    deliveredOn: day.meta({ description: "交付 date (YYYY-MM-DD): on or after indicators.newSince the estate is new" }),
  })
  .strict();
export const EstateInput = EstateFields.refine((e) => !e.contractStart || !e.contractEnd || e.contractEnd >= e.contractStart, { path: ["contractEnd"], message: "v_ends_before_start" });

export const BuildingInput = z
  .object({
    estate: code,
    name: name.max(40),
    units: z.array(name.max(40)).max(200).optional(),
  })
  .strict();

export const LiaisonInput = z
  .object({
    code,
    name,
    company: code,
    // A mainland mobile: signs in to the web workspace (/w/) and gets SMS notices without Telegram; null clears it.
    phone: z.string().trim().regex(/^1[3-9]\d{9}$/, "v_mobile").nullable().optional().meta({ description: "mainland mobile, 11 digits (web workspace sign-in, SMS without Telegram)" }),
    active: z.boolean().optional(),
  })
  .strict();

export type StreetIn = z.infer<typeof StreetInput>;
export type OfficeIn = z.infer<typeof OfficeInput>;
export type CompanyIn = z.infer<typeof CompanyInput>;
export type EstateIn = z.infer<typeof EstateInput>;
export type BuildingIn = z.infer<typeof BuildingInput>;
export type LiaisonIn = z.infer<typeof LiaisonInput>;

/** Any zod issue of these schemas as a refusal: our own codes (v_…) as they are, zod's own by kind. */
export function issueRefusal(i: z.core.$ZodIssue): Refusal {
  const field = i.path.length ? String(i.path[0]) : undefined;
  const at = field ? { field } : {};
  if (i.message.startsWith("v_")) return { reason: i.message, ...at };
  switch (i.code) {
    case "too_big":
      return { reason: i.origin === "array" ? "v_too_many" : i.origin === "string" ? "v_too_long" : "v_too_big", params: { max: Number(i.maximum) }, ...at };
    case "too_small":
      return { reason: i.origin === "string" ? "v_empty" : "v_too_small", params: { min: Number(i.minimum) }, ...at };
    case "invalid_type":
      return { reason: /received undefined/.test(i.message) ? "v_required" : "v_type", ...at };
    case "unrecognized_keys":
      return { reason: "v_unknown_fields", params: { keys: i.keys.join(", ") }, ...at };
    case "invalid_value":
      return { reason: "v_one_of", params: { values: i.values.map(String).join(", ") }, ...at };
    case "invalid_format":
      return { reason: "v_format", ...at };
    default:
      return { reason: "v_invalid", ...at };
  }
}
