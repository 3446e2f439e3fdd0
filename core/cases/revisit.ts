// The resident's answers to the revisit (回访): fixed → closed; not fixed → reopened to the same
// liaison with fresh deadlines, counted as a repeat complaint (lifecycle's reopen); a 1–5 rating kept for the figures.
import type { Actor, CaseService, CaseRow } from "./case-service.ts";
import type { Db } from "../db/db.ts";
import type { Clock } from "../clock.ts";

export class NotYourCase extends Error {}

export class RevisitService {
  constructor(private readonly d: { db: Db; cases: CaseService; clock: Clock }) {}

  private async own(caseId: number, residentId: number): Promise<CaseRow> {
    const c = await this.d.db.case.findUnique({ where: { id: caseId }, include: { estate: { include: { street: true } }, building: true, unit: true } });
    if (!c || c.residentId !== residentId) throw new NotYourCase(`case ${caseId} is not this resident's`);
    return c;
  }

  async answerFixed(caseId: number, residentId: number, fixed: boolean): Promise<CaseRow> {
    const c = await this.own(caseId, residentId);
    const actor = { type: "resident" as const, id: residentId };
    if (fixed) {
      return this.d.cases.apply(c.id, "confirmFixed", actor, { expect: ["resolved", "revisit"] });
    }
    // Reopened to the same liaison with fresh deadlines (lifecycle's reopen). The event (reopen, by
    // the resident) says it in the reader's language; no English note is stored.
    return this.d.cases.apply(c.id, "reopen", actor, { expect: ["resolved", "revisit"], data: { repeat: true } });
  }

  /** 1–5; kept on the case (latest answer wins) and in the event log; the liaison is told. */
  async rate(caseId: number, residentId: number, score: number): Promise<void> {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new RangeError("satisfaction is 1–5");
    await this.own(caseId, residentId);
    await this.d.db.$transaction(async (tx) => {
      const rated = await tx.case.update({ where: { id: caseId }, data: { satisfaction: score }, include: { estate: true, building: true, unit: true } });
      await this.d.cases.record(caseId, "satisfaction", { type: "resident", id: residentId }, undefined, { score }, tx);
      await this.d.cases.caseEvents(tx, [{ kind: "unsatisfied", caseId, at: this.d.clock.now(), actor: `resident:${residentId}`, satisfaction: score }]); // credit records and the like (core/credit/case-hooks.ts)
      await this.d.cases.notify(tx, { type: "rated", case: rated, score });
    });
  }
}
