CREATE SCHEMA "notify";
--> statement-breakpoint
CREATE TABLE "notify"."channel_configs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid,
	"channel" varchar(16) NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets_encrypted" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_configs_channel_check" CHECK ("notify"."channel_configs"."channel" in ('slack', 'email', 'sms', 'kakao', 'webhook', 'webpush', 'inapp'))
);
--> statement-breakpoint
CREATE TABLE "notify"."contact_points" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"channel" varchar(16) NOT NULL,
	"destination_encrypted" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_points_channel_check" CHECK ("notify"."contact_points"."channel" in ('slack', 'webhook', 'email', 'sms', 'kakao'))
);
--> statement-breakpoint
CREATE TABLE "notify"."deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"notification_id" uuid NOT NULL,
	"org_id" uuid,
	"user_id" uuid,
	"channel" varchar(16) NOT NULL,
	"destination_encrypted" text NOT NULL,
	"destination_masked" varchar(300) NOT NULL,
	"locale" varchar(8) NOT NULL,
	"template_version" integer NOT NULL,
	"state" varchar(12) NOT NULL,
	"priority" smallint NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"lease_token" uuid,
	"last_error" varchar(1000),
	"push_subscription_id" uuid,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_channel_check" CHECK ("notify"."deliveries"."channel" in ('slack', 'email', 'sms', 'kakao', 'webhook', 'webpush', 'inapp')),
	CONSTRAINT "deliveries_state_check" CHECK ("notify"."deliveries"."state" in ('pending', 'sending', 'delivered', 'failed', 'dead', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "notify"."notification_delivery_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" uuid,
	"notification_id" uuid NOT NULL,
	"org_id" uuid,
	"user_id" uuid,
	"recipient" varchar(300) NOT NULL,
	"channel" varchar(16) NOT NULL,
	"template" varchar(100) NOT NULL,
	"attempt" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"success" boolean NOT NULL,
	"outcome" varchar(12) NOT NULL,
	"failure_reason" varchar(1000),
	"http_status" smallint,
	"duration_ms" integer,
	"trace_uuid" uuid
);
--> statement-breakpoint
CREATE TABLE "notify"."destination_allowlist" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entry" varchar(255) NOT NULL,
	"note" varchar(500),
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notify"."inbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"notification_id" uuid NOT NULL,
	"type" varchar(100) NOT NULL,
	"title" varchar(500) NOT NULL,
	"body" text NOT NULL,
	"url" varchar(2000),
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notify"."notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid,
	"type" varchar(100) NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"url" varchar(2000),
	"priority" varchar(8) NOT NULL,
	"dedupe_key" varchar(200),
	"trace_uuid" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_priority_check" CHECK ("notify"."notifications"."priority" in ('low', 'normal', 'high', 'urgent'))
);
--> statement-breakpoint
CREATE TABLE "notify"."preferences" (
	"user_id" uuid NOT NULL,
	"notification_type" varchar(100) NOT NULL,
	"channel" varchar(16) NOT NULL,
	"enabled" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "preferences_user_id_notification_type_channel_pk" PRIMARY KEY("user_id","notification_type","channel"),
	CONSTRAINT "preferences_channel_check" CHECK ("notify"."preferences"."channel" = '*' or "notify"."preferences"."channel" in ('slack', 'email', 'sms', 'kakao', 'webhook', 'webpush', 'inapp'))
);
--> statement-breakpoint
CREATE TABLE "notify"."push_subscriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"device_id" uuid,
	"endpoint" varchar(1000) NOT NULL,
	"keys_encrypted" text NOT NULL,
	"user_agent" varchar(300),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_success_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notify"."quiet_hours" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"start_minute" smallint NOT NULL,
	"end_minute" smallint NOT NULL,
	"timezone" varchar(64) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quiet_hours_minutes_check" CHECK ("notify"."quiet_hours"."start_minute" between 0 and 1439 and "notify"."quiet_hours"."end_minute" between 0 and 1439)
);
--> statement-breakpoint
CREATE TABLE "notify"."signed_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"purpose" varchar(64) NOT NULL,
	"subject" jsonb NOT NULL,
	"user_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notify"."stats" (
	"user_id" uuid NOT NULL,
	"channel" varchar(16) NOT NULL,
	"day" date NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_user_id_channel_day_pk" PRIMARY KEY("user_id","channel","day")
);
--> statement-breakpoint
CREATE TABLE "notify"."system_notices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" varchar(200) NOT NULL,
	"content" text NOT NULL,
	"notice_type" varchar(16) NOT NULL,
	"priority" varchar(16) DEFAULT 'normal' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"display_from" timestamp with time zone,
	"display_until" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_notices_type_check" CHECK ("notify"."system_notices"."notice_type" in ('maintenance', 'update', 'notice')),
	CONSTRAINT "system_notices_priority_check" CHECK ("notify"."system_notices"."priority" in ('low', 'normal', 'high', 'critical')),
	CONSTRAINT "system_notices_window_check" CHECK ("notify"."system_notices"."display_from" is null or "notify"."system_notices"."display_until" is null or "notify"."system_notices"."display_from" < "notify"."system_notices"."display_until")
);
--> statement-breakpoint
CREATE TABLE "notify"."templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" varchar(100) NOT NULL,
	"locale" varchar(8) NOT NULL,
	"version" integer NOT NULL,
	"subject" varchar(500) NOT NULL,
	"text" text NOT NULL,
	"html" text,
	"kakao_template_code" varchar(64),
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "templates_locale_check" CHECK ("notify"."templates"."locale" in ('ko', 'en')),
	CONSTRAINT "templates_version_check" CHECK ("notify"."templates"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "notify"."deliveries" ADD CONSTRAINT "deliveries_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "notify"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_configs_org_channel_key" ON "notify"."channel_configs" USING btree (coalesce("org_id", '00000000-0000-0000-0000-000000000000'::uuid),"channel");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_points_user_channel_key" ON "notify"."contact_points" USING btree ("user_id","channel");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "notify"."deliveries" USING btree ("priority" DESC NULLS LAST,"next_attempt_at") WHERE "notify"."deliveries"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "deliveries_lease_idx" ON "notify"."deliveries" USING btree ("lease_until") WHERE "notify"."deliveries"."state" = 'sending';--> statement-breakpoint
CREATE INDEX "deliveries_notification_idx" ON "notify"."deliveries" USING btree ("notification_id");--> statement-breakpoint
CREATE INDEX "deliveries_user_idx" ON "notify"."deliveries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "delivery_logs_delivery_idx" ON "notify"."notification_delivery_logs" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "delivery_logs_sent_idx" ON "notify"."notification_delivery_logs" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "delivery_logs_user_idx" ON "notify"."notification_delivery_logs" USING btree ("user_id","sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "destination_allowlist_entry_key" ON "notify"."destination_allowlist" USING btree (lower("entry"));--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_notification_user_key" ON "notify"."inbox" USING btree ("notification_id","user_id");--> statement-breakpoint
CREATE INDEX "inbox_user_idx" ON "notify"."inbox" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_key" ON "notify"."notifications" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_created_idx" ON "notify"."notifications" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "push_subscriptions_endpoint_key" ON "notify"."push_subscriptions" USING btree ("endpoint");--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_idx" ON "notify"."push_subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "signed_links_expires_idx" ON "notify"."signed_links" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "system_notices_active_idx" ON "notify"."system_notices" USING btree ("display_from") WHERE "notify"."system_notices"."is_active";--> statement-breakpoint
CREATE UNIQUE INDEX "templates_name_locale_version_key" ON "notify"."templates" USING btree ("name","locale","version");