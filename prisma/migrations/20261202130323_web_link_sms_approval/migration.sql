-- AlterEnum
ALTER TYPE "CaseState" ADD VALUE 'awaiting_approval';

-- AlterTable
ALTER TABLE "Resident" ADD COLUMN     "smsConsentAt" TIMESTAMP(3);
-- Consent given before its time was kept: the registration time is the best record there is.
UPDATE "Resident" SET "smsConsentAt" = "createdAt" WHERE "smsConsent";

-- CreateTable
CREATE TABLE "ResidentLinkCode" (
    "code" TEXT NOT NULL,
    "residentId" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResidentLinkCode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "MiniAppLaunch" (
    "hash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MiniAppLaunch_pkey" PRIMARY KEY ("hash")
);

-- CreateIndex
CREATE INDEX "ResidentLinkCode_residentId_idx" ON "ResidentLinkCode"("residentId");

-- CreateIndex
CREATE INDEX "ResidentLinkCode_expiresAt_idx" ON "ResidentLinkCode"("expiresAt");

-- CreateIndex
CREATE INDEX "MiniAppLaunch_expiresAt_idx" ON "MiniAppLaunch"("expiresAt");

-- AddForeignKey
ALTER TABLE "ResidentLinkCode" ADD CONSTRAINT "ResidentLinkCode_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Resident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

