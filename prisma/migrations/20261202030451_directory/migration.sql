-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "OfficeLevel" ADD VALUE 'community';
ALTER TYPE "OfficeLevel" ADD VALUE 'owners';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "StaffRole" ADD VALUE 'community';
ALTER TYPE "StaffRole" ADD VALUE 'owners';

-- AlterTable
ALTER TABLE "Office" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "chatLinkCode" TEXT,
ADD COLUMN     "chatLinkedAt" TIMESTAMP(3),
ADD COLUMN     "chatRemovedAt" TIMESTAMP(3),
ADD COLUMN     "chatTitle" TEXT,
ADD COLUMN     "code" TEXT,
ADD COLUMN     "estateIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "Street" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Estate" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "address" TEXT,
ADD COLUMN     "community" TEXT;
-- (latitude and longitude come from the open311_reporter migration)

-- AlterTable
ALTER TABLE "Building" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Unit" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Company" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "contact" TEXT,
ADD COLUMN     "grade" TEXT;

-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "estateIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN     "estateIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- CreateTable
CREATE TABLE "EstateContract" (
    "id" SERIAL NOT NULL,
    "estateId" INTEGER NOT NULL,
    "companyId" INTEGER NOT NULL,
    "startsOn" TIMESTAMP(3),
    "endsOn" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EstateContract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirectoryAudit" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "DirectoryAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SetupToken" (
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "SetupToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "EstateContract_estateId_id_idx" ON "EstateContract"("estateId", "id");

-- CreateIndex
CREATE INDEX "DirectoryAudit_entity_key_id_idx" ON "DirectoryAudit"("entity", "key", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Office_code_key" ON "Office"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Office_chatLinkCode_key" ON "Office"("chatLinkCode");

-- AddForeignKey
ALTER TABLE "EstateContract" ADD CONSTRAINT "EstateContract_estateId_fkey" FOREIGN KEY ("estateId") REFERENCES "Estate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EstateContract" ADD CONSTRAINT "EstateContract_companyId_fkey" FOREIGN KEY ("companyId") REFERENCES "Company"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Existing offices get a directory code and a group link code; existing estates their current contract.
UPDATE "Office" o SET "code" = CASE
    WHEN o.level = 'district' AND (SELECT count(*) FROM "Office" x WHERE x.level = 'district') = 1 THEN 'district'
    ELSE COALESCE((SELECT s.code FROM "Street" s WHERE s.id = o."streetId"), o.level::text || '-' || o.id) END
  WHERE o."code" IS NULL;
UPDATE "Office" SET "chatLinkCode" = upper(substr(md5(random()::text || id::text), 1, 10)) WHERE "chatLinkCode" IS NULL;
INSERT INTO "EstateContract" ("estateId", "companyId") SELECT id, "companyId" FROM "Estate" WHERE "companyId" IS NOT NULL;
