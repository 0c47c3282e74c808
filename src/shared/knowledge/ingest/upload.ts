import { randomUUID } from 'node:crypto';
import { pipeline, type Readable } from 'node:stream';
import type { Database } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import type { Log } from '../../../kernel/log/index.js';
import type { Allowances } from '../../plans/index.js';
import { adjustDocumentCount, defaultPersonalBase } from '../bases/bases.repository.js';
import type { KnowledgeBases } from '../bases/bases.service.js';
import type { Caller } from '../bases/caller.js';
import {
  type DocumentRow,
  findDocument,
  insertDocument,
  liveDuplicate,
  recordEvent,
} from '../documents/documents.repository.js';
import type { SearchPort } from '../documents/search-port.js';
import { defaultLimits } from '../extract/index.js';
import type { DocumentStorage } from '../storage/index.js';
import { UploadMeter, unsupportedType } from './upload-meter.js';
import { detectUpload } from './upload-type.js';

const MiB = 1024 * 1024;

export interface UploadLimit {
  maxBytes: number;
  /** "the 10 MB upload limit of the Free plan" */
  text: string;
}

export interface UploadInput {
  caller: Caller;
  /** null: the caller's default personal base (made on their first upload). */
  knowledgeBaseId: string | null;
  filename: string;
  file: Readable;
  limit: UploadLimit;
}

/**
 * Document upload (seed 003 §4.7 `POST /documents/upload`): the file streams through a meter
 * (size, SHA-256, first/last bytes) into storage, is typed from its content, checked against the
 * plan and the base, recorded as `pending` and queued for ingest. Any refusal after bytes were
 * stored removes them again.
 *
 * @example
 * const limit = await uploads.limit(caller);
 * const doc = await uploads.receive({ caller, knowledgeBaseId, filename: part.filename, file: part.file, limit });
 */
export interface Uploads {
  /** The caller's upload size limit (their plan's `max_upload_mb`, capped by what extraction reads). */
  limit(caller: Caller): Promise<UploadLimit>;
  /** Checks the base before any byte is read: 404 unknown, 403 read-only. */
  checkBase(caller: Caller, knowledgeBaseId: string): Promise<void>;
  receive(input: UploadInput): Promise<DocumentRow>;
  /** Takes back a document just received (rows and file), when the rest of its request was bad. */
  discard(doc: DocumentRow): Promise<void>;
}

export function createUploads(deps: {
  db: Database;
  log: Log;
  storage: DocumentStorage;
  bases: KnowledgeBases;
  allowances: Pick<Allowances, 'consume' | 'effectivePlan'>;
  enqueue: (documentId: string) => Promise<void>;
  search: Pick<SearchPort, 'unindexDocument'>;
  /** What extraction reads at most (default 100 MB). */
  maxBytes?: number;
}): Uploads {
  const { db, log, storage, bases, allowances, enqueue, search } = deps;
  const ceiling = deps.maxBytes ?? defaultLimits.maxBytes;

  async function discard(key: string) {
    await storage.delete(key).catch((error: unknown) => {
      log.warn({ err: error, key }, 'could not remove a refused upload; the purge job will retry');
      return db.query(
        'insert into knowledge.storage_orphans (storage_key) values ($1) on conflict do nothing',
        [key],
      );
    });
  }

  return {
    async limit(caller) {
      const { plan } = await allowances.effectivePlan({ userId: caller.userId, orgId: caller.orgId });
      const planBytes = plan.max_upload_mb === null ? null : plan.max_upload_mb * MiB;
      if (planBytes !== null && planBytes <= ceiling) {
        return {
          maxBytes: planBytes,
          text: `the ${plan.max_upload_mb} MB upload limit of the ${plan.plan_label} plan`,
        };
      }
      return { maxBytes: ceiling, text: `the ${Math.floor(ceiling / MiB)} MB upload limit` };
    },

    async checkBase(caller, knowledgeBaseId) {
      await bases.authorize(caller, knowledgeBaseId, 'write');
    },

    async receive({ caller, knowledgeBaseId, filename, file, limit }) {
      if (knowledgeBaseId) await bases.authorize(caller, knowledgeBaseId, 'write');
      const id = randomUUID();
      const key = id;
      const meter = new UploadMeter(limit.maxBytes, filename, limit.text);
      const { size } = await storage.put(
        key,
        pipeline(file, meter, () => undefined),
      );
      try {
        const contentHash = meter.digest();
        const type = detectUpload(meter.head(), meter.tail(), size, filename);
        if (type.kind === 'empty') {
          throw new KeelError('validation_failed', 'file: the file is empty', {
            details: { errors: [{ field: 'file', message: 'is empty' }] },
          });
        }
        if (type.kind === 'unsupported' || type.kind === 'encrypted') throw unsupportedType(type);

        const knownBase = knowledgeBaseId ?? (await defaultPersonalBase(db, caller.userId));
        const duplicate = knownBase ? await liveDuplicate(db, knownBase, contentHash) : null;
        if (duplicate) throw duplicateError(duplicate);
        await allowances.consume({ userId: caller.userId, orgId: caller.orgId }, 'uploads');

        let baseId = knownBase;
        const scope = await bases.scopeOf(caller);
        try {
          await db.transaction(async (tx) => {
            let orgId: string | null = null;
            if (knowledgeBaseId) {
              const base = await bases.authorize(scope, knowledgeBaseId, 'write', tx);
              orgId = base.orgId;
              baseId = base.id;
            } else {
              baseId = await bases.defaultBase(tx, caller);
            }
            await insertDocument(tx, {
              id,
              knowledgeBaseId: baseId,
              orgId,
              ownerUserId: caller.userId,
              filename,
              storageKey: key,
              sizeBytes: size,
              mimeType: type.mime,
              contentHash,
            });
            await adjustDocumentCount(tx, baseId, 1);
            await recordEvent(tx, id, 'queued', { size_bytes: size, mime_type: type.mime });
          });
        } catch (error) {
          // The same file in a concurrent upload won the race (the unique index decided).
          const other =
            baseId && isUniqueViolation(error, 'documents_base_hash_key')
              ? await liveDuplicate(db, baseId, contentHash)
              : null;
          throw other ? duplicateError(other) : error;
        }
      } catch (error) {
        await discard(key);
        throw error;
      }
      // A failed enqueue leaves the document pending; the requeue job sends it again.
      await enqueue(id).catch((error: unknown) =>
        log.warn({ err: error, documentId: id }, 'could not queue the ingest job; the requeue job will'),
      );
      return (await findDocument(db, id)) as DocumentRow;
    },

    async discard(doc) {
      await db.transaction(async (tx) => {
        if (!(await findDocument(tx, doc.id, { lock: true }))) return;
        await search.unindexDocument(tx, doc.id);
        await tx.query('delete from knowledge.documents where id = $1', [doc.id]);
        await tx.query('delete from knowledge.ingest_events where document_id = $1', [doc.id]);
        await adjustDocumentCount(tx, doc.knowledgeBaseId, -1);
      });
      await discard(doc.storageKey);
    },
  };
}

function duplicateError(existing: { id: string; filename: string }): KeelError {
  return new KeelError(
    'conflict',
    `This file is already in the knowledge base as "${existing.filename}" (document ${existing.id}).`,
    {
      details: {
        existing_document_id: existing.id,
        existing_filename: existing.filename,
        errors: [{ field: 'file', message: `has the same content as document ${existing.id}` }],
      },
    },
  );
}
