import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, updatedAtColumn } from '../../kernel/db/columns.js';

/**
 * Knowledge bases, documents, chunks and the search indexes (seeds 003 §4 DOCS, 002
 * `knowledge_bases`, `documents`, `agent_knowledgebases`). User, org and team ids are plain
 * columns: identity owns those rows. Chunk embeddings live in `chunk_embeddings`, created by a
 * migration only where pgvector exists (no drizzle table, like llm's semantic cache).
 */
export const knowledgeSchema = pgSchema('knowledge');

const created = createdAtColumn;
const updated = updatedAtColumn;

export const knowledgeBases = knowledgeSchema.table(
  'knowledge_bases',
  {
    id: uuid('id').primaryKey(),
    /** The org that owns it, or null for a personal base (owner only). */
    orgId: uuid('org_id'),
    ownerUserId: uuid('owner_user_id').notNull(),
    name: varchar('name', { length: 200 }).notNull(),
    description: text('description'),
    /** The embedding space its chunks are embedded in (llm's `text` space, 1536 dims). */
    embeddingModel: varchar('embedding_model', { length: 160 }).notNull(),
    chunkStrategy: varchar('chunk_strategy', { length: 16 }).notNull().default('auto'),
    chunkSize: integer('chunk_size').notNull().default(500),
    chunkOverlap: integer('chunk_overlap').notNull().default(50),
    documentCount: integer('document_count').notNull().default(0),
    chunkCount: integer('chunk_count').notNull().default(0),
    /** Sum of the indexed chunks' lengths in terms: BM25's average document length is this / chunk_count. */
    totalTerms: bigint('total_terms', { mode: 'number' }).notNull().default(0),
    createdAt: created(),
    updatedAt: updated(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('knowledge_bases_org_idx').on(t.orgId),
    index('knowledge_bases_owner_idx').on(t.ownerUserId),
    check(
      'knowledge_bases_strategy_check',
      sql`${t.chunkStrategy} in ('auto', 'fixed', 'paragraph', 'table')`,
    ),
    check(
      'knowledge_bases_chunk_check',
      sql`${t.chunkSize} between 50 and 8000 and ${t.chunkOverlap} >= 0 and ${t.chunkOverlap} < ${t.chunkSize}`,
    ),
  ],
);

export const documents = knowledgeSchema.table(
  'documents',
  {
    id: uuid('id').primaryKey(),
    knowledgeBaseId: uuid('knowledge_base_id')
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: 'cascade' }),
    orgId: uuid('org_id'),
    ownerUserId: uuid('owner_user_id').notNull(),
    filename: varchar('filename', { length: 500 }).notNull(),
    /** Where the bytes are: a key in the configured storage (local disk or S3). */
    storageKey: varchar('storage_key', { length: 500 }).notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** Detected from the content, not from the file name. */
    mimeType: varchar('mime_type', { length: 200 }).notNull(),
    /** SHA-256 of the bytes: the same content twice in one base is refused. */
    contentHash: varchar('content_hash', { length: 64 }).notNull(),
    /** pending → processing → completed | failed */
    status: varchar('status', { length: 16 }).notNull(),
    /** Why it failed, for the uploader (`the PDF is encrypted; …`). */
    failureReason: varchar('failure_reason', { length: 1000 }),
    /** The failure as a stable code: an extraction reason (`encrypted`, `zip_bomb`, …) or `internal`. */
    failureCode: varchar('failure_code', { length: 16 }),
    /** 0–100 while processing. */
    progress: smallint('progress').notNull().default(0),
    pageCount: integer('page_count'),
    sheetCount: integer('sheet_count'),
    slideCount: integer('slide_count'),
    chunkCount: integer('chunk_count').notNull().default(0),
    metadata: jsonb('metadata').notNull().default({}),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    createdAt: created(),
    updatedAt: updated(),
    /** Soft delete: hidden from lists and search at once, purged later. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('documents_base_hash_key')
      .on(t.knowledgeBaseId, t.contentHash)
      .where(sql`${t.deletedAt} is null`),
    index('documents_base_idx').on(t.knowledgeBaseId, t.createdAt),
    index('documents_org_idx').on(t.orgId, t.createdAt),
    index('documents_deleted_idx').on(t.deletedAt).where(sql`${t.deletedAt} is not null`),
    check('documents_status_check', sql`${t.status} in ('pending', 'processing', 'completed', 'failed')`),
    check('documents_progress_check', sql`${t.progress} between 0 and 100`),
  ],
);

export const chunks = knowledgeSchema.table(
  'chunks',
  {
    id: uuid('id').primaryKey(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    knowledgeBaseId: uuid('knowledge_base_id').notNull(),
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    /** text | table | image-caption */
    kind: varchar('kind', { length: 16 }).notNull(),
    /** `{page}`, `{sheet, range}`, `{slide, part}`, `{image}`, `{line}` (see extract.types.ts). */
    location: jsonb('location').notNull(),
    tokenCount: integer('token_count').notNull(),
    /** Terms after tokenizing (BM25's document length). */
    termCount: integer('term_count').notNull(),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('chunks_document_ordinal_key').on(t.documentId, t.ordinal),
    index('chunks_base_idx').on(t.knowledgeBaseId),
    check('chunks_kind_check', sql`${t.kind} in ('text', 'table', 'image-caption')`),
  ],
);

