CREATE TABLE "commits"."descriptions" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"text" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "commits"."descriptions" ADD CONSTRAINT "descriptions_request_id_generation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "commits"."generation_requests"("id") ON DELETE cascade ON UPDATE no action;