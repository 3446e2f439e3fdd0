-- CreateTable
CREATE TABLE "ProjectManager" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "certificateNo" TEXT,
    "certificateExpiresOn" TIMESTAMP(3),
    "phone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectManager_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ManagerAssignment" (
    "id" SERIAL NOT NULL,
    "managerId" INTEGER NOT NULL,
    "estateId" INTEGER NOT NULL,
    "companyId" INTEGER NOT NULL,
    "startsOn" TIMESTAMP(3) NOT NULL,
    "endsOn" TIMESTAMP(3),

    CONSTRAINT "ManagerAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditRecord" (
    "id" SERIAL NOT NULL,
    "subject" TEXT NOT NULL,
    "companyId" INTEGER,
    "managerId" INTEGER,
    "type" TEXT NOT NULL,
    "polarity" TEXT NOT NULL,
    "points" DOUBLE PRECISION NOT NULL,
    "sourceType" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "caseId" INTEGER,
    "streetId" INTEGER,
    "estateId" INTEGER,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditAppeal" (
    "id" SERIAL NOT NULL,
    "recordId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" TEXT,
    "filedBy" TEXT NOT NULL,
    "filedAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionReason" TEXT,

    CONSTRAINT "CreditAppeal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProjectManager_certificateNo_key" ON "ProjectManager"("certificateNo");

-- CreateIndex
CREATE INDEX "ManagerAssignment_estateId_startsOn_idx" ON "ManagerAssignment"("estateId", "startsOn");

-- CreateIndex
CREATE INDEX "ManagerAssignment_managerId_startsOn_idx" ON "ManagerAssignment"("managerId", "startsOn");

-- CreateIndex
CREATE INDEX "CreditRecord_subject_at_idx" ON "CreditRecord"("subject", "at");

-- CreateIndex
CREATE INDEX "CreditRecord_companyId_at_idx" ON "CreditRecord"("companyId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "CreditRecord_type_sourceKey_subject_key" ON "CreditRecord"("type", "sourceKey", "subject");

-- CreateIndex
CREATE INDEX "CreditAppeal_recordId_idx" ON "CreditAppeal"("recordId");

-- CreateIndex
CREATE INDEX "CreditAppeal_status_filedAt_idx" ON "CreditAppeal"("status", "filedAt");

-- AddForeignKey
ALTER TABLE "ManagerAssignment" ADD CONSTRAINT "ManagerAssignment_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "ProjectManager"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditAppeal" ADD CONSTRAINT "CreditAppeal_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "CreditRecord"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

