ALTER TABLE "llm"."requests" ADD COLUMN "saved_usd" numeric(14, 6) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "llm"."requests" ADD COLUMN "experiment" varchar(100);