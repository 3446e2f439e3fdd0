// The OpenAPI 3 document, generated from the same zod schemas that validate the requests.
import { OpenAPIRegistry, OpenApiGeneratorV3 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import * as S from "./schemas.ts";

export function openApiDocument(baseUrl: string) {
  const reg = new OpenAPIRegistry();
  const bearer = reg.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "API token from `npm run admin -- create-token`" });
  const security = [{ [bearer.name]: [] }];
  const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
  const errors = {
    400: json(S.ErrorBody, "invalid request (issues list the fields)"),
    401: json(S.ErrorBody, "no or bad token"),
    404: json(S.ErrorBody, "not found, or outside the caller's area"),
    429: { description: "rate limited" },
  };
  const idParam = z.object({ id: z.string().meta({ description: "case id or number (2026-000123)" }) });

  reg.registerPath({ method: "get", path: "/api/v1/cases", summary: "List cases (newest first, keyset pagination)", security, request: { query: S.CaseListQuery }, responses: { 200: json(S.CaseList, "a page of cases"), ...errors } });
  reg.registerPath({ method: "get", path: "/api/v1/cases.csv", summary: "Export the filtered case list as CSV", security, request: { query: S.CaseListQuery }, responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, ...errors } });
  reg.registerPath({
    method: "post",
    path: "/api/v1/cases",
    summary: "File a case from another channel (idempotent on Idempotency-Key)",
    security,
    request: { headers: z.object({ "idempotency-key": S.IdempotencyKey }), body: { content: { "application/json": { schema: S.CaseCreate } } } },
    responses: { 201: json(S.CaseDetail, "created"), 200: json(S.CaseDetail, "already filed with this key"), ...errors },
  });
  reg.registerPath({ method: "get", path: "/api/v1/cases/{id}", summary: "One case with its timeline, photos and extension requests", security, request: { params: idParam }, responses: { 200: json(S.CaseDetail, "the case"), ...errors } });
  reg.registerPath({
    method: "post",
    path: "/api/v1/cases/{id}/actions",
    summary: "Change the state through the case state machine",
    security,
    request: { params: idParam, body: { content: { "application/json": { schema: S.CaseActionBody } } } },
    responses: { 200: json(S.CaseDetail, "the case after the change"), 409: json(S.ErrorBody, "not allowed in the current state"), ...errors },
  });
  reg.registerPath({ method: "post", path: "/api/v1/cases/{id}/notes", summary: "Add an internal note", security, request: { params: idParam, body: { content: { "application/json": { schema: S.NoteBody } } } }, responses: { 201: json(S.CaseDetail, "noted"), ...errors } });
  reg.registerPath({
    method: "post",
    path: "/api/v1/cases/{id}/extensions/{ext}",
    summary: "Approve or deny an extension request",
    security,
    request: { params: idParam.extend({ ext: z.string() }), body: { content: { "application/json": { schema: S.ExtensionDecision } } } },
    responses: { 200: json(S.CaseDetail, "decided"), 409: json(S.ErrorBody, "already decided"), ...errors },
  });
  reg.registerPath({ method: "get", path: "/api/v1/figures", summary: "Response, resolution, satisfaction, repeat rates and overdue counts", security, request: { query: S.FiguresQuery }, responses: { 200: json(S.Figures, "figures"), ...errors } });
  reg.registerPath({ method: "get", path: "/api/v1/board", summary: "Estate classification (示范/达标/整改)", security, responses: { 200: json(z.object({ rows: z.array(S.BoardRowSchema) }), "board"), ...errors } });
  for (const [p, what] of [["estates", "Estates in the caller's area"], ["companies", "Property companies"], ["liaisons", "Company liaisons"]] as const)
    reg.registerPath({ method: "get", path: `/api/v1/${p}`, summary: what, security, responses: { 200: json(z.array(z.record(z.string(), z.unknown())), what), ...errors } });
  reg.registerPath({ method: "post", path: "/api/v1/rules/dry-run", summary: "Where would this case go, and why", security, request: { body: { content: { "application/json": { schema: S.DryRunBody } } } }, responses: { 200: json(z.record(z.string(), z.unknown()), "decision with the rule trace"), ...errors } });
  reg.registerPath({ method: "get", path: "/api/v1/rules/status", summary: "Active rule set and last reload result", security, responses: { 200: json(z.record(z.string(), z.unknown()), "status"), ...errors } });

  return new OpenApiGeneratorV3(reg.definitions).generateDocument({
    openapi: "3.0.3",
    info: { title: "Estate complaints front door API", version: "1", description: "Office REST API. Open311 GeoReport v2 lives under /open311/v2 (see README)." },
    servers: [{ url: baseUrl }],
  });
}
