-- AlterTable
ALTER TABLE "Office" ADD COLUMN     "dingtalkSecret" TEXT,
ADD COLUMN     "dingtalkWebhook" TEXT,
ADD COLUMN     "wecomWebhook" TEXT;

