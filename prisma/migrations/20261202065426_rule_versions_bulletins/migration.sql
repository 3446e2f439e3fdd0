-- CreateTable
CREATE TABLE "RuleVersion" (
    "id" SERIAL NOT NULL,
    "file" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "previous" TEXT,
    "staffId" INTEGER,
    "staffName" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "rollbackOf" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RuleVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Bulletin" (
    "id" SERIAL NOT NULL,
    "month" TEXT NOT NULL,
    "scopeKey" TEXT NOT NULL,
    "streetId" INTEGER,
    "data" JSONB NOT NULL,
    "pdf" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Bulletin_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RuleVersion_file_id_idx" ON "RuleVersion"("file", "id");

-- CreateIndex
CREATE INDEX "Bulletin_streetId_month_idx" ON "Bulletin"("streetId", "month");

-- CreateIndex
CREATE UNIQUE INDEX "Bulletin_month_scopeKey_key" ON "Bulletin"("month", "scopeKey");

