// The OpenAPI 3 document, generated from the same zod schemas that validate the requests.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { completeOperations } from "./openapi-complete.ts";
import { z } from "zod";
import * as S from "./schemas.ts";
import { registerDirectoryPaths } from "./directory-openapi.ts";
import { registerCampaignPaths } from "./campaign-openapi.ts";
import { registerCreditPaths } from "./credit/openapi.ts";

export function openApiDocument(baseUrl: string) {
  const reg = new OpenAPIRegistry();
  const bearer = reg.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "API token from `npm run admin -- create-token`" });
  const security = [{ [bearer.name]: [] }];
  const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
  const errors = {
    400: json(S.ErrorBody, "invalid request (issues list the fields)"),
    401: json(S.ErrorBody, "no or bad token"),
    404: json(S.ErrorBody, "not found, or outside the caller's area"),
    429: json(S.ErrorBody, "rate limited (API_RATE_LIMIT_PER_MIN per token, or per address without a valid one)"),
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
    responses: { 201: json(S.CaseDetail, "created"), 200: json(S.CaseDetail, "already filed with this key"), 422: json(S.ErrorBody, "the Idempotency-Key was used before with a different body"), ...errors },
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
  reg.registerPath({ method: "get", path: "/api/v1/figures", summary: "Response, resolution, satisfaction, repeat rates and overdue counts", security, request: { query: S.FiguresQuery }, responses: { 200: { description: "figures (format=csv: the same rows as CSV)", content: { "application/json": { schema: S.Figures }, "text/csv": { schema: z.string() } } }, ...errors } });
  reg.registerPath({ method: "get", path: "/api/v1/board", summary: "Estate board: each estate's latest stored classification (示范/达标/整改)", security, responses: { 200: json(z.object({ thresholds: S.Thresholds, rows: z.array(S.BoardRowSchema) }).meta({ id: "Board" }), "board"), ...errors } });
  reg.registerPath({ method: "get", path: "/api/v1/estates", summary: "Estates in the caller's area", security, responses: { 200: json(z.array(S.EstateRow), "estates"), ...errors } });
  reg.registerPath({ method: "get", path: "/api/v1/companies", summary: "Property companies working in the caller's area", security, responses: { 200: json(z.array(S.CompanyRow), "companies"), ...errors } });
  reg.registerPath({ method: "get", path: "/api/v1/liaisons", summary: "Liaisons of the companies in the caller's area", security, responses: { 200: json(z.array(S.LiaisonRow), "liaisons"), ...errors } });
  reg.registerPath({ method: "post", path: "/api/v1/rules/dry-run", summary: "Where would this case go, and why", security, request: { body: { content: { "application/json": { schema: S.DryRunBody } } } }, responses: { 200: json(S.DryRunResult, "decision with the rule trace"), ...errors } });
  reg.registerPath({ method: "get", path: "/api/v1/rules/status", summary: "Active rule set and last reload result", security, responses: { 200: json(S.RulesStatus, "status"), ...errors } });
  registerTokenAndSurveyPaths(reg, security);
  registerDirectoryPaths(reg, security);
  registerCampaignPaths(reg, security);
  registerCreditPaths(reg, security);

  return completeOperations(
    new OpenApiGeneratorV31(reg.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "Estate complaints front door API", version: "1", description: "Office REST API. Open311 GeoReport v2 lives under /open311/v2 (see README)." },
    servers: [{ url: baseUrl }],
  }),
  );
}

