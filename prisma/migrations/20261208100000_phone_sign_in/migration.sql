-- AlterTable
-- (Liaison.phone itself came with 20261208007000_office_register.)
ALTER TABLE "Liaison" ADD COLUMN     "lastSignInAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PhoneCode" (
    "id" SERIAL NOT NULL,
    "phone" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "address" TEXT,
    "sent" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "PhoneCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PhoneLock" (
    "phone" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "PhoneLock_pkey" PRIMARY KEY ("phone")
);

-- CreateIndex
CREATE INDEX "PhoneCode_phone_createdAt_idx" ON "PhoneCode"("phone", "createdAt");

-- CreateIndex
CREATE INDEX "PhoneCode_address_createdAt_idx" ON "PhoneCode"("address", "createdAt");

-- CreateIndex
CREATE INDEX "Liaison_phone_idx" ON "Liaison"("phone");

-- CreateIndex
CREATE INDEX "Resident_phone_idx" ON "Resident"("phone");

