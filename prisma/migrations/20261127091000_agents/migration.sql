-- AlterTable
ALTER TABLE "tickets" ADD COLUMN     "requeued_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "distress_streak" INTEGER NOT NULL DEFAULT 0;

