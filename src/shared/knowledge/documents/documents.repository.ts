import type { SqlConnection } from '../../../kernel/db/index.js';
import { readableBase, type Scope } from '../bases/bases.repository.js';
import { beforePosition, decodeCursor, type Page, Params, pageOf, positionColumn } from '../bases/keyset.js';
import type { ChunkKind, ChunkLocation } from '../chunking/index.js';

export type DocumentStatus = 'pending' | 'processing' | 'completed' | 'failed';

export interface DocumentRow {
  id: string;
  knowledgeBaseId: string;
  orgId: string | null;
  ownerUserId: string;
  filename: string;
  storageKey: string;
  sizeBytes: number;
  mimeType: string;
  contentHash: string;
  status: DocumentStatus;
  failureReason: string | null;
  failureCode: string | null;
  progress: number;
  pageCount: number | null;
  sheetCount: number | null;
  slideCount: number | null;
  chunkCount: number;
  metadata: Record<string, unknown>;
  processedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  cursorMicros: string;
}

export const documentColumns = `d.id, d.knowledge_base_id as "knowledgeBaseId", d.org_id as "orgId",
  d.owner_user_id as "ownerUserId", d.filename, d.storage_key as "storageKey", d.size_bytes::float8 as "sizeBytes",
  d.mime_type as "mimeType", d.content_hash as "contentHash", d.status, d.failure_reason as "failureReason",
  d.failure_code as "failureCode", d.progress, d.page_count as "pageCount", d.sheet_count as "sheetCount",
  d.slide_count as "slideCount", d.chunk_count as "chunkCount", d.metadata, d.processed_at as "processedAt",
  d.created_at as "createdAt", d.updated_at as "updatedAt", d.deleted_at as "deletedAt", ${positionColumn('d')}`;

/** The ingest_events vocabulary (knowledge.tables.ts). */
export type IngestEvent =
  | 'queued'
  | 'started'
  | 'extracted'
  | 'chunked'
  | 'embedded'
  | 'indexed'
  | 'failed'
  | 'deleted'
  | 'restored'
  | 'purged';

export async function recordEvent(
  conn: SqlConnection,
  documentId: string,
  event: IngestEvent,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await conn.query(
    `insert into knowledge.ingest_events (document_id, event, detail) values ($1, $2, $3::text::jsonb)`,
    [documentId, event, JSON.stringify(detail)],
  );
}

export interface NewDocument {
  id: string;
  knowledgeBaseId: string;
  orgId: string | null;
  ownerUserId: string;
  filename: string;
  storageKey: string;
  sizeBytes: number;
  mimeType: string;
  contentHash: string;
}

export async function insertDocument(conn: SqlConnection, doc: NewDocument): Promise<void> {
  await conn.query(
    `insert into knowledge.documents
       (id, knowledge_base_id, org_id, owner_user_id, filename, storage_key, size_bytes, mime_type, content_hash, status)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')`,
    [
      doc.id,
      doc.knowledgeBaseId,
      doc.orgId,
      doc.ownerUserId,
      doc.filename,
      doc.storageKey,
      doc.sizeBytes,
      doc.mimeType,
      doc.contentHash,
    ],
  );
}

/** A document by id, deleted or not; access is the caller's business (through its base). */
export async function findDocument(
  conn: SqlConnection,
  id: string,
  options: { lock?: boolean } = {},
): Promise<DocumentRow | null> {
  const [row] = await conn.query<DocumentRow>(
    `select ${documentColumns} from knowledge.documents d where d.id = $1 ${options.lock ? 'for update' : ''}`,
    [id],
  );
  return row ?? null;
}

/** The live document of the base with this content, if any (the same file uploaded twice). */
export async function liveDuplicate(
  conn: SqlConnection,
  baseId: string,
  contentHash: string,
  exceptId?: string,
): Promise<{ id: string; filename: string } | null> {
  const [row] = await conn.query<{ id: string; filename: string }>(
    `select id, filename from knowledge.documents
     where knowledge_base_id = $1 and content_hash = $2 and deleted_at is null and id <> coalesce($3::uuid, '00000000-0000-0000-0000-000000000000')`,
    [baseId, contentHash, exceptId ?? null],
  );
  return row ?? null;
}

export interface DocumentFilters {
  knowledgeBaseId?: string;
  status?: DocumentStatus;
  mimeType?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** true: the trash (deleted, not yet purged) instead of live documents. */
  deleted?: boolean;
}

