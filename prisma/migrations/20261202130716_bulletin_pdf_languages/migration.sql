-- A bulletin's PDF per language (BulletinPdf); the one PDF each bulletin had moves there.

-- CreateTable
CREATE TABLE "BulletinPdf" (
    "id" SERIAL NOT NULL,
    "bulletinId" INTEGER NOT NULL,
    "locale" TEXT NOT NULL,
    "pdf" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BulletinPdf_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BulletinPdf_bulletinId_locale_key" ON "BulletinPdf"("bulletinId", "locale");

-- AddForeignKey
ALTER TABLE "BulletinPdf" ADD CONSTRAINT "BulletinPdf_bulletinId_fkey" FOREIGN KEY ("bulletinId") REFERENCES "Bulletin"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Bulletins made before were drawn in the default locale, zh-Hans unless DEFAULT_LOCALE was changed.
INSERT INTO "BulletinPdf" ("bulletinId", "locale", "pdf", "createdAt")
SELECT "id", 'zh-Hans', "pdf", "createdAt" FROM "Bulletin";

-- AlterTable
ALTER TABLE "Bulletin" DROP COLUMN "pdf";
