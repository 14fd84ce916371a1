ALTER TABLE "bulletin_issues" ALTER COLUMN "publication" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "bulletin_issues" DROP COLUMN "title";