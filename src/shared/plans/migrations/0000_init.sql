CREATE SCHEMA "plans";
--> statement-breakpoint
CREATE TABLE "plans"."credit_accounts" (
	"owner_id" uuid PRIMARY KEY NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_accounts_balance_check" CHECK ("plans"."credit_accounts"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plans"."credit_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"delta" bigint NOT NULL,
	"balance_after" bigint NOT NULL,
	"reason" varchar(64) NOT NULL,
	"reference" varchar(200),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_ledger_delta_check" CHECK ("plans"."credit_ledger"."delta" <> 0),
	CONSTRAINT "credit_ledger_balance_after_check" CHECK ("plans"."credit_ledger"."balance_after" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plans"."plan_catalog" (
	"plan_key" varchar(32) PRIMARY KEY NOT NULL,
	"plan_label" varchar(64) NOT NULL,
	"monthly_price_usd" numeric(6, 2) NOT NULL,
	"max_commits_per_day" integer,
	"max_commits_per_month" integer,
	"max_describes_per_month" integer,
	"max_uploads_per_day" integer,
	"kakao_noti_remaining" integer,
	"slack_enabled" boolean NOT NULL,
	"ad_layer_enabled" boolean NOT NULL,
	"instant_commit_generation" boolean NOT NULL,
	"save_commit_message" boolean NOT NULL,
	"save_describe_enabled" boolean NOT NULL,
	"commit_report_enabled" boolean NOT NULL,
	"visualization_report_enabled" boolean NOT NULL,
	"prompt_personalization_enabled" boolean NOT NULL,
	"data_retention_days" integer,
	"team_features_enabled" boolean NOT NULL,
	"trial_days" integer DEFAULT 0 NOT NULL,
	"plan_order" integer NOT NULL,
	"is_team_plan" boolean DEFAULT false NOT NULL,
	CONSTRAINT "plan_catalog_price_check" CHECK ("plans"."plan_catalog"."monthly_price_usd" >= 0),
	CONSTRAINT "plan_catalog_limits_check" CHECK (coalesce("plans"."plan_catalog"."max_commits_per_day", 0) >= 0 and coalesce("plans"."plan_catalog"."max_commits_per_month", 0) >= 0
        and coalesce("plans"."plan_catalog"."max_describes_per_month", 0) >= 0 and coalesce("plans"."plan_catalog"."max_uploads_per_day", 0) >= 0
        and coalesce("plans"."plan_catalog"."kakao_noti_remaining", 0) >= 0 and coalesce("plans"."plan_catalog"."data_retention_days", 0) >= 0
        and "plans"."plan_catalog"."trial_days" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plans"."rate_limit_configs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"plan_key" varchar(32),
	"api_key_id" uuid,
	"max_requests" integer NOT NULL,
	"window_seconds" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rate_limit_configs_plan_key_unique" UNIQUE("plan_key"),
	CONSTRAINT "rate_limit_configs_api_key_id_unique" UNIQUE("api_key_id"),
	CONSTRAINT "rate_limit_configs_target_check" CHECK (num_nonnulls("plans"."rate_limit_configs"."plan_key", "plans"."rate_limit_configs"."api_key_id") = 1),
	CONSTRAINT "rate_limit_configs_max_check" CHECK ("plans"."rate_limit_configs"."max_requests" > 0),
	CONSTRAINT "rate_limit_configs_window_check" CHECK ("plans"."rate_limit_configs"."window_seconds" between 1 and 86400)
);
--> statement-breakpoint
CREATE TABLE "plans"."referral_codes" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"code" varchar(16) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_codes_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "plans"."reward_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" varchar(16) NOT NULL,
	"amount" bigint NOT NULL,
	"referral_code" varchar(16),
	"mission_key" varchar(64),
	"referred_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reward_log_user_kind_mission_key" UNIQUE("user_id","kind","mission_key"),
	CONSTRAINT "reward_log_kind_check" CHECK ("plans"."reward_log"."kind" in ('referral', 'mission')),
	CONSTRAINT "reward_log_amount_check" CHECK ("plans"."reward_log"."amount" > 0),
	CONSTRAINT "reward_log_shape_check" CHECK (("plans"."reward_log"."kind" = 'mission' and "plans"."reward_log"."mission_key" is not null)
        or ("plans"."reward_log"."kind" = 'referral' and "plans"."reward_log"."referral_code" is not null and "plans"."reward_log"."mission_key" is null))
);
--> statement-breakpoint
CREATE TABLE "plans"."usage_counters" (
	"subject" uuid NOT NULL,
	"subject_kind" varchar(8) NOT NULL,
	"feature" varchar(32) NOT NULL,
	"period" varchar(8) NOT NULL,
	"period_start" date NOT NULL,
	"used" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_counters_subject_feature_period_period_start_pk" PRIMARY KEY("subject","feature","period","period_start"),
	CONSTRAINT "usage_counters_subject_kind_check" CHECK ("plans"."usage_counters"."subject_kind" in ('user', 'org')),
	CONSTRAINT "usage_counters_period_check" CHECK ("plans"."usage_counters"."period" in ('day', 'month')),
	CONSTRAINT "usage_counters_used_check" CHECK ("plans"."usage_counters"."used" >= 0)
);
--> statement-breakpoint
CREATE TABLE "plans"."user_plan_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"old_plan_key" varchar(32),
	"new_plan_key" varchar(32),
	"old_plan_label" varchar(64),
	"new_plan_label" varchar(64),
	"old_price_usd" numeric(6, 2),
	"new_price_usd" numeric(6, 2),
	"was_trial" boolean DEFAULT false NOT NULL,
	"effective_from" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans"."user_plans" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"plan_key" varchar(32) NOT NULL,
	"is_trial_active" boolean DEFAULT false NOT NULL,
	"trial_ends_at" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_plans_trial_check" CHECK (not "plans"."user_plans"."is_trial_active" or "plans"."user_plans"."trial_ends_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "plans"."credit_ledger" ADD CONSTRAINT "credit_ledger_owner_id_credit_accounts_owner_id_fk" FOREIGN KEY ("owner_id") REFERENCES "plans"."credit_accounts"("owner_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans"."rate_limit_configs" ADD CONSTRAINT "rate_limit_configs_plan_key_plan_catalog_plan_key_fk" FOREIGN KEY ("plan_key") REFERENCES "plans"."plan_catalog"("plan_key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans"."user_plans" ADD CONSTRAINT "user_plans_plan_key_plan_catalog_plan_key_fk" FOREIGN KEY ("plan_key") REFERENCES "plans"."plan_catalog"("plan_key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_ledger_owner_idx" ON "plans"."credit_ledger" USING btree ("owner_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "reward_log_referral_key" ON "plans"."reward_log" USING btree ("user_id","referred_user_id") WHERE "plans"."reward_log"."kind" = 'referral';--> statement-breakpoint
CREATE INDEX "usage_counters_period_start_idx" ON "plans"."usage_counters" USING btree ("period_start");--> statement-breakpoint
CREATE INDEX "user_plan_history_user_idx" ON "plans"."user_plan_history" USING btree ("user_id","effective_from");--> statement-breakpoint
CREATE INDEX "user_plans_trial_ends_idx" ON "plans"."user_plans" USING btree ("trial_ends_at") WHERE "plans"."user_plans"."is_trial_active";