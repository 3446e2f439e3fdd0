-- AlterTable
ALTER TABLE "Office" ADD COLUMN     "language" TEXT NOT NULL DEFAULT 'zh-Hans';

