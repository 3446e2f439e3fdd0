// The OpenAPI paths of /api/v1/campaigns (api/rest/campaigns.ts), from the zod schemas that
// validate the requests (campaign-schemas.ts).
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import * as S from "./campaign-schemas.ts";
import { ErrorBody } from "./schemas.ts";

export function registerCampaignPaths(reg: OpenAPIRegistry, security: { [name: string]: string[] }[]) {
  const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
  const body = (schema: z.ZodType) => ({ body: { required: true, content: { "application/json": { schema } } } });
  const E = {
    400: json(ErrorBody, "invalid request, or a field the directory does not know"),
    401: json(ErrorBody, "no or bad token"),
    403: json(ErrorBody, "a read-only role writing, or a session write without X-CSRF-Token"),
    404: json(ErrorBody, "not found, or outside the caller's area"),
  };
  const id = { params: z.object({ id: z.string().meta({ description: "campaign id" }) }) };
  const pid = { params: z.object({ id: z.string().meta({ description: "campaign id" }), pid: z.string().meta({ description: "problem id" }) }) };
  reg.registerPath({ method: "get", path: "/api/v1/campaigns", summary: "Campaigns the caller sees (a street: the district's and its own)", security, responses: { 200: json(z.array(S.CampaignOut), "campaigns"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/campaigns", summary: "Create a campaign (admin, district; a street for its estates)", security, request: body(S.CampaignCreate), responses: { 201: json(S.CampaignOut, "created"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/campaigns/{id}", summary: "One campaign", security, request: id, responses: { 200: json(S.CampaignOut, "the campaign"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/campaigns/{id}/problems", summary: "The ledger: problems in the caller's estates, by 序号, filtered", security, request: { ...id, query: S.ProblemQuery }, responses: { 200: json(z.object({ items: z.array(S.ProblemOut), nextAfter: z.number().int().nullable() }), "a page of problems"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/campaigns/{id}/problems", summary: "Register a problem", security, request: { ...id, ...body(S.ProblemCreate) }, responses: { 201: json(S.ProblemOut, "registered"), ...E } });
  reg.registerPath({
    method: "post",
    path: "/api/v1/campaigns/{id}/problems/{pid}/actions",
    summary: "Act on a problem: measure, progress, acceptance round, 回访 answer, 销号, 回头看, reopen",
    security,
    request: { ...pid, ...body(S.ProblemAction) },
    responses: { 200: json(S.ProblemOut, "the problem after the action"), 409: json(ErrorBody, "not possible in the problem's state (e.g. 销号 before the 回访), or changed meanwhile"), ...E },
  });
  reg.registerPath({ method: "get", path: "/api/v1/campaigns/{id}/figures", summary: "整改率 and 维修及时率 with their counts, optionally per estate, company or street", security, request: { ...id, query: S.FiguresQuery }, responses: { 200: json(S.Figures, "figures"), ...E } });
}
