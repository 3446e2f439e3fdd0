-- AlterTable
ALTER TABLE "Resident" ADD COLUMN     "channel" TEXT NOT NULL DEFAULT 'telegram',
ADD COLUMN     "smsConsent" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "telegramUserId" DROP NOT NULL,
ALTER COLUMN "chatId" DROP NOT NULL;

