// A router for tests that do not exercise the rule files: the estate's default company and its
// first active liaison, fixed deadlines.
import type { Db } from "../../core/db/db.ts";
import type { Router } from "../../core/cases/routing-types.ts";

export function stubRouter(db: Db, opts: { responseMinutes?: number; resolutionMinutes?: number } = {}): Router {
  return {
    async route(f) {
      const estate = await db.estate.findUniqueOrThrow({ where: { code: f.estate } });
      const liaison = estate.companyId
        ? await db.liaison.findFirst({ where: { companyId: estate.companyId, active: true }, orderBy: { id: "asc" } })
        : null;
      const t = f.filedAt.getTime();
      return {
        routed: estate.companyId !== null,
        companyId: estate.companyId,
        liaisonId: liaison?.id ?? null,
        urgency: "normal",
        responseDueAt: new Date(t + (opts.responseMinutes ?? 120) * 60_000),
        resolutionDueAt: new Date(t + (opts.resolutionMinutes ?? 3 * 24 * 60) * 60_000),
        notifyOffice: false,
        rule: "stub",
        why: ["stub router: estate default company"],
      };
    },
  };
}