/** Documents in the bases the scope may read, newest first. */
export async function listDocuments(
  conn: SqlConnection,
  scope: Scope,
  filters: DocumentFilters,
  query: { limit: number; cursor?: string },
): Promise<Page<DocumentRow>> {
  const p = new Params();
  const where = [
    readableBase(p, scope),
    filters.deleted ? 'd.deleted_at is not null' : 'd.deleted_at is null',
  ];
  if (filters.knowledgeBaseId) where.push(`d.knowledge_base_id = ${p.add(filters.knowledgeBaseId)}::uuid`);
  if (filters.status) where.push(`d.status = ${p.add(filters.status)}`);
  if (filters.mimeType) where.push(`d.mime_type = ${p.add(filters.mimeType)}`);
  if (filters.createdFrom) where.push(`d.created_at >= ${p.add(filters.createdFrom)}::timestamptz`);
  if (filters.createdTo) where.push(`d.created_at < ${p.add(filters.createdTo)}::timestamptz`);
  if (query.cursor) {
    const at = decodeCursor(query.cursor);
    where.push(beforePosition('d', p.add(at.micros), p.add(at.id)));
  }
  const rows = await conn.query<DocumentRow>(
    `select ${documentColumns} from knowledge.documents d
     join knowledge.knowledge_bases b on b.id = d.knowledge_base_id
     where ${where.join(' and ')}
     order by d.created_at desc, d.id desc limit ${p.add(query.limit + 1)}`,
    p.values,
  );
  return pageOf(rows, query.limit);
}

export async function setDeleted(conn: SqlConnection, id: string, deleted: boolean): Promise<void> {
  await conn.query(
    `update knowledge.documents set deleted_at = ${deleted ? 'now()' : 'null'}, updated_at = now() where id = $1`,
    [id],
  );
}

/** Live documents of a base (deleting the base deletes them). */
export async function liveDocumentIds(conn: SqlConnection, baseId: string): Promise<string[]> {
  const rows = await conn.query<{ id: string }>(
    `select id from knowledge.documents where knowledge_base_id = $1 and deleted_at is null for update`,
    [baseId],
  );
  return rows.map((r) => r.id);
}

// ——— chunks ———

export interface ChunkRow {
  id: string;
  ordinal: number;
  kind: ChunkKind;
  location: ChunkLocation;
  text: string;
  tokenCount: number;
}

export interface NewChunk {
  id: string;
  ordinal: number;
  text: string;
  kind: ChunkKind;
  location: ChunkLocation;
  tokenCount: number;
  termCount: number;
}

/** Inserts chunks with one statement per `batchSize` rows. */
export async function insertChunks(
  conn: SqlConnection,
  documentId: string,
  baseId: string,
  chunks: readonly NewChunk[],
  batchSize = 500,
): Promise<void> {
  for (let start = 0; start < chunks.length; start += batchSize) {
    const batch = chunks.slice(start, start + batchSize);
    await conn.query(
      `insert into knowledge.chunks (id, document_id, knowledge_base_id, ordinal, text, kind, location, token_count, term_count)
       select c.id, $1, $2, c.ordinal, c.text, c.kind, c.location::jsonb, c.token_count, c.term_count
       from unnest($3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[])
         as c(id, ordinal, text, kind, location, token_count, term_count)`,
      [
        documentId,
        baseId,
        batch.map((c) => c.id),
        batch.map((c) => c.ordinal),
        batch.map((c) => c.text),
        batch.map((c) => c.kind),
        batch.map((c) => JSON.stringify(c.location)),
        batch.map((c) => c.tokenCount),
        batch.map((c) => c.termCount),
      ],
    );
  }
}

export async function deleteChunks(conn: SqlConnection, documentId: string): Promise<void> {
  await conn.query('delete from knowledge.chunks where document_id = $1', [documentId]);
}

/** One page of a document's chunks in order, after `afterOrdinal`. */
export async function chunkPage(
  conn: SqlConnection,
  documentId: string,
  afterOrdinal: number,
  limit: number,
): Promise<ChunkRow[]> {
  return conn.query<ChunkRow>(
    `select id, ordinal, kind, location, text, token_count as "tokenCount" from knowledge.chunks
     where document_id = $1 and ordinal > $2 order by ordinal limit $3`,
    [documentId, afterOrdinal, limit],
  );
}

/** Every chunk's id and text (restoring re-indexes them). */
export async function chunkTexts(
  conn: SqlConnection,
  documentId: string,
): Promise<Array<{ id: string; text: string }>> {
  return conn.query(`select id, text from knowledge.chunks where document_id = $1 order by ordinal`, [
    documentId,
  ]);
}

/** The document's outcome when it cannot be read: its chunks go, the reason stays. */
export async function markFailed(
  conn: SqlConnection,
  id: string,
  code: string,
  message: string,
): Promise<void> {
  await deleteChunks(conn, id);
  await conn.query(
    `update knowledge.documents set status = 'failed', failure_code = $2, failure_reason = $3, progress = 0,
       chunk_count = 0, processed_at = now(), updated_at = now() where id = $1`,
    [id, code.slice(0, 16), message.slice(0, 1000)],
  );
  await recordEvent(conn, id, 'failed', { reason: code, message: message.slice(0, 1000) });
}
