ALTER TABLE "pieces" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "pieces"."title" || ' ' || left("pieces"."body_text", 200000))) STORED;--> statement-breakpoint
ALTER TABLE "pieces" ADD COLUMN "metrics_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "assignments_due_idx" ON "assignments" USING btree ("due_on","piece_id");--> statement-breakpoint
CREATE INDEX "pieces_search_idx" ON "pieces" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "pieces_title_sort_idx" ON "pieces" USING btree (lower("title"),"id");--> statement-breakpoint
CREATE INDEX "pieces_words_sort_idx" ON "pieces" USING btree ("word_count","id");--> statement-breakpoint
CREATE INDEX "pieces_created_at_idx" ON "pieces" USING btree ("created_at");