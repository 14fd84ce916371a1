ALTER TABLE "pieces" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "pieces"."title" || ' ' || left("pieces"."body_text", 200000))) STORED;--> statement-breakpoint
ALTER TABLE "pieces" ADD COLUMN "metrics_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "pieces_search_idx" ON "pieces" USING gin ("search_vector");