-- CreateTable
CREATE TABLE "ImportPreview" (
    "id" SERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImportPreview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ImportPreview_actor_key" ON "ImportPreview"("actor");

-- CreateIndex
CREATE UNIQUE INDEX "ImportPreview_tokenHash_key" ON "ImportPreview"("tokenHash");

-- CreateIndex
CREATE INDEX "ImportPreview_expiresAt_idx" ON "ImportPreview"("expiresAt");

