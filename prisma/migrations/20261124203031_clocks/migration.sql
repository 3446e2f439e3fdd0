-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "escalatedAt" TIMESTAMP(3),
ADD COLUMN     "revisitAskedAt" TIMESTAMP(3),
ADD COLUMN     "revisitRemindedAt" TIMESTAMP(3);


-- Escalation and reminder sweeps scan only open cases: partial indexes keep the sweep's cost
-- proportional to the open (and overdue) cases, not to the whole history (bench/sweep).
-- Prisma's schema language cannot express partial indexes; they live here only.
CREATE INDEX "Case_open_resolution_due_idx" ON "Case" ("resolutionDueAt")
  WHERE state IN ('received', 'routed', 'unroutable', 'accepted', 'reopened') AND "escalationLevel" < 2;
CREATE INDEX "Case_open_response_due_idx" ON "Case" ("responseDueAt")
  WHERE state IN ('received', 'routed', 'unroutable', 'reopened') AND "escalationLevel" < 2;
CREATE INDEX "Case_revisit_idx" ON "Case" ("resolvedAt") WHERE state IN ('resolved', 'revisit');
