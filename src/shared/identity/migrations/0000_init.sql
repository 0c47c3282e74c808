CREATE SCHEMA "identity";
--> statement-breakpoint
CREATE TABLE "identity"."action_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"api_key_id" uuid,
	"org_id" uuid,
	"action" varchar(100) NOT NULL,
	"method" varchar(8) NOT NULL,
	"resource" varchar(300) NOT NULL,
	"resource_id" varchar(100),
	"result" varchar(16) NOT NULL,
	"status" integer NOT NULL,
	"ip" "inet",
	"trace_uuid" uuid
);
--> statement-breakpoint
CREATE TABLE "identity"."actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" varchar(100) NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"module" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actions_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "identity"."api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"prefix" varchar(16) NOT NULL,
	"key_hash" varchar(64) NOT NULL,
	"actions" text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity"."deletion_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"reason" varchar(500),
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"execute_after" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"report" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "identity"."device_profiles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"fingerprint" varchar(64) NOT NULL,
	"browser" varchar(64),
	"os" varchar(64),
	"device_type" varchar(16),
	"location" varchar(64),
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity"."feedback" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"feedback_type" varchar(16) NOT NULL,
	"subject" varchar(200),
	"content" text NOT NULL,
	"rating" integer,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"admin_response" text,
	"responded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_type_check" CHECK ("identity"."feedback"."feedback_type" in ('bug', 'suggestion', 'complaint')),
	CONSTRAINT "feedback_status_check" CHECK ("identity"."feedback"."status" in ('pending', 'resolved', 'closed')),
	CONSTRAINT "feedback_rating_check" CHECK ("identity"."feedback"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "identity"."oauth_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" varchar(32) NOT NULL,
	"subject" varchar(255) NOT NULL,
	"email" varchar(320),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "identity"."oauth_states" (
	"state_hash" varchar(64) PRIMARY KEY NOT NULL,
	"provider" varchar(32) NOT NULL,
	"code_verifier_encrypted" text NOT NULL,
	"nonce_encrypted" text NOT NULL,
	"redirect_to" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity"."org_memberships" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" varchar(32) DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_memberships_org_id_user_id_pk" PRIMARY KEY("org_id","user_id"),
	CONSTRAINT "org_memberships_role_check" CHECK ("identity"."org_memberships"."role" in ('member', 'org_admin'))
);
--> statement-breakpoint
CREATE TABLE "identity"."organizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" varchar(200) NOT NULL,
	"domain" varchar(253),
	"contract_status" varchar(16) DEFAULT 'trial' NOT NULL,
	"plan_key" varchar(32) DEFAULT 'org' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"owner_id" uuid,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_contract_status_check" CHECK ("identity"."organizations"."contract_status" in ('trial', 'active', 'suspended', 'ended'))
);
--> statement-breakpoint
CREATE TABLE "identity"."password_credentials" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"password_hash" text NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity"."phone_codes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"phone_hash" varchar(64) NOT NULL,
	"code_hash" varchar(64) NOT NULL,
	"ip_hash" varchar(64),
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"verified_at" timestamp with time zone,
	"invalidated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity"."profiles" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"nickname_encrypted" text,
	"country_code" varchar(3),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity"."role_actions" (
	"role_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	CONSTRAINT "role_actions_role_id_action_id_pk" PRIMARY KEY("role_id","action_id")
);
--> statement-breakpoint
CREATE TABLE "identity"."roles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" varchar(64) NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roles_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "identity"."sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"device_profile_id" uuid,
	"method" varchar(16) NOT NULL,
	"ip" "inet",
	"user_agent" varchar(512),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoke_reason" varchar(32)
);
--> statement-breakpoint
CREATE TABLE "identity"."team_memberships" (
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" varchar(32) DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_memberships_team_id_user_id_pk" PRIMARY KEY("team_id","user_id"),
	CONSTRAINT "team_memberships_role_check" CHECK ("identity"."team_memberships"."role" in ('viewer', 'member', 'maintainer'))
);
--> statement-breakpoint
CREATE TABLE "identity"."teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" varchar(200) NOT NULL,
	"description" text,
	"visibility" varchar(16) DEFAULT 'org' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_visibility_check" CHECK ("identity"."teams"."visibility" in ('org', 'private'))
);
--> statement-breakpoint
CREATE TABLE "identity"."user_roles" (
	"user_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_roles_user_id_role_id_pk" PRIMARY KEY("user_id","role_id")
);
--> statement-breakpoint
CREATE TABLE "identity"."user_secrets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"kind" varchar(32) NOT NULL,
	"value_encrypted" text NOT NULL,
	"lookup_hash" varchar(64) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity"."user_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"notifications_enabled" boolean DEFAULT true NOT NULL,
	"language" varchar(8) DEFAULT 'ko' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_settings_language_check" CHECK ("identity"."user_settings"."language" in ('ko', 'en'))
);
--> statement-breakpoint
CREATE TABLE "identity"."users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"username" varchar(64),
	"email" varchar(320),
	"email_type" varchar(16),
	"full_name" varchar(200),
	"phone_encrypted" text,
	"phone_hash" varchar(64),
	"status" varchar(16) DEFAULT 'active' NOT NULL,
	"auth_status" varchar(16) DEFAULT 'unverified' NOT NULL,
	"last_login_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_status_check" CHECK ("identity"."users"."status" in ('active', 'inactive', 'banned')),
	CONSTRAINT "users_auth_status_check" CHECK ("identity"."users"."auth_status" in ('unverified', 'verified')),
	CONSTRAINT "users_email_type_check" CHECK ("identity"."users"."email_type" in ('personal', 'work'))
);
--> statement-breakpoint
ALTER TABLE "identity"."api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."device_profiles" ADD CONSTRAINT "device_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."feedback" ADD CONSTRAINT "feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."oauth_accounts" ADD CONSTRAINT "oauth_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."org_memberships" ADD CONSTRAINT "org_memberships_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "identity"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."org_memberships" ADD CONSTRAINT "org_memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."organizations" ADD CONSTRAINT "organizations_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "identity"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."password_credentials" ADD CONSTRAINT "password_credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."profiles" ADD CONSTRAINT "profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."role_actions" ADD CONSTRAINT "role_actions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "identity"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."role_actions" ADD CONSTRAINT "role_actions_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "identity"."actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."sessions" ADD CONSTRAINT "sessions_device_profile_id_device_profiles_id_fk" FOREIGN KEY ("device_profile_id") REFERENCES "identity"."device_profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."team_memberships" ADD CONSTRAINT "team_memberships_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "identity"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."team_memberships" ADD CONSTRAINT "team_memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."teams" ADD CONSTRAINT "teams_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "identity"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."user_roles" ADD CONSTRAINT "user_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."user_roles" ADD CONSTRAINT "user_roles_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "identity"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."user_secrets" ADD CONSTRAINT "user_secrets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."user_secrets" ADD CONSTRAINT "user_secrets_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "identity"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity"."user_settings" ADD CONSTRAINT "user_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "identity"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_log_at_idx" ON "identity"."action_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "action_log_user_idx" ON "identity"."action_log" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "action_log_org_idx" ON "identity"."action_log" USING btree ("org_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "identity"."api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_user_idx" ON "identity"."api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "deletion_requests_due_idx" ON "identity"."deletion_requests" USING btree ("status","execute_after");--> statement-breakpoint
CREATE UNIQUE INDEX "deletion_requests_one_open_key" ON "identity"."deletion_requests" USING btree ("user_id") WHERE "identity"."deletion_requests"."status" in ('pending', 'processing');--> statement-breakpoint
CREATE UNIQUE INDEX "device_profiles_user_fingerprint_key" ON "identity"."device_profiles" USING btree ("user_id","fingerprint");--> statement-breakpoint
CREATE INDEX "feedback_status_idx" ON "identity"."feedback" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "oauth_accounts_provider_subject_key" ON "identity"."oauth_accounts" USING btree ("provider","subject");--> statement-breakpoint
CREATE INDEX "oauth_accounts_user_idx" ON "identity"."oauth_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "org_memberships_user_idx" ON "identity"."org_memberships" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_domain_key" ON "identity"."organizations" USING btree (lower("domain"));--> statement-breakpoint
CREATE INDEX "phone_codes_phone_idx" ON "identity"."phone_codes" USING btree ("phone_hash","created_at");--> statement-breakpoint
CREATE INDEX "phone_codes_ip_idx" ON "identity"."phone_codes" USING btree ("ip_hash","created_at");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "identity"."sessions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "team_memberships_user_idx" ON "identity"."team_memberships" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_org_name_key" ON "identity"."teams" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "user_secrets_lookup_key" ON "identity"."user_secrets" USING btree ("lookup_hash");--> statement-breakpoint
CREATE INDEX "user_secrets_session_idx" ON "identity"."user_secrets" USING btree ("session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "identity"."users" USING btree (lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "identity"."users" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_hash_key" ON "identity"."users" USING btree ("phone_hash");--> statement-breakpoint
CREATE INDEX "users_created_idx" ON "identity"."users" USING btree ("created_at","id");