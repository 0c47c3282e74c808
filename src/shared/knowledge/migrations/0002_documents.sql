CREATE TABLE "knowledge"."storage_orphans" (
	"storage_key" varchar(500) PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "knowledge"."documents" ADD COLUMN "failure_code" varchar(16);