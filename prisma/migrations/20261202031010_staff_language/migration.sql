-- AlterTable
ALTER TABLE "OfficeMember" ADD COLUMN     "language" TEXT;

-- AlterTable
ALTER TABLE "Liaison" ADD COLUMN     "language" TEXT;

