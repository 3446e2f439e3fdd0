-- AlterTable
ALTER TABLE "Estate" ADD COLUMN     "latitude" DOUBLE PRECISION,
ADD COLUMN     "longitude" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "requestHash" TEXT;

-- CreateTable
CREATE TABLE "CaseReporter" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "phone" TEXT,
    "deviceId" TEXT,
    "accountId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseReporter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseMediaLink" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "contentType" TEXT,
    "bytes" INTEGER,
    "attachmentId" INTEGER,
    "lastError" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedAt" TIMESTAMP(3),

    CONSTRAINT "CaseMediaLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CaseReporter_caseId_key" ON "CaseReporter"("caseId");

-- CreateIndex
CREATE INDEX "CaseMediaLink_caseId_idx" ON "CaseMediaLink"("caseId");

-- CreateIndex
CREATE INDEX "CaseMediaLink_status_id_idx" ON "CaseMediaLink"("status", "id");

-- CreateIndex
CREATE INDEX "Case_channel_requestHash_createdAt_idx" ON "Case"("channel", "requestHash", "createdAt");

-- AddForeignKey
ALTER TABLE "CaseReporter" ADD CONSTRAINT "CaseReporter_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseMediaLink" ADD CONSTRAINT "CaseMediaLink_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

