-- CreateEnum
CREATE TYPE "SurveyStatus" AS ENUM ('draft', 'open', 'closed');

-- CreateEnum
CREATE TYPE "SurveyPushStatus" AS ENUM ('pending', 'running', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "RecipientStatus" AS ENUM ('pending', 'sent', 'undeliverable', 'partial', 'answered');

-- CreateTable
CREATE TABLE "Survey" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "title" JSONB NOT NULL,
    "questions" JSONB NOT NULL,
    "status" "SurveyStatus" NOT NULL DEFAULT 'draft',
    "opensAt" TIMESTAMP(3),
    "closesAt" TIMESTAMP(3),
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Survey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyPush" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "scope" TEXT NOT NULL,
    "scopeId" INTEGER,
    "status" "SurveyPushStatus" NOT NULL DEFAULT 'pending',
    "total" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SurveyPush_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyRecipient" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "pushId" INTEGER NOT NULL,
    "residentId" INTEGER NOT NULL,
    "status" "RecipientStatus" NOT NULL DEFAULT 'pending',
    "nextQuestion" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "remindedAt" TIMESTAMP(3),

    CONSTRAINT "SurveyRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyAnswer" (
    "id" SERIAL NOT NULL,
    "surveyId" INTEGER NOT NULL,
    "questionId" TEXT NOT NULL,
    "score" INTEGER,
    "choice" TEXT,
    "estateId" INTEGER NOT NULL,
    "streetId" INTEGER NOT NULL,
    "companyId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CreditDeduction" (
    "id" SERIAL NOT NULL,
    "companyId" INTEGER NOT NULL,
    "caseId" INTEGER,
    "reason" TEXT NOT NULL,
    "points" DOUBLE PRECISION NOT NULL,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditDeduction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EstateClassification" (
    "id" SERIAL NOT NULL,
    "estateId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "klass" TEXT NOT NULL,
    "satisfaction" DOUBLE PRECISION,
    "timeliness" DOUBLE PRECISION,
    "details" JSONB,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EstateClassification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EarlyWarning" (
    "id" SERIAL NOT NULL,
    "estateId" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "recent" INTEGER NOT NULL,
    "baseline" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EarlyWarning_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Survey_code_key" ON "Survey"("code");

-- CreateIndex
CREATE INDEX "SurveyPush_status_idx" ON "SurveyPush"("status");

-- CreateIndex
CREATE INDEX "SurveyRecipient_pushId_status_id_idx" ON "SurveyRecipient"("pushId", "status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyRecipient_surveyId_residentId_key" ON "SurveyRecipient"("surveyId", "residentId");

-- CreateIndex
CREATE INDEX "SurveyAnswer_surveyId_questionId_idx" ON "SurveyAnswer"("surveyId", "questionId");

-- CreateIndex
CREATE INDEX "SurveyAnswer_estateId_createdAt_idx" ON "SurveyAnswer"("estateId", "createdAt");

-- CreateIndex
CREATE INDEX "CreditDeduction_companyId_at_idx" ON "CreditDeduction"("companyId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "CreditDeduction_reason_caseId_key" ON "CreditDeduction"("reason", "caseId");

-- CreateIndex
CREATE INDEX "EstateClassification_estateId_computedAt_idx" ON "EstateClassification"("estateId", "computedAt");

-- CreateIndex
CREATE UNIQUE INDEX "EarlyWarning_estateId_day_key" ON "EarlyWarning"("estateId", "day");

-- AddForeignKey
ALTER TABLE "SurveyPush" ADD CONSTRAINT "SurveyPush_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyRecipient" ADD CONSTRAINT "SurveyRecipient_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyRecipient" ADD CONSTRAINT "SurveyRecipient_pushId_fkey" FOREIGN KEY ("pushId") REFERENCES "SurveyPush"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurveyAnswer" ADD CONSTRAINT "SurveyAnswer_surveyId_fkey" FOREIGN KEY ("surveyId") REFERENCES "Survey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

