import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../../../../kernel/db/index.js';
import { indexChunks, storeEmbeddings, unindexDocument } from '../indexer.js';

/**
 * Knowledge bases, documents and chunks written straight into the tables, then indexed with the
 * real indexer: for search's tests, `keel eval search` and the benchmark, which need searchable
 * rows without uploads, storage or jobs. Production rows come from the documents side.
 */

export interface SeedChunk {
  text: string;
  kind?: 'text' | 'table' | 'image-caption';
  location?: Record<string, unknown>;
}

export interface SeedDocument {
  id?: string;
  filename?: string;
  mimeType?: string;
  createdAt?: Date;
  chunks: ReadonlyArray<string | SeedChunk>;
}

export interface SeededDocument {
  documentId: string;
  chunkIds: string[];
}

export async function createBase(
  conn: SqlConnection,
  options: { id?: string; name?: string; orgId?: string | null } = {},
): Promise<string> {
  const id = options.id ?? randomUUID();
  await conn.query(
    `insert into knowledge.knowledge_bases (id, org_id, owner_user_id, name, embedding_model)
     values ($1, $2, $3, $4, 'keel-offline/keel-hashed-text-1')`,
    [id, options.orgId ?? null, randomUUID(), options.name ?? `base ${id.slice(0, 8)}`],
  );
  return id;
}

/**
 * Inserts completed documents with their chunks (batched), indexes them for BM25 and, with
 * `embed`, stores their embeddings. Run it inside a transaction for speed and atomicity.
 */
export async function addDocuments(
  tx: SqlConnection,
  baseId: string,
  documents: readonly SeedDocument[],
  options: { embed?: (text: string) => Float32Array } = {},
): Promise<SeededDocument[]> {
  const docs = {
    id: [] as string[],
    filename: [] as string[],
    mime: [] as string[],
    created: [] as string[],
  };
  const chunks = {
    id: [] as string[],
    doc: [] as string[],
    ordinal: [] as number[],
    text: [] as string[],
    kind: [] as string[],
    location: [] as string[],
  };
  const seeded: SeededDocument[] = [];
  for (const [i, document] of documents.entries()) {
    const documentId = document.id ?? randomUUID();
    docs.id.push(documentId);
    docs.filename.push(document.filename ?? `document-${i + 1}.txt`);
    docs.mime.push(document.mimeType ?? 'text/plain');
    docs.created.push((document.createdAt ?? new Date()).toISOString());
    const chunkIds: string[] = [];
    for (const [ordinal, chunk] of document.chunks.entries()) {
      const c = typeof chunk === 'string' ? { text: chunk } : chunk;
      const id = randomUUID();
      chunkIds.push(id);
      chunks.id.push(id);
      chunks.doc.push(documentId);
      chunks.ordinal.push(ordinal);
      chunks.text.push(c.text);
      chunks.kind.push(c.kind ?? 'text');
      chunks.location.push(JSON.stringify(c.location ?? { line: ordinal + 1 }));
    }
    seeded.push({ documentId, chunkIds });
  }
  await tx.query(
    `insert into knowledge.documents
       (id, knowledge_base_id, owner_user_id, filename, storage_key, size_bytes, mime_type, content_hash,
        status, progress, chunk_count, created_at, processed_at)
     select d.id, $1, $2, d.filename, 'seed/' || d.id, 0, d.mime, md5(d.id::text) || md5(d.filename),
            'completed', 100, 0, d.created, now()
     from unnest($3::uuid[], $4::text[], $5::text[], $6::timestamptz[]) as d(id, filename, mime, created)`,
    [baseId, randomUUID(), docs.id, docs.filename, docs.mime, docs.created],
  );
  await tx.query(
    `insert into knowledge.chunks (id, document_id, knowledge_base_id, ordinal, text, kind, location, token_count, term_count)
     select c.id, c.doc, $1, c.ordinal, c.text, c.kind, c.location::jsonb, 0, 0
     from unnest($2::uuid[], $3::uuid[], $4::int4[], $5::text[], $6::text[], $7::text[])
       as c(id, doc, ordinal, text, kind, location)`,
    [baseId, chunks.id, chunks.doc, chunks.ordinal, chunks.text, chunks.kind, chunks.location],
  );
  await tx.query(
    `update knowledge.documents as d set chunk_count = n.count
     from (select document_id, count(*)::int as count from knowledge.chunks
           where document_id = any($1::uuid[]) group by document_id) as n
     where d.id = n.document_id`,
    [docs.id],
  );
  await indexChunks(
    tx,
    chunks.id.map((id, i) => ({ id, knowledgeBaseId: baseId, text: chunks.text[i] as string })),
  );
  const embed = options.embed;
  if (embed) {
    await storeEmbeddings(
      tx,
      chunks.id.map((id, i) => ({
        chunkId: id,
        knowledgeBaseId: baseId,
        embedding: embed(chunks.text[i] as string),
      })),
    );
  }
  return seeded;
}

/** Soft delete as the documents side does it: the flag, then the index entries. */
export async function softDeleteDocument(tx: SqlConnection, documentId: string): Promise<void> {
  await tx.query('update knowledge.documents set deleted_at = now() where id = $1', [documentId]);
  await unindexDocument(tx, documentId);
}
