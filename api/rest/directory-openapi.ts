// The OpenAPI paths of /api/v1/directory (api/rest/directory.ts), registered the way openapi.ts
// registers the rest, from the same zod schemas that validate the requests.
import type { OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import * as S from "./directory-schemas.ts";
import { ErrorBody } from "./schemas.ts";

export function registerDirectoryPaths(reg: OpenAPIRegistry, security: { [name: string]: string[] }[]) {
  const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
  const body = (schema: z.ZodType) => ({ body: { required: true, content: { "application/json": { schema } } } });
  const E = {
    400: json(ErrorBody, "invalid request (issues list the fields)"),
    401: json(ErrorBody, "no or bad token"),
    403: json(ErrorBody, "role not allowed, outside the caller's area, or a session write without X-CSRF-Token"),
    404: json(ErrorBody, "not found, or outside the caller's area"),
    409: json(ErrorBody, "conflicts with the directory (e.g. still referenced)"),
    429: { description: "rate limited" },
  };
  const code = { params: S.CodeParam };
  const building = { params: S.CodeParam.extend({ name: z.string().meta({ description: "building name, e.g. 1号楼" }) }) };
  const any = (d: string) => json(z.record(z.string(), z.unknown()), d);
  const list = (d: string) => json(z.array(z.record(z.string(), z.unknown())), d);
  const put = (path: string, what: string, schema: z.ZodType, who: string) =>
    reg.registerPath({ method: "put", path, summary: `Create or update ${what} by code (${who}); audited`, security, request: { ...code, ...body(schema) }, responses: { 200: any("updated or unchanged"), 201: any("created"), ...E } });
  const district = "admin or district";

  reg.registerPath({ method: "get", path: "/api/v1/directory/streets", summary: "Streets (a street office: its own)", security, responses: { 200: list("streets"), ...E } });
  put("/api/v1/directory/streets/{code}", "a street", S.StreetBody, district);
  reg.registerPath({ method: "post", path: "/api/v1/directory/streets/{code}/deactivate", summary: "Deactivate a street without active estates", security, request: code, responses: { 200: any("deactivated"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/streets/{code}/reactivate", summary: "Reactivate a deactivated street", security, request: code, responses: { 200: any("reactivated"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/companies/{code}/suspend", summary: "Suspend a company (admin, district); audited", security, request: code, responses: { 200: any("suspended"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/companies/{code}/reactivate", summary: "Reactivate a suspended company (admin, district); audited", security, request: code, responses: { 200: any("reactivated"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/directory/companies", summary: "Property companies (invite codes for admin and district)", security, responses: { 200: list("companies"), ...E } });
  put("/api/v1/directory/companies/{code}", "a property company (active false: suspended)", S.CompanyBody, district);
  reg.registerPath({ method: "get", path: "/api/v1/directory/estates", summary: "Estates in the caller's area", security, responses: { 200: json(z.array(S.DirectoryEstate), "estates"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/directory/estates/{code}", summary: "One estate with its buildings, units and management history", security, request: code, responses: { 200: any("the estate"), ...E } });
  put("/api/v1/directory/estates/{code}", "an estate (its company changes through /move)", S.EstateBody, "admin, district, or the estate's street office");
  reg.registerPath({ method: "post", path: "/api/v1/directory/estates/{code}/move", summary: "Move an estate to another company; its open cases stay or move", security, request: { ...code, ...body(S.MoveEstateBody) }, responses: { 200: any("moved; `moved` lists the cases handed on"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/estates/{code}/deactivate", summary: "Deactivate an estate without open cases", security, request: code, responses: { 200: json(S.DirectoryEstate, "deactivated"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/estates/{code}/reactivate", summary: "Reactivate a deactivated estate (a street office: in its street)", security, request: code, responses: { 200: json(S.DirectoryEstate, "reactivated"), ...E } });
  reg.registerPath({ method: "put", path: "/api/v1/directory/estates/{code}/buildings/{name}", summary: "Add a building and its units (or units to a building)", security, request: { ...building, ...body(S.BuildingBody) }, responses: { 200: any("updated"), 201: any("created"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/estates/{code}/buildings/{name}/deactivate", summary: "Deactivate a building, or one of its units; residents keep their address", security, request: { ...building, body: { content: { "application/json": { schema: S.DeactivateUnitBody } } } }, responses: { 200: any("residentsKept"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/directory/liaisons", summary: "Liaisons with their open cases", security, responses: { 200: list("liaisons"), ...E } });
  put("/api/v1/directory/liaisons/{code}", "a liaison", S.LiaisonBody, district);
  reg.registerPath({ method: "post", path: "/api/v1/directory/liaisons/{code}/deactivate", summary: "Deactivate a liaison; its open cases go to another liaison of the company or the office queue", security, request: { ...code, body: { content: { "application/json": { schema: S.DeactivateLiaisonBody } } } }, responses: { 200: json(S.Moved, "deactivated"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/liaisons/{code}/reactivate", summary: "Reactivate a deactivated liaison (not while the company is suspended)", security, request: code, responses: { 200: any("reactivated"), ...E } });
  reg.registerPath({ method: "patch", path: "/api/v1/directory/offices/{code}", summary: "Edit an office: name, level, street, estates, e-mail, language (a street office: its own office's name, language, e-mail); audited before/after", security, request: { ...code, ...body(S.OfficePatchBody) }, responses: { 200: any("saved"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/directory/offices", summary: "Offices with their group link and delivery status", security, responses: { 200: list("offices"), ...E } });
  put("/api/v1/directory/offices/{code}", "an office (district, street, community or owners' committee)", S.OfficeBody, district);
  reg.registerPath({ method: "post", path: "/api/v1/directory/offices/{code}/email", summary: "Set the digest e-mail of an office (a street office: its own)", security, request: { ...code, ...body(S.EmailBody) }, responses: { 200: any("saved"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/directory/offices/{code}/robots", summary: "The office's WeCom / DingTalk robots: set up (key masked)? last message, refusals", security, request: code, responses: { 200: json(S.RobotsAnswer, "robots"), ...E } });
  reg.registerPath({ method: "put", path: "/api/v1/directory/offices/{code}/robots", summary: "Set or clear the office's WeCom group robot and DingTalk custom robot (https on the provider's host; secrets write-only); audited with keys masked", security, request: { ...code, ...body(S.RobotsBody) }, responses: { 200: json(S.RobotsAnswer, "saved"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/offices/{code}/robots/test", summary: "Queue a test message to one of the office's robots", security, request: { ...code, ...body(S.RobotTestBody) }, responses: { 200: any("queued: the outbox sends it within the robot's limit"), ...E } });
  reg.registerPath({ method: "post", path: "/api/v1/directory/offices/{code}/link-code", summary: "A new group link code (/office <code> in the office's Telegram group)", security, request: code, responses: { 200: any("the new code"), ...E } });
  reg.registerPath({ method: "get", path: "/api/v1/directory/audit", summary: "The directory's change log (newest first)", security, request: { query: S.AuditQuery }, responses: { 200: list("who, when, before, after"), ...E } });
  reg.registerPath({
    method: "post",
    path: "/api/v1/directory/import",
    summary: "Import a district workbook (.xlsx, one sheet per kind) or one CSV; all rows or none (admin or district)",
    security,
    request: {
      query: S.ImportQuery,
      body: { required: true, content: { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string().meta({ format: "binary" }) }, "text/csv": { schema: z.string() } } },
    },
    responses: { 200: json(S.ImportResult, "imported (or, with dryRun, what would be)"), 422: json(S.ImportResult, "bad rows; nothing written"), ...E },
  });
}
