-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "holdsChatUntil" TIMESTAMP(3);

