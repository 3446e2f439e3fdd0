-- CreateEnum
CREATE TYPE "CampaignProblemState" AS ENUM ('found', 'proposed', 'rectifying', 'awaiting_acceptance', 'accepted', 'revisit', 'closed', 'reopened');

-- CreateTable
CREATE TABLE "Campaign" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "streetId" INTEGER,
    "estateIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "inspectFrom" TIMESTAMP(3) NOT NULL,
    "inspectTo" TIMESTAMP(3) NOT NULL,
    "rectifyFrom" TIMESTAMP(3) NOT NULL,
    "rectifyTo" TIMESTAMP(3) NOT NULL,
    "acceptFrom" TIMESTAMP(3) NOT NULL,
    "acceptTo" TIMESTAMP(3) NOT NULL,
    "targetRectification" DOUBLE PRECISION NOT NULL DEFAULT 0.9,
    "targetTimeliness" DOUBLE PRECISION NOT NULL DEFAULT 0.9,
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "inspectors" TEXT,
    "publicSlug" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignProblem" (
    "id" SERIAL NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "estateId" INTEGER NOT NULL,
    "building" TEXT,
    "place" TEXT,
    "category" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "sourceRef" TEXT,
    "caseIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "responsibleKind" TEXT NOT NULL DEFAULT 'company',
    "responsibleName" TEXT NOT NULL,
    "companyId" INTEGER,
    "responsiblePerson" TEXT,
    "foundOn" TIMESTAMP(3) NOT NULL,
    "state" "CampaignProblemState" NOT NULL DEFAULT 'found',
    "measure" TEXT,
    "firstDeadline" TIMESTAMP(3),
    "deadline" TIMESTAMP(3),
    "rounds" INTEGER NOT NULL DEFAULT 0,
    "lastVerdict" TEXT,
    "closedAt" TIMESTAMP(3),
    "closedOnTime" BOOLEAN,
    "revisitResult" TEXT,
    "revisitAskedAt" TIMESTAMP(3),
    "recheckDue" TIMESTAMP(3),
    "recheckResult" TEXT,
    "repeatCount" INTEGER NOT NULL DEFAULT 0,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "escalatedAt" TIMESTAMP(3),
    "importKey" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignProblem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignProblemEvent" (
    "id" SERIAL NOT NULL,
    "problemId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromState" "CampaignProblemState",
    "toState" "CampaignProblemState" NOT NULL,
    "note" TEXT,
    "data" JSONB,

    CONSTRAINT "CampaignProblemEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignPhoto" (
    "id" SERIAL NOT NULL,
    "problemId" INTEGER NOT NULL,
    "eventId" INTEGER,
    "storageKey" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignInspection" (
    "id" SERIAL NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "estateId" INTEGER NOT NULL,
    "inspectedAt" TIMESTAMP(3) NOT NULL,
    "by" TEXT NOT NULL,
    "note" TEXT,

    CONSTRAINT "CampaignInspection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_publicSlug_key" ON "Campaign"("publicSlug");

-- CreateIndex
CREATE INDEX "CampaignProblem_campaignId_estateId_idx" ON "CampaignProblem"("campaignId", "estateId");

-- CreateIndex
CREATE INDEX "CampaignProblem_state_deadline_idx" ON "CampaignProblem"("state", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignProblem_campaignId_seq_key" ON "CampaignProblem"("campaignId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignProblem_campaignId_importKey_key" ON "CampaignProblem"("campaignId", "importKey");

-- CreateIndex
CREATE INDEX "CampaignProblemEvent_problemId_id_idx" ON "CampaignProblemEvent"("problemId", "id");

-- CreateIndex
CREATE INDEX "CampaignPhoto_problemId_idx" ON "CampaignPhoto"("problemId");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignInspection_campaignId_estateId_key" ON "CampaignInspection"("campaignId", "estateId");

-- AddForeignKey
ALTER TABLE "CampaignProblem" ADD CONSTRAINT "CampaignProblem_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignProblem" ADD CONSTRAINT "CampaignProblem_estateId_fkey" FOREIGN KEY ("estateId") REFERENCES "Estate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignProblemEvent" ADD CONSTRAINT "CampaignProblemEvent_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "CampaignProblem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignPhoto" ADD CONSTRAINT "CampaignPhoto_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "CampaignProblem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CampaignInspection" ADD CONSTRAINT "CampaignInspection_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

