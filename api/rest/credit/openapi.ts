// The OpenAPI paths of /api/v1/credit (api/rest/credit/routes.ts), from the zod schemas that validate them.
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import * as S from "./schemas.ts";
import { ErrorBody } from "../schemas.ts";

export function registerCreditPaths(reg: OpenAPIRegistry, security: { [name: string]: string[] }[]) {
  const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
  const body = (schema: z.ZodType) => ({ body: { required: true, content: { "application/json": { schema } } } });
  const E = {
    400: json(ErrorBody, "invalid request (issues list the fields)"),
    401: json(ErrorBody, "no or bad token"),
    403: json(ErrorBody, "role not allowed (writes: admin or district; appeals: also street)"),
    404: json(ErrorBody, "not found, or outside the caller's area"),
    409: json(ErrorBody, "already under appeal, withdrawn, or already decided"),
    503: json(ErrorBody, "rules/credit.json not loaded"),
  };
  const id = { params: S.IdParam };
  reg.registerPath({ method: "get", path: "/api/v1/credit/companies", summary: "Every company's credit score and grade now (a street office: those in its street)", security, request: { query: S.AsOfQuery }, responses: { 200: json(S.CompanyCreditList, "scores"), ...E } });
  reg.registerPath({
    method: "get",
    path: "/api/v1/credit/companies/{code}",
    summary: "A company's credit file: score, grade, blacklist, cards and records (a street office: its street's records)",
    security,
    request: { params: S.CompanyCodeParam, query: S.AsOfQuery },
    responses: { 200: json(S.CompanyCredit, "the credit file"), ...E },
  });
  reg.registerPath({ method: "get", path: "/api/v1/credit/managers", summary: "Project managers with their estates (a street office: those who ran one of its estates)", security, responses: { 200: json(z.object({ managers: z.array(S.ManagerOut) }), "managers"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/credit/managers", summary: "Add a project manager (real name, certificate); audited", security, request: body(S.ManagerBody), responses: { 201: json(S.ManagerOut, "created"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/credit/managers/{id}", summary: "A project manager's credit file, across every company they worked for", security, request: { ...id, query: S.AsOfQuery }, responses: { 200: json(S.ManagerCredit, "the credit file"), ...E } });
  reg.registerPath({ method: "put", path: "/api/v1/credit/managers/{id}", summary: "Edit a project manager; audited", security, request: { ...id, ...body(S.ManagerBody) }, responses: { 200: json(S.ManagerOut, "saved"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/credit/managers/{id}/assignments", summary: "Put a manager on an estate from a date (ends the estate's previous manager's assignment there)", security, request: { ...id, ...body(S.AssignmentBody) }, responses: { 201: json(S.ManagerOut, "assigned"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/credit/records", summary: "An office-entered record: inspection violation, honour, 示范 estate, approved good practice", security, request: body(S.ManualRecordBody), responses: { 201: json(z.object({ id: z.number().int(), subject: z.string(), type: z.string(), validUntil: z.iso.datetime() }), "recorded"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/credit/appeals", summary: "Appeals (异议), open first", security, responses: { 200: json(S.AppealList, "appeals"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/credit/records/{id}/appeals", summary: "Appeal a record for its company: reason and evidence; the record is marked under appeal", security, request: { ...id, ...body(S.AppealBody) }, responses: { 201: json(S.AppealOut, "filed"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/credit/appeals/{id}/decision", summary: "Uphold or withdraw an appealed record, with a reason (admin or district); audited", security, request: { ...id, ...body(S.DecisionBody) }, responses: { 200: json(S.AppealOut, "decided"), ...E } });
}
