CREATE SCHEMA "commits";
--> statement-breakpoint
CREATE TABLE "commits"."diff_fragments" (
	"request_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"path" text NOT NULL,
	"old_path" text,
	"status" varchar(16) NOT NULL,
	"language" varchar(32),
	"added_lines" integer NOT NULL,
	"removed_lines" integer NOT NULL,
	"hunks" jsonb NOT NULL,
	"elements" jsonb NOT NULL,
	CONSTRAINT "diff_fragments_request_id_ordinal_pk" PRIMARY KEY("request_id","ordinal")
);
--> statement-breakpoint
CREATE TABLE "commits"."drafts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"ordinal" smallint NOT NULL,
	"type" varchar(32) NOT NULL,
	"scope" varchar(64),
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"breaking" boolean NOT NULL,
	"message" text NOT NULL,
	"origin" varchar(16) NOT NULL,
	"provider" varchar(64) NOT NULL,
	"model" varchar(128) NOT NULL,
	"llm_request_id" uuid,
	"violations" jsonb NOT NULL,
	"notes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commits"."finalized_commits" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"draft_id" uuid,
	"message" text NOT NULL,
	"approved_by" uuid NOT NULL,
	"approved_at" timestamp with time zone NOT NULL,
	"commit_sha" varchar(64),
	"push_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commits"."generation_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"repository_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid,
	"trigger" varchar(16) NOT NULL,
	"source" varchar(16) NOT NULL,
	"branch" varchar(255),
	"head_sha" varchar(64),
	"status" varchar(16) NOT NULL,
	"files" integer NOT NULL,
	"added_lines" integer NOT NULL,
	"removed_lines" integer NOT NULL,
	"truncated" boolean NOT NULL,
	"skipped" jsonb NOT NULL,
	"language" varchar(8) NOT NULL,
	"elapsed_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "generation_requests_status_check" CHECK ("commits"."generation_requests"."status" in ('ready', 'approved', 'rejected', 'committed', 'pushed', 'push_failed'))
);
--> statement-breakpoint
CREATE TABLE "commits"."input_contexts" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"token_budget" integer NOT NULL,
	"total_tokens" integer NOT NULL,
	"sections" jsonb NOT NULL,
	"prompt" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commits"."recorded_commits" (
	"repository_id" uuid NOT NULL,
	"sha" varchar(64) NOT NULL,
	"message" text NOT NULL,
	"origin" varchar(16) NOT NULL,
	"committed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recorded_commits_repository_id_sha_pk" PRIMARY KEY("repository_id","sha")
);
--> statement-breakpoint
CREATE TABLE "commits"."repositories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid,
	"owner_user_id" uuid NOT NULL,
	"name" varchar(200) NOT NULL,
	"remote_url" text,
	"default_branch" varchar(255),
	"convention" jsonb NOT NULL,
	"language" varchar(8),
	"rules" jsonb NOT NULL,
	"ignore_patterns" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "repositories_language_check" CHECK ("commits"."repositories"."language" is null or "commits"."repositories"."language" in ('ko', 'en'))
);
--> statement-breakpoint
CREATE TABLE "commits"."repository_access" (
	"repository_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"level" varchar(1) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "repository_access_repository_id_team_id_pk" PRIMARY KEY("repository_id","team_id"),
	CONSTRAINT "repository_access_level_check" CHECK ("commits"."repository_access"."level" in ('R', 'W', 'A'))
);
--> statement-breakpoint
CREATE TABLE "commits"."scoping_results" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "commits"."diff_fragments" ADD CONSTRAINT "diff_fragments_request_id_generation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "commits"."generation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commits"."drafts" ADD CONSTRAINT "drafts_request_id_generation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "commits"."generation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commits"."finalized_commits" ADD CONSTRAINT "finalized_commits_request_id_generation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "commits"."generation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commits"."generation_requests" ADD CONSTRAINT "generation_requests_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "commits"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commits"."input_contexts" ADD CONSTRAINT "input_contexts_request_id_generation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "commits"."generation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commits"."recorded_commits" ADD CONSTRAINT "recorded_commits_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "commits"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commits"."repository_access" ADD CONSTRAINT "repository_access_repository_id_repositories_id_fk" FOREIGN KEY ("repository_id") REFERENCES "commits"."repositories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commits"."scoping_results" ADD CONSTRAINT "scoping_results_request_id_generation_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "commits"."generation_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drafts_request_ordinal_idx" ON "commits"."drafts" USING btree ("request_id","ordinal");--> statement-breakpoint
CREATE INDEX "finalized_commits_pending_idx" ON "commits"."finalized_commits" USING btree ("approved_at") WHERE "commits"."finalized_commits"."commit_sha" is null;--> statement-breakpoint
CREATE INDEX "generation_requests_repository_idx" ON "commits"."generation_requests" USING btree ("repository_id","created_at");--> statement-breakpoint
CREATE INDEX "generation_requests_user_idx" ON "commits"."generation_requests" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "recorded_commits_recent_idx" ON "commits"."recorded_commits" USING btree ("repository_id","committed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "repositories_org_name_idx" ON "commits"."repositories" USING btree ("org_id","name") WHERE "commits"."repositories"."org_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "repositories_personal_name_idx" ON "commits"."repositories" USING btree ("owner_user_id","name") WHERE "commits"."repositories"."org_id" is null;--> statement-breakpoint
CREATE INDEX "repository_access_team_idx" ON "commits"."repository_access" USING btree ("team_id");