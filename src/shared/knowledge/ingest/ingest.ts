import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Database } from '../../../kernel/db/index.js';
import { isKeelError } from '../../../kernel/errors/index.js';
import type { JobResult } from '../../../kernel/jobs/index.js';
import type { Log } from '../../../kernel/log/index.js';
import { type Chunk, type ChunkStrategy, chunkDocument } from '../chunking/index.js';
import {
  type DocumentRow,
  deleteChunks,
  findDocument,
  insertChunks,
  markFailed,
  recordEvent,
} from '../documents/documents.repository.js';
import type { SearchPort } from '../documents/search-port.js';
import { detectType, type ExtractedDocument, extractDocument, isExtractionError } from '../extract/index.js';
import type { DocumentStorage } from '../storage/index.js';
import { type Embed, embedAll } from './embed.js';

/** Progress (0–100) at the end of each stage; extraction reports inside its span. */
const STAGE = { extracted: 60, chunked: 65, embedded: 90 } as const;

export interface IngestRun {
  signal: AbortSignal;
  /** 0 on the first attempt. */
  retryCount: number;
}

/**
 * The ingest pipeline of one document (job `knowledge.ingest`): pending → processing → completed
 * | failed. Each attempt starts clean (chunks and index entries of an earlier, interrupted attempt
 * are removed first), reads the file, detects its type again from all of it, extracts with
 * progress, chunks with its base's settings, embeds in batches and writes chunks, postings and
 * vectors in one transaction. A bad file fails the document with the extractor's reason; other
 * errors are retried, and the last attempt fails the document rather than the job.
 */
export interface Ingest {
  run(documentId: string, run: IngestRun): Promise<JobResult>;
}

interface BaseSettings {
  chunkStrategy: ChunkStrategy;
  chunkSize: number;
  chunkOverlap: number;
}

export function createIngest(deps: {
  db: Database;
  log: Log;
  storage: DocumentStorage;
  search: SearchPort;
  embed: Embed;
  /** Attempts after the first (the job's retryLimit): the last one fails the document instead of throwing. */
  retryLimit: number;
}): Ingest {
  const { db, log, storage, search, embed } = deps;

  async function fail(doc: DocumentRow, code: string, message: string): Promise<void> {
    await db.transaction(async (tx) => {
      // Only chunks of this attempt can exist, and none are indexed: a failed attempt indexes nothing.
      await markFailed(tx, doc.id, code, message);
    });
  }

  function progressWriter(documentId: string) {
    let written = 0;
    let queue: Promise<unknown> = Promise.resolve();
    return {
      report(percent: number) {
        const value = Math.max(0, Math.min(99, Math.floor(percent)));
        if (value < written + 2) return;
        written = value;
        queue = queue
          .then(() =>
            db.query(
              `update knowledge.documents set progress = $2, updated_at = now()
               where id = $1 and status = 'processing' and progress < $2`,
              [documentId, value],
            ),
          )
          .catch((error: unknown) => log.warn({ err: error, documentId }, 'could not record progress'));
      },
      flush: () => queue,
    };
  }

  async function start(doc: DocumentRow, attempt: number): Promise<BaseSettings | null> {
    return db.transaction(async (tx) => {
      const [base] = await tx.query<BaseSettings & { deleted: boolean }>(
        `select chunk_strategy as "chunkStrategy", chunk_size as "chunkSize", chunk_overlap as "chunkOverlap",
           deleted_at is not null as deleted
         from knowledge.knowledge_bases where id = $1`,
        [doc.knowledgeBaseId],
      );
      const current = await findDocument(tx, doc.id, { lock: true });
      if (!base || base.deleted || !current || current.deletedAt) return null;
      if (current.status !== 'pending' && current.status !== 'processing') return null;
      // Whatever an interrupted attempt left: its index entries, then its chunks.
      await search.unindexDocument(tx, doc.id);
      await deleteChunks(tx, doc.id);
      await tx.query(
        `update knowledge.documents set status = 'processing', progress = 0, failure_code = null, failure_reason = null,
           chunk_count = 0, updated_at = now() where id = $1`,
        [doc.id],
      );
      await recordEvent(tx, doc.id, 'started', { attempt });
      return base;
    });
  }

  async function readAll(stream: Readable): Promise<Uint8Array> {
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    return new Uint8Array(Buffer.concat(parts));
  }

  async function run(documentId: string, { signal, retryCount }: IngestRun): Promise<JobResult> {
    const doc = await findDocument(db, documentId);
    if (!doc) return { status: 'skipped', reason: 'no such document' };
    const settings = await start(doc, retryCount + 1);
    if (!settings)
      return { status: 'skipped', reason: `the document is ${doc.deletedAt ? 'deleted' : doc.status}` };
    const progress = progressWriter(documentId);
    const timings: Record<string, number> = {};
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        timings[name] = Math.round(performance.now() - started);
      }
    };
    try {
      const bytes = await timed('read', async () => readAll(await storage.get(doc.storageKey)));
      // The upload saw only the file's ends; the whole file decides (JSON beyond 64 KB, ...).
      const type = detectType(bytes, doc.filename);
      if (type.mime !== doc.mimeType && type.kind !== 'unsupported' && type.kind !== 'encrypted') {
        await db.query('update knowledge.documents set mime_type = $2 where id = $1', [
          documentId,
          type.mime,
        ]);
      }
      const extracted: ExtractedDocument = await timed('extract', () =>
        extractDocument(bytes, {
          mime: type.mime,
          filename: doc.filename,
          signal,
          onProgress: (fraction) => progress.report(fraction * STAGE.extracted),
        }),
      );
      await recordEvent(db, documentId, 'extracted', {
        kind: extracted.kind,
        blocks: extracted.blocks.length,
        ms: timings.extract,
      });
      progress.report(STAGE.extracted);

      const chunks = await timed('chunk', async () =>
        chunkDocument(extracted, {
          strategy: settings.chunkStrategy,
          chunkSize: settings.chunkSize,
          overlap: settings.chunkOverlap,
        }),
      );
      if (chunks.length === 0) {
        await progress.flush();
        await fail(doc, 'no_text', 'no text was found in the file');
        return { status: 'done', outcome: 'failed', reason: 'no_text' };
      }
      await recordEvent(db, documentId, 'chunked', { chunks: chunks.length, ms: timings.chunk });
      progress.report(STAGE.chunked);

      const vectorsOn = await search.vectorSearchAvailable(db);
      const embedded = vectorsOn
        ? await timed('embed', () =>
            embedAll(
              embed,
              chunks.map((c) => c.text),
              { userId: doc.ownerUserId, orgId: doc.orgId, planKey: null },
              {
                signal,
                onBatch: (fraction) =>
                  progress.report(STAGE.chunked + fraction * (STAGE.embedded - STAGE.chunked)),
              },
            ),
          )
        : null;
      if (embedded) {
        await recordEvent(db, documentId, 'embedded', {
          chunks: embedded.vectors.length,
          model: embedded.model,
          cached: embedded.cached,
          ms: timings.embed,
        });
      }
      progress.report(STAGE.embedded);
      await progress.flush();

      const stored = await timed('index', () => store(doc, extracted, chunks, embedded, settings, timings));
      if (!stored) return { status: 'skipped', reason: 'the document was deleted while it was processed' };
      return { status: 'done', outcome: 'completed', chunks: chunks.length, timings };
    } catch (error) {
      await progress.flush();
      if (isExtractionError(error)) {
        await fail(doc, error.reason, error.message);
        return { status: 'done', outcome: 'failed', reason: error.reason };
      }
      if (isKeelError(error) && error.code === 'not_found') {
        await fail(doc, 'file_missing', 'the uploaded file is missing from storage; upload it again');
        return { status: 'done', outcome: 'failed', reason: 'file_missing' };
      }
      // A shutdown hands the job back to the queue: not the document's fault.
      if (signal.aborted) throw error;
      if (retryCount >= deps.retryLimit) {
        log.error({ err: error, documentId }, 'ingest failed on its last attempt');
        await fail(
          doc,
          'internal',
          `processing failed after ${retryCount + 1} attempts; upload the file again later`,
        );
        return { status: 'done', outcome: 'failed', reason: 'internal' };
      }
      log.warn(
        { err: error, documentId, attempt: retryCount + 1 },
        'ingest attempt failed; it will be retried',
      );
      throw error;
    }
  }

  /** One transaction: chunks, postings, vectors and the document's outcome; false when it was deleted meanwhile. */
  async function store(
    doc: DocumentRow,
    extracted: ExtractedDocument,
    chunks: Chunk[],
    embedded: Awaited<ReturnType<typeof embedAll>> | null,
    settings: BaseSettings,
    timings: Record<string, number>,
  ): Promise<boolean> {
    const rows = chunks.map((chunk) => ({ ...chunk, id: randomUUID(), termCount: 0 }));
    return db.transaction(async (tx) => {
      const current = await findDocument(tx, doc.id, { lock: true });
      if (!current || current.deletedAt || current.status !== 'processing') return false;
      await insertChunks(tx, doc.id, doc.knowledgeBaseId, rows);
      await search.indexChunks(
        tx,
        rows.map((r) => ({ id: r.id, knowledgeBaseId: doc.knowledgeBaseId, text: r.text })),
      );
      if (embedded) {
        await search.storeEmbeddings(
          tx,
          rows.map((r, i) => ({
            chunkId: r.id,
            knowledgeBaseId: doc.knowledgeBaseId,
            embedding: embedded.vectors[i] as Float32Array,
          })),
        );
      }
      const metadata = {
        ...extracted.metadata,
        kind: extracted.kind,
        chunking: {
          strategy: settings.chunkStrategy,
          size: settings.chunkSize,
          overlap: settings.chunkOverlap,
        },
        embedding: embedded
          ? { model: embedded.model, cached: embedded.cached, offline: embedded.offline }
          : null,
        timings_ms: timings,
      };
      await tx.query(
        `update knowledge.documents set status = 'completed', progress = 100, page_count = $2, sheet_count = $3,
           slide_count = $4, chunk_count = $5, metadata = $6::text::jsonb, processed_at = now(), updated_at = now()
         where id = $1`,
        [
          doc.id,
          extracted.pageCount ?? null,
          extracted.sheetCount ?? null,
          extracted.slideCount ?? null,
          rows.length,
          JSON.stringify(metadata),
        ],
      );
      await recordEvent(tx, doc.id, 'indexed', { chunks: rows.length, vectors: embedded !== null });
      return true;
    });
  }

  return { run };
}
