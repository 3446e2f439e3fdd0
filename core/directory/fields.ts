// What a directory entry may hold: one zod schema per kind, used by the services, the REST API (and
// its OpenAPI document) and the spreadsheet import, so the three validate alike and word errors alike.
import { z } from "zod";
import { LOCALES } from "../cases/categories.ts";

const noNul = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s);
export const code = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, "a code of 1–41 letters a–z, digits, - or _ (e.g. heping)");
export const name = z.string().trim().min(1, "must not be empty").max(100, "at most 100 characters").refine(noNul, "control characters are not allowed");
const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`).refine(noNul, "control characters are not allowed");
const optionalText = (max: number) => text(max).transform((s) => (s === "" ? null : s)).nullable().optional();
const day = z.iso
  .date("a date like 2026-01-31")
  .transform((s) => new Date(`${s}T00:00:00Z`))
  .nullable()
  .optional();

export const StreetInput = z.object({ code, name, active: z.boolean().optional() }).strict();

export const OFFICE_LEVELS = ["district", "street", "community", "owners"] as const;
export const OfficeInput = z
  .object({
    code,
    name,
    level: z.enum(OFFICE_LEVELS),
    street: code.nullable().optional().meta({ description: "street code (street, community and owners levels)" }),
    estates: z.array(code).max(500).optional().meta({ description: "estate codes a community or owners' committee watches" }),
    email: z.email("an e-mail address like office@example.org").max(200).nullable().optional(),
    language: z.enum(LOCALES, "one of zh-Hans, zh-Hant, en").optional().meta({ description: "language of the office group's messages (default zh-Hans)" }),
    active: z.boolean().optional(),
  })
  .strict();

export const CompanyInput = z
  .object({
    code,
    name,
    contact: optionalText(200),
    grade: optionalText(40).meta({ description: "资质等级 qualification grade" }),
    inviteCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,20}$/, "4–20 letters, digits or -")
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
    households: z.number().int("a whole number").min(0, "0 or more").max(100_000, "at most 100000"),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    company: code.nullable().optional().meta({ description: "managing company code" }),
    contractStart: day,
    contractEnd: day,
    inviteCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,20}$/, "4–20 letters, digits or -")
      .optional()
      .meta({ description: "residents register with it; made up when not given" }),
    active: z.boolean().optional(),
  })
  .strict();
export const EstateInput = EstateFields.refine((e) => !e.contractStart || !e.contractEnd || e.contractEnd >= e.contractStart, { path: ["contractEnd"], message: "ends before it starts" });

export const BuildingInput = z
  .object({
    estate: code,
    name: name.max(40, "at most 40 characters"),
    units: z.array(name.max(40, "at most 40 characters")).max(200, "at most 200 units").optional(),
  })
  .strict();

export const LiaisonInput = z.object({ code, name, company: code, active: z.boolean().optional() }).strict();

export type StreetIn = z.infer<typeof StreetInput>;
export type OfficeIn = z.infer<typeof OfficeInput>;
export type CompanyIn = z.infer<typeof CompanyInput>;
export type EstateIn = z.infer<typeof EstateInput>;
export type BuildingIn = z.infer<typeof BuildingInput>;
export type LiaisonIn = z.infer<typeof LiaisonInput>;
