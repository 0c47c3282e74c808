CREATE SCHEMA "knowledge";
--> statement-breakpoint
CREATE TABLE "knowledge"."agent_knowledge_bases" (
	"agent_id" uuid NOT NULL,
	"knowledge_base_id" uuid NOT NULL,
	"weight" real DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_knowledge_bases_agent_id_knowledge_base_id_pk" PRIMARY KEY("agent_id","knowledge_base_id")
);
--> statement-breakpoint
CREATE TABLE "knowledge"."chunks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"knowledge_base_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"text" text NOT NULL,
	"kind" varchar(16) NOT NULL,
	"location" jsonb NOT NULL,
	"token_count" integer NOT NULL,
	"term_count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chunks_kind_check" CHECK ("knowledge"."chunks"."kind" in ('text', 'table', 'image-caption'))
);
--> statement-breakpoint
CREATE TABLE "knowledge"."documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"knowledge_base_id" uuid NOT NULL,
	"org_id" uuid,
	"owner_user_id" uuid NOT NULL,
	"filename" varchar(500) NOT NULL,
	"storage_key" varchar(500) NOT NULL,
	"size_bytes" bigint NOT NULL,
	"mime_type" varchar(200) NOT NULL,
	"content_hash" varchar(64) NOT NULL,
	"status" varchar(16) NOT NULL,
	"failure_reason" varchar(1000),
	"progress" smallint DEFAULT 0 NOT NULL,
	"page_count" integer,
	"sheet_count" integer,
	"slide_count" integer,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"processed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "documents_status_check" CHECK ("knowledge"."documents"."status" in ('pending', 'processing', 'completed', 'failed')),
	CONSTRAINT "documents_progress_check" CHECK ("knowledge"."documents"."progress" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "knowledge"."ingest_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "knowledge"."ingest_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"document_id" uuid NOT NULL,
	"event" varchar(16) NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "knowledge"."knowledge_bases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid,
	"owner_user_id" uuid NOT NULL,
	"name" varchar(200) NOT NULL,
	"description" text,
	"embedding_model" varchar(160) NOT NULL,
	"chunk_strategy" varchar(16) DEFAULT 'auto' NOT NULL,
	"chunk_size" integer DEFAULT 500 NOT NULL,
	"chunk_overlap" integer DEFAULT 50 NOT NULL,
	"document_count" integer DEFAULT 0 NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"total_terms" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "knowledge_bases_strategy_check" CHECK ("knowledge"."knowledge_bases"."chunk_strategy" in ('auto', 'fixed', 'paragraph', 'table')),
	CONSTRAINT "knowledge_bases_chunk_check" CHECK ("knowledge"."knowledge_bases"."chunk_size" between 50 and 8000 and "knowledge"."knowledge_bases"."chunk_overlap" >= 0 and "knowledge"."knowledge_bases"."chunk_overlap" < "knowledge"."knowledge_bases"."chunk_size")
);
--> statement-breakpoint
CREATE TABLE "knowledge"."postings" (
	"knowledge_base_id" uuid NOT NULL,
	"term" varchar(64) NOT NULL,
	"chunk_id" uuid NOT NULL,
	"tf" smallint NOT NULL,
	"term_count" integer NOT NULL,
	CONSTRAINT "postings_knowledge_base_id_term_chunk_id_pk" PRIMARY KEY("knowledge_base_id","term","chunk_id")
);
--> statement-breakpoint
CREATE TABLE "knowledge"."shares" (
	"knowledge_base_id" uuid NOT NULL,
	"subject_kind" varchar(8) NOT NULL,
	"subject_id" uuid NOT NULL,
	"permission" varchar(8) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shares_knowledge_base_id_subject_kind_subject_id_pk" PRIMARY KEY("knowledge_base_id","subject_kind","subject_id"),
	CONSTRAINT "shares_kind_check" CHECK ("knowledge"."shares"."subject_kind" in ('user', 'team')),
	CONSTRAINT "shares_permission_check" CHECK ("knowledge"."shares"."permission" in ('read', 'write'))
);
--> statement-breakpoint
ALTER TABLE "knowledge"."agent_knowledge_bases" ADD CONSTRAINT "agent_knowledge_bases_knowledge_base_id_knowledge_bases_id_fk" FOREIGN KEY ("knowledge_base_id") REFERENCES "knowledge"."knowledge_bases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge"."chunks" ADD CONSTRAINT "chunks_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "knowledge"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge"."documents" ADD CONSTRAINT "documents_knowledge_base_id_knowledge_bases_id_fk" FOREIGN KEY ("knowledge_base_id") REFERENCES "knowledge"."knowledge_bases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge"."postings" ADD CONSTRAINT "postings_chunk_id_chunks_id_fk" FOREIGN KEY ("chunk_id") REFERENCES "knowledge"."chunks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge"."shares" ADD CONSTRAINT "shares_knowledge_base_id_knowledge_bases_id_fk" FOREIGN KEY ("knowledge_base_id") REFERENCES "knowledge"."knowledge_bases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chunks_document_ordinal_key" ON "knowledge"."chunks" USING btree ("document_id","ordinal");--> statement-breakpoint
CREATE INDEX "chunks_base_idx" ON "knowledge"."chunks" USING btree ("knowledge_base_id");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_base_hash_key" ON "knowledge"."documents" USING btree ("knowledge_base_id","content_hash") WHERE "knowledge"."documents"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "documents_base_idx" ON "knowledge"."documents" USING btree ("knowledge_base_id","created_at");--> statement-breakpoint
CREATE INDEX "documents_org_idx" ON "knowledge"."documents" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "documents_deleted_idx" ON "knowledge"."documents" USING btree ("deleted_at") WHERE "knowledge"."documents"."deleted_at" is not null;--> statement-breakpoint
CREATE INDEX "ingest_events_document_idx" ON "knowledge"."ingest_events" USING btree ("document_id","id");--> statement-breakpoint
CREATE INDEX "knowledge_bases_org_idx" ON "knowledge"."knowledge_bases" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "knowledge_bases_owner_idx" ON "knowledge"."knowledge_bases" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "postings_chunk_idx" ON "knowledge"."postings" USING btree ("chunk_id");--> statement-breakpoint
CREATE INDEX "shares_subject_idx" ON "knowledge"."shares" USING btree ("subject_kind","subject_id");