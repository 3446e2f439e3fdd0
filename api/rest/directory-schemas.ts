// zod schemas of /api/v1/directory: request bodies are the directory's own inputs (core/directory/
// fields.ts) without the code (it is in the path); answers are plain named objects.
import { z } from "zod";
import { BuildingInput, CompanyInput, EstateFields, LiaisonInput, OfficeInput, StreetInput, code } from "../../core/directory/fields.ts";

export const CodeParam = z.object({ code });
export const StreetBody = StreetInput.omit({ code: true }).meta({ id: "DirectoryStreetBody" });
export const CompanyBody = CompanyInput.omit({ code: true }).meta({ id: "DirectoryCompanyBody" });
// The refinement (contract dates) runs again on the whole input in the handler.
export const EstateBody = EstateFields.omit({ code: true }).meta({ id: "DirectoryEstateBody" });
export const LiaisonBody = LiaisonInput.omit({ code: true }).meta({ id: "DirectoryLiaisonBody" });
export const OfficeBody = OfficeInput.omit({ code: true }).meta({ id: "DirectoryOfficeBody" });
export const OfficePatchBody = OfficeInput.pick({ name: true, level: true, street: true, estates: true, email: true, language: true })
  .partial()
  .strict()
  .meta({ id: "DirectoryOfficePatch", description: "the fields to change; a street office may change only its own office's name, language and e-mail" });
export const BuildingBody = z.object({ units: BuildingInput.shape.units }).strict().meta({ id: "DirectoryBuildingBody" });

export const MoveEstateBody = z
  .object({
    company: code,
    contractStart: z.iso.date().optional(),
    contractEnd: z.iso.date().optional(),
    openCases: z.enum(["stay", "move"]).meta({ description: "open cases stay with the old company, or move to the new one's liaison (office queue when it has none)" }),
  })
  .strict()
  .meta({ id: "DirectoryMoveEstate" });
export const DeactivateLiaisonBody = z
  .object({ to: z.string().max(41).optional().meta({ description: "another liaison's code of the same company, or \"queue\"; default: the company's longest-serving other active liaison, else the queue" }) })
  .strict()
  .meta({ id: "DirectoryDeactivateLiaison" });
export const DeactivateUnitBody = z.object({ unit: z.string().trim().min(1).max(40).optional() }).strict().meta({ id: "DirectoryDeactivateBuilding" });
export const RobotsBody = z
  .object({
    wecomWebhook: z.string().trim().max(500).nullable().optional().meta({ description: "WeCom group robot webhook, https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; null clears it; write-only (answers show it masked)" }),
    dingtalkWebhook: z.string().trim().max(500).nullable().optional().meta({ description: "DingTalk custom robot webhook, https://oapi.dingtalk.com/robot/send?access_token=…; null clears it (and the secret); write-only" }),
    dingtalkSecret: z.string().trim().max(200).nullable().optional().meta({ description: "the DingTalk robot's signing secret (加签, SEC…); write-only: never returned", writeOnly: true }),
  })
  .strict()
  .meta({ id: "DirectoryOfficeRobots" });
export const RobotTestBody = z.object({ provider: z.enum(["wecom", "dingtalk"]) }).strict().meta({ id: "DirectoryOfficeRobotTest" });
const RobotState = z.object({
  provider: z.enum(["wecom", "dingtalk"]),
  webhook: z.string().nullable().meta({ description: "the webhook with its key masked; null: not set up" }),
  signed: z.boolean().meta({ description: "DingTalk: a signing secret is stored" }),
  last: z.object({ status: z.string(), at: z.string(), error: z.string().nullable().meta({ description: "the provider's whole answer when refused" }) }).nullable(),
  failed: z.number().int().meta({ description: "dead letters of this robot" }),
});
export const RobotsAnswer = z.object({ code: z.string(), robots: z.array(RobotState) }).meta({ id: "DirectoryOfficeRobotsStatus" });
export const EmailBody = z.object({ email: z.email("v_email").max(200).nullable() }).strict().meta({ id: "DirectoryOfficeEmail" });
export const ImportQuery = z
  .object({
    dryRun: z.enum(["true", "false", "1", "0"]).optional(),
    filename: z.string().max(200).optional().meta({ description: "tells a CSV's kind (estates.csv, 小区.csv); default district.xlsx" }),
    expect: z.string().max(64).optional().meta({ description: "the dry run's fingerprint: import only when the changes are still the same" }),
    openCases: z.enum(["move", "stay"]).optional().meta({ description: "open cases of estates whose company changes: move to the new company or stay (required when there are any)" }),
  })
  .strict();

const Named = z.object({ code: z.string(), name: z.string() });
export const DirectoryEstate = z
  .object({
    code: z.string(),
    name: z.string(),
    street: Named,
    community: z.string().nullable(),
    address: z.string().nullable(),
    households: z.number().int(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    company: Named.nullable(),
    inviteCode: z.string(),
    active: z.boolean(),
  })
  .meta({ id: "DirectoryEstate" });
export const Problem = z
  .object({
    sheet: z.string(),
    row: z.number().int().nullable(),
    column: z.string().nullable(),
    reason: z.string().meta({ description: "refusal code, e.g. unknown_street, v_code, imp_twice" }),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    message: z.string().meta({ description: "the reason in words, in the Accept-Language (zh-Hans, zh-Hant, en)" }),
  })
  .meta({ id: "ImportProblem" });
const Count = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export const ImportResult = z
  .object({ ok: z.boolean(), dryRun: z.boolean(), problems: z.array(Problem), counts: z.record(z.string(), Count) })
  .meta({ id: "ImportResult" });
export const Moved = z.object({ moved: z.array(z.string()).meta({ description: "numbers of the cases handed on" }) }).meta({ id: "DirectoryMoved" });
export const BuildingName = z.string().trim().min(1).max(40).refine((s) => !/[\u0000-\u001f]/.test(s), "v_control");
export const AuditQuery = z
  .object({
    entity: z.enum(["street", "office", "company", "estate", "building", "unit", "liaison"]).optional(),
    key: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
