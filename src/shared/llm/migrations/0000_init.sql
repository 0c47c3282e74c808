CREATE SCHEMA "llm";
--> statement-breakpoint
CREATE TABLE "llm"."api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"key_encrypted" text NOT NULL,
	"last4" varchar(4) NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"monthly_budget_usd" numeric(14, 6),
	"current_usage_usd" numeric(14, 6) DEFAULT '0' NOT NULL,
	"usage_month" date,
	"status" varchar(16) DEFAULT 'active' NOT NULL,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_status_check" CHECK ("llm"."api_keys"."status" in ('active', 'inactive'))
);
--> statement-breakpoint
CREATE TABLE "llm"."budgets" (
	"subject_kind" varchar(8) NOT NULL,
	"subject_id" uuid NOT NULL,
	"monthly_limit_usd" numeric(14, 6) NOT NULL,
	"alert_threshold_usd" numeric(14, 6),
	"store_prompts" boolean DEFAULT false NOT NULL,
	"month" date NOT NULL,
	"spent_usd" numeric(14, 6) DEFAULT '0' NOT NULL,
	"reserved_usd" numeric(14, 6) DEFAULT '0' NOT NULL,
	"alerted_month" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budgets_subject_kind_subject_id_pk" PRIMARY KEY("subject_kind","subject_id"),
	CONSTRAINT "budgets_kind_check" CHECK ("llm"."budgets"."subject_kind" in ('org', 'user')),
	CONSTRAINT "budgets_amounts_check" CHECK ("llm"."budgets"."spent_usd" >= 0 and "llm"."budgets"."reserved_usd" >= 0)
);
--> statement-breakpoint
CREATE TABLE "llm"."daily_usage" (
	"usage_date" date NOT NULL,
	"provider" varchar(50) NOT NULL,
	"model" varchar(100) NOT NULL,
	"total_requests" integer DEFAULT 0 NOT NULL,
	"failed_requests" integer DEFAULT 0 NOT NULL,
	"cache_hits" integer DEFAULT 0 NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"total_tokens" integer DEFAULT 0 NOT NULL,
	"estimated_cost_usd" numeric(14, 6) DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_usage_usage_date_provider_model_pk" PRIMARY KEY("usage_date","provider","model")
);
--> statement-breakpoint
CREATE TABLE "llm"."embedding_cache" (
	"content_hash" varchar(64) NOT NULL,
	"space" varchar(8) NOT NULL,
	"model" varchar(160) NOT NULL,
	"dims" integer NOT NULL,
	"vector" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "embedding_cache_content_hash_space_model_pk" PRIMARY KEY("content_hash","space","model")
);
--> statement-breakpoint
CREATE TABLE "llm"."models" (
	"id" uuid PRIMARY KEY NOT NULL,
	"provider_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"display_name" varchar(100) NOT NULL,
	"context_window" integer,
	"input_price_per_mtok" numeric(14, 6) DEFAULT '0' NOT NULL,
	"output_price_per_mtok" numeric(14, 6) DEFAULT '0' NOT NULL,
	"cached_input_price_per_mtok" numeric(14, 6),
	"capabilities" text[] NOT NULL,
	"embedding_dims" integer,
	"available" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm"."providers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" varchar(50) NOT NULL,
	"display_name" varchar(100) NOT NULL,
	"kind" varchar(32) NOT NULL,
	"base_url" varchar(500),
	"status" varchar(16) DEFAULT 'active' NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "providers_status_check" CHECK ("llm"."providers"."status" in ('active', 'inactive')),
	CONSTRAINT "providers_kind_check" CHECK ("llm"."providers"."kind" in ('openai', 'anthropic', 'groq', 'openai-compatible', 'offline'))
);
--> statement-breakpoint
CREATE TABLE "llm"."requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"trace_uuid" uuid,
	"user_id" uuid,
	"org_id" uuid,
	"feature" varchar(100) NOT NULL,
	"operation" varchar(16) NOT NULL,
	"provider" varchar(50) NOT NULL,
	"model" varchar(100) NOT NULL,
	"key_id" uuid,
	"status" varchar(16) NOT NULL,
	"error" text,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"cached_tokens" integer DEFAULT 0 NOT NULL,
	"token_source" varchar(16) DEFAULT 'provider' NOT NULL,
	"duration_ms" integer NOT NULL,
	"first_token_ms" integer,
	"cost_usd" numeric(14, 6) DEFAULT '0' NOT NULL,
	"cache_hit" boolean DEFAULT false NOT NULL,
	"prompt_hash" varchar(64),
	"prompt_text" text,
	"response_text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm"."routing_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"feature" varchar(100) NOT NULL,
	"plan_key" varchar(32),
	"org_id" uuid,
	"model_id" uuid NOT NULL,
	"priority" integer DEFAULT 100 NOT NULL,
	"weight" integer DEFAULT 100 NOT NULL,
	"experiment" varchar(100),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routing_rules_weight_check" CHECK ("llm"."routing_rules"."weight" > 0),
	CONSTRAINT "routing_rules_scope_check" CHECK (num_nonnulls("llm"."routing_rules"."plan_key", "llm"."routing_rules"."org_id") <= 1)
);
--> statement-breakpoint
ALTER TABLE "llm"."api_keys" ADD CONSTRAINT "api_keys_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "llm"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm"."models" ADD CONSTRAINT "models_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "llm"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm"."routing_rules" ADD CONSTRAINT "routing_rules_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "llm"."models"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_provider_idx" ON "llm"."api_keys" USING btree ("provider_id","priority");--> statement-breakpoint
CREATE UNIQUE INDEX "models_provider_name_key" ON "llm"."models" USING btree ("provider_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "providers_name_key" ON "llm"."providers" USING btree ("name");--> statement-breakpoint
CREATE INDEX "requests_created_idx" ON "llm"."requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "requests_org_idx" ON "llm"."requests" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_user_idx" ON "llm"."requests" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_request_idx" ON "llm"."requests" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "routing_rules_feature_idx" ON "llm"."routing_rules" USING btree ("feature");