CREATE SCHEMA "kernel";
--> statement-breakpoint
CREATE TABLE "kernel"."key_rotations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"target_key_id" text NOT NULL,
	"status" text NOT NULL,
	"rows_rewrapped" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kernel"."leadership_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"node_id" uuid NOT NULL,
	"event" text NOT NULL,
	"previous_node_id" uuid,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kernel"."nodes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"role" text NOT NULL,
	"version" text NOT NULL,
	"backend_pid" integer,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "leadership_events_at_idx" ON "kernel"."leadership_events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "nodes_heartbeat_idx" ON "kernel"."nodes" USING btree ("heartbeat_at");