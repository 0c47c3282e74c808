CREATE TABLE "commits"."change_embeddings" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"repository_id" uuid NOT NULL,
	"model" varchar(200) NOT NULL,
	"vector" real[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "commits"."drafts" ADD COLUMN "reused_from" uuid;--> statement-breakpoint
ALTER TABLE "commits"."drafts" ADD COLUMN "similarity" real;--> statement-breakpoint
ALTER TABLE "commits"."drafts" ADD COLUMN "saved_input_tokens" integer;--> statement-breakpoint
ALTER TABLE "commits"."change_embeddings" ADD CONSTRAINT "change_embeddings_request_id_generation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "commits"."generation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "change_embeddings_repository_idx" ON "commits"."change_embeddings" USING btree ("repository_id","created_at");