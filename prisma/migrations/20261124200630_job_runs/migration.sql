-- CreateTable
CREATE TABLE "JobRun" (
    "key" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("key")
);

