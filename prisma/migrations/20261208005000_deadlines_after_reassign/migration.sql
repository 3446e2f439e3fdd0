-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "firstCompanyId" INTEGER,
ADD COLUMN     "firstResponseDueAt" TIMESTAMP(3),
ADD COLUMN     "respondedAt" TIMESTAMP(3);


-- Cases accepted before this column existed: their holder's acceptance is the first one (a case
-- waiting for a response again, reopened or reassigned, owes a new one).
UPDATE "Case" SET "respondedAt" = "acceptedAt"
WHERE "acceptedAt" IS NOT NULL AND state NOT IN ('received', 'routed', 'unroutable', 'reopened');
