-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "deadAt" TIMESTAMP(3),
ADD COLUMN     "fallbackFrom" JSONB,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'other',
ADD COLUMN     "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "OutboxMessage_deadAt_idx" ON "OutboxMessage"("deadAt");


-- Rows already queued age from when they were stored; refusals already stored are dead letters.
UPDATE "OutboxMessage" SET "queuedAt" = "createdAt", "deadAt" = CASE WHEN status = 'failed' THEN "createdAt" END;
