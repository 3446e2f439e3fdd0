// What every operation of the OpenAPI document shares, added after generation so no path can miss
// it: an operationId and a tag (from the path), and the answers any route can give — 429 (the rate
// limiter), 500 (with the same error body), and on writes 403 (a session without X-CSRF-Token),
// 413 (body too large) and 415 (unsupported charset or encoding).
type Doc = { paths?: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> }; tags?: { name: string; description: string }[] };
type Operation = { operationId?: string; tags?: string[]; responses?: Record<string, unknown>; requestBody?: unknown };

const TAGS: [RegExp, string, string][] = [
  [/^\/api\/v1\/cases/, "cases", "Cases: list, export, file, read, act"],
  [/^\/api\/v1\/(figures|board)/, "figures", "Rates, overdue counts and the estate board"],
  [/^\/api\/v1\/(estates|companies|liaisons)/, "directory", "Estates, companies and liaisons in the caller's area"],
  [/^\/api\/v1\/rules/, "rules", "Routing rules: dry-run and status"],
  [/^\/api\/v1\/tokens/, "tokens", "API tokens"],
  [/^\/api\/v1\/surveys/, "surveys", "Satisfaction surveys"],
  [/^\/api\/v1\/campaigns/, "campaigns", "Rectification campaigns: ledger, problems, figures"],
  [/^\/api\/v1\/(assessment|credit|classification|early-warnings)/, "assessment", "Assessment, credit files, classification, early warning"],
];

const WORDS = (path: string) =>
  path
    .replace(/^\/api\/v1\//, "")
    .replace(/\.csv$/, "-csv")
    .split(/[/\-_.]+/)
    .filter(Boolean)
    .map((w) => (w.startsWith("{") ? `by-${w.slice(1, -1)}` : w));

/** get /api/v1/cases/{id}/actions → postCasesByIdActions */
export function operationIdOf(method: string, path: string): string {
  return [method, ...WORDS(path).flatMap((w) => w.split("-"))].map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join("");
}

export function completeOperations<T>(doc: T): T {
  const d = doc as Doc;
  const error = { $ref: "#/components/schemas/Error" };
  const json = (description: string) => ({ description, content: { "application/json": { schema: error } } });
  const used = new Set<string>();
  for (const [path, ops] of Object.entries(d.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      op.operationId ??= operationIdOf(method, path);
      op.tags ??= [TAGS.find(([re]) => re.test(path))?.[1] ?? "other"];
      used.add(op.tags[0]!);
      const r = (op.responses ??= {});
      r["429"] ??= json("rate limited");
      r["500"] ??= json("internal error (details only in the server log)");
      if (method !== "get") {
        r["403"] ??= json("a dashboard session's write without X-CSRF-Token, or a role not allowed");
        if (op.requestBody) {
          r["413"] ??= json("body too large");
          r["415"] ??= json("unsupported charset or content encoding");
          r["400"] ??= json("invalid request");
        }
      }
    }
  }
  d.tags = TAGS.filter(([, name]) => used.has(name)).map(([, name, description]) => ({ name, description }));
  return doc;
}
