-- CreateEnum
CREATE TYPE "AttachmentStoreStatus" AS ENUM ('pending', 'stored', 'refused', 'failed');

-- AlterTable
ALTER TABLE "Attachment" ADD COLUMN     "contentType" TEXT,
ADD COLUMN     "fetchAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "fetchError" TEXT,
ADD COLUMN     "fetchLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "nextFetchAt" TIMESTAMP(3),
ADD COLUMN     "size" INTEGER,
ADD COLUMN     "storageKey" TEXT,
ADD COLUMN     "storeStatus" "AttachmentStoreStatus" NOT NULL DEFAULT 'pending';

-- CreateIndex
CREATE INDEX "Attachment_storeStatus_nextFetchAt_idx" ON "Attachment"("storeStatus", "nextFetchAt");