/**
 * The BM25 inverted index: one row per term and chunk of a live document (rows of a deleted
 * document are removed at once). `term_count` is repeated from the chunk so scoring reads only
 * this table: `(knowledge_base_id, term)` gives each query term's postings in one range scan.
 */
export const postings = knowledgeSchema.table(
  'postings',
  {
    knowledgeBaseId: uuid('knowledge_base_id').notNull(),
    term: varchar('term', { length: 64 }).notNull(),
    chunkId: uuid('chunk_id')
      .notNull()
      .references(() => chunks.id, { onDelete: 'cascade' }),
    tf: smallint('tf').notNull(),
    termCount: integer('term_count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.knowledgeBaseId, t.term, t.chunkId] }),
    index('postings_chunk_idx').on(t.chunkId),
  ],
);

/** Sharing a base with a user or a team (seed 003 §4.7 share). */
export const shares = knowledgeSchema.table(
  'shares',
  {
    knowledgeBaseId: uuid('knowledge_base_id')
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: 'cascade' }),
    /** user | team */
    subjectKind: varchar('subject_kind', { length: 8 }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    /** read | write */
    permission: varchar('permission', { length: 8 }).notNull(),
    createdBy: uuid('created_by'),
    createdAt: created(),
  },
  (t) => [
    primaryKey({ columns: [t.knowledgeBaseId, t.subjectKind, t.subjectId] }),
    index('shares_subject_idx').on(t.subjectKind, t.subjectId),
    check('shares_kind_check', sql`${t.subjectKind} in ('user', 'team')`),
    check('shares_permission_check', sql`${t.permission} in ('read', 'write')`),
  ],
);

/** Seed 002 `agent_knowledgebases`: which bases an agent may search (agents are another module's rows). */
export const agentKnowledgeBases = knowledgeSchema.table(
  'agent_knowledge_bases',
  {
    agentId: uuid('agent_id').notNull(),
    knowledgeBaseId: uuid('knowledge_base_id')
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: 'cascade' }),
    /** Weight of this base's hits when an agent searches several. */
    weight: real('weight').notNull().default(1),
    createdAt: created(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.knowledgeBaseId] })],
);

/** Updated when a base's chunks change, for the console; never read by search. */
export const ingestEvents = knowledgeSchema.table(
  'ingest_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    documentId: uuid('document_id').notNull(),
    /** queued | started | extracted | chunked | embedded | indexed | failed | deleted | restored | purged */
    event: varchar('event', { length: 16 }).notNull(),
    detail: jsonb('detail').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ingest_events_document_idx').on(t.documentId, t.id)],
);

/**
 * Storage objects whose rows are gone but whose bytes may remain (a base erased with its user, a
 * purge that could not reach the storage): the purge job deletes each object, then its row. Rows
 * are written in the transaction that drops the documents, so no file is ever forgotten.
 */
export const storageOrphans = knowledgeSchema.table('storage_orphans', {
  storageKey: varchar('storage_key', { length: 500 }).primaryKey(),
  createdAt: created(),
});
