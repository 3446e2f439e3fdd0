-- AlterTable
ALTER TABLE "Estate" ADD COLUMN     "deliveredOn" TIMESTAMP(3),
ADD COLUMN     "ownersCommittee" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "ownersCommitteeTermEnd" TIMESTAMP(3),
ADD COLUMN     "professionallyManaged" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tendered" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Company" ADD COLUMN     "qualificationCertNo" TEXT,
ADD COLUMN     "qualificationExpiresOn" TIMESTAMP(3);

