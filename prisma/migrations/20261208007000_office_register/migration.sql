-- AlterTable
ALTER TABLE "Estate" ADD COLUMN     "projectManagerId" INTEGER;

-- AlterTable
ALTER TABLE "Liaison" ADD COLUMN     "phone" TEXT;

-- CreateTable
CREATE TABLE "ImportColumnMapping" (
    "kind" TEXT NOT NULL,
    "header" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImportColumnMapping_pkey" PRIMARY KEY ("kind","header")
);

-- AddForeignKey
ALTER TABLE "Estate" ADD CONSTRAINT "Estate_projectManagerId_fkey" FOREIGN KEY ("projectManagerId") REFERENCES "Liaison"("id") ON DELETE SET NULL ON UPDATE CASCADE;