/** POST /api/v1/tokens (api/rest/v1.ts) and everything api/rest/surveys.ts serves under /api/v1. */
function registerTokenAndSurveyPaths(reg: OpenAPIRegistry, security: { [name: string]: string[] }[]) {
  const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
  const body = (schema: z.ZodType) => ({ body: { required: true, content: { "application/json": { schema } } } });
  const E = {
    400: json(S.ErrorBody, "invalid request (issues list the fields)"),
    401: json(S.ErrorBody, "no or bad token"),
    403: json(S.ErrorBody, "role not allowed, or a session write without X-CSRF-Token"),
    404: json(S.ErrorBody, "not found, or outside the caller's area"),
    409: json(S.ErrorBody, "conflict with the current state"),
    429: json(S.ErrorBody, "rate limited"),
  };
  type Code = keyof typeof E;
  /** 401 and 429 always; the others where the handler can answer them. */
  const errs = (...codes: Code[]) => Object.fromEntries(([401, 429, ...codes] as Code[]).map((c) => [c, E[c]]));
  const office = " (admin or district)";
  const surveyId = { params: S.SurveyIdParams };

  reg.registerPath({
    method: "post",
    path: "/api/v1/tokens",
    summary: "Mint an API token (admin); the plain token is shown once",
    security,
    request: body(S.TokenCreateBody),
    responses: { 201: json(S.TokenCreated, "created"), ...errs(400, 403) },
  });

  reg.registerPath({ method: "get", path: "/api/v1/surveys", summary: "List surveys (newest first)", security, responses: { 200: json(S.SurveyList, "surveys"), ...errs() } });
  reg.registerPath({
    method: "post",
    path: "/api/v1/surveys",
    summary: `Create a survey from a questionnaire${office}; a draft unless open is true`,
    security,
    request: body(S.SurveyCreateBody),
    responses: { 201: json(S.SurveyCreated, "created"), ...errs(400, 403), 409: json(S.ErrorBody, "a survey with this code exists") },
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/surveys/{id}",
    summary: "One survey: questions, pushes and progress (a street caller's progress counts its street)",
    security,
    request: surveyId,
    responses: { 200: json(S.SurveyDetail, "the survey"), ...errs(400, 404) },
  });
  reg.registerPath({
    method: "post",
    path: "/api/v1/surveys/{id}/push",
    summary: "Push now to the district, a street or an estate (a street office: its own street or estates only); opens a draft",
    security,
    request: { ...surveyId, ...body(S.SurveyPushBody) },
    responses: {
      201: json(S.SurveyPushed, "push created; recipients are asked in paced batches"),
      ...errs(400, 403),
      404: json(S.ErrorBody, "no such survey, street or estate"),
      409: json(S.ErrorBody, "the survey is closed"),
    },
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/surveys/{id}/progress",
    summary: "Recipients by status, for the whole survey or one push",
    security,
    request: { ...surveyId, query: S.SurveyProgressQuery },
    responses: { 200: json(S.SurveyProgress, "progress"), ...errs(400), 404: json(S.ErrorBody, "no such push of this survey") },
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/surveys/{id}/results",
    summary: "Aggregated answers per question, overall or per estate/street/company (small groups hidden)",
    security,
    request: { ...surveyId, query: S.SurveyResultsQuery },
    responses: { 200: json(S.SurveyResults, "results"), ...errs(400, 404) },
  });

  reg.registerPath({
    method: "get",
    path: "/api/v1/assessment",
    summary: "Assessment figures (response, resolution, timeliness, satisfaction, repeats) per company/estate/street/district",
    security,
    request: { query: S.AssessmentQuery },
    responses: { 200: json(S.Assessment, "assessment"), ...errs(400) },
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/credit",
    summary: "Yearly credit evaluation (年度综合评价) of every company",
    security,
    request: { query: S.CreditYearQuery },
    responses: { 200: json(S.CreditList, "evaluation"), ...errs(400) },
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/credit/{company}",
    summary: "One company's credit file: its deductions",
    security,
    request: { params: z.object({ company: z.string().meta({ description: "company code, e.g. huamei" }) }), query: S.CreditYearQuery },
    responses: { 200: json(S.CreditFile, "credit file"), ...errs(400, 404) },
  });
  reg.registerPath({
    method: "post",
    path: "/api/v1/credit/recompute",
    summary: `Add the deductions due since 1 January last year${office}`,
    security,
    responses: { 200: json(S.CreditRecomputed, "added"), ...errs(403) },
  });
  reg.registerPath({ method: "get", path: "/api/v1/classification", summary: "Latest classification (示范/达标/整改) of each estate in the caller's area", security, responses: { 200: json(S.ClassificationList, "classifications"), ...errs() } });
  reg.registerPath({
    method: "get",
    path: "/api/v1/classification/history/{estate}",
    summary: "An estate's stored classifications, newest first",
    security,
    request: { params: z.object({ estate: z.string().meta({ description: "estate code, e.g. heping" }) }) },
    responses: { 200: json(S.ClassificationHistory, "history"), ...errs(404) },
  });
  reg.registerPath({
    method: "post",
    path: "/api/v1/classification/recompute",
    summary: `Classify every estate for the current period now and store the result${office}`,
    security,
    responses: { 200: json(S.ClassificationRecomputed, "stored"), ...errs(403) },
  });
  reg.registerPath({
    method: "get",
    path: "/api/v1/early-warnings",
    summary: "Early warnings (预警): estates flagged in the last days and those spiking now",
    security,
    request: { query: S.EarlyWarningQuery },
    responses: { 200: json(S.EarlyWarnings, "warnings"), ...errs(400) },
  });
}
