-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "pausesSeenAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastFailureAt" TIMESTAMP(3) NOT NULL,
    "pausedAt" TIMESTAMP(3),
    "pausedUntil" TIMESTAMP(3),

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LoginThrottle_username_idx" ON "LoginThrottle"("username");

-- CreateIndex
CREATE UNIQUE INDEX "LoginThrottle_username_address_key" ON "LoginThrottle"("username", "address");

