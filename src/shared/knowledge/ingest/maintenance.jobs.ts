import type { Database } from '../../../kernel/db/index.js';
import type { JobDefinition, ScheduleDefinition } from '../../../kernel/jobs/index.js';
import type { Log } from '../../../kernel/log/index.js';
import { markFailed, recordEvent } from '../documents/documents.repository.js';
import type { DocumentStorage } from '../storage/index.js';

declare module '../../../kernel/jobs/index.js' {
  interface JobPayloads {
    /** Daily: remove documents deleted more than `olderThanDays` ago (default KNOWLEDGE_PURGE_DAYS). */
    'knowledge.purge': { olderThanDays?: number };
    /** Every few minutes: queue again documents whose ingest job was lost. */
    'knowledge.requeue': Record<string, never>;
  }
}

const BATCH = 500;

/**
 * Daily purge: documents soft-deleted more than N days ago lose their stored file and their rows
 * (chunks, postings and vectors go with them by cascade); storage objects left over by an
 * earlier failure are removed; bases deleted that long ago and emptied go too. A file the storage
 * cannot delete now is kept in `storage_orphans` and tried again on the next run.
 */
export function purgeJob(deps: {
  db: Database;
  log: Log;
  storage: DocumentStorage;
  defaultDays: number;
}): JobDefinition<'knowledge.purge'> {
  const { db, log, storage } = deps;
  return {
    name: 'knowledge.purge',
    async handler({ olderThanDays }) {
      const days = Math.max(0, Math.floor(olderThanDays ?? deps.defaultDays));
      const cutoff = `now() - ${days} * interval '1 day'`;
      let documents = 0;
      for (;;) {
        const due = await db.query<{ id: string; key: string }>(
          `select id, storage_key as key from knowledge.documents
           where deleted_at is not null and deleted_at <= ${cutoff} order by deleted_at limit ${BATCH}`,
        );
        if (due.length === 0) break;
        for (const doc of due) {
          await db.transaction(async (tx) => {
            const [gone] = await tx.query<{ id: string }>(
              'delete from knowledge.documents where id = $1 and deleted_at is not null returning id',
              [doc.id],
            );
            if (!gone) return;
            await tx.query('delete from knowledge.ingest_events where document_id = $1', [doc.id]);
            await recordEvent(tx, doc.id, 'purged');
            // The file goes after the rows commit; until then (or if it fails) it is an orphan.
            await tx.query(
              'insert into knowledge.storage_orphans (storage_key) values ($1) on conflict do nothing',
              [doc.key],
            );
          });
          documents += 1;
        }
        if (due.length < BATCH) break;
      }
      let files = 0;
      let kept = 0;
      const orphans = await db.query<{ key: string }>(
        `select storage_key as key from knowledge.storage_orphans order by created_at limit 5000`,
      );
      for (const { key } of orphans) {
        try {
          await storage.delete(key);
          await db.query('delete from knowledge.storage_orphans where storage_key = $1', [key]);
          files += 1;
        } catch (error) {
          kept += 1;
          log.warn({ err: error, key }, 'could not delete a stored document file; the next purge retries');
        }
      }
      const [bases] = await db.query<{ n: number }>(
        `with gone as (
           delete from knowledge.knowledge_bases b where b.deleted_at is not null and b.deleted_at <= ${cutoff}
             and not exists (select 1 from knowledge.documents d where d.knowledge_base_id = b.id)
           returning 1)
         select count(*)::int as n from gone`,
      );
      return { status: 'done', days, documents, files, files_kept: kept, bases: bases?.n ?? 0 };
    },
  };
}

export const purgeSchedule: ScheduleDefinition<'knowledge.purge'> = {
  name: 'knowledge.purge',
  cron: '41 3 * * *',
  job: 'knowledge.purge',
  payload: {},
};

/** Attempts after which a document that keeps stopping its worker is failed instead. */
const MAX_STARTS = 8;

/**
 * Queues documents whose job was lost again: pending for over two minutes (the enqueue after the
 * upload failed), or processing without progress for longer than a job may run (its worker died
 * and the job's retries ran out). The ingest job's singleton key makes a second send harmless.
 */
export function requeueJob(deps: {
  db: Database;
  enqueue: (documentId: string) => Promise<void>;
}): JobDefinition<'knowledge.requeue'> {
  const { db, enqueue } = deps;
  return {
    name: 'knowledge.requeue',
    retryLimit: 0,
    async handler() {
      const stuck = await db.query<{ id: string; starts: number }>(
        `select d.id, (select count(*)::int from knowledge.ingest_events e
                       where e.document_id = d.id and e.event = 'started') as starts
         from knowledge.documents d
         where d.deleted_at is null and (
           (d.status = 'pending' and d.updated_at < now() - interval '2 minutes')
           or (d.status = 'processing' and d.updated_at < now() - interval '45 minutes'))
         order by d.updated_at limit 200`,
      );
      let queued = 0;
      let failed = 0;
      for (const doc of stuck) {
        if (doc.starts >= MAX_STARTS) {
          await db.transaction((tx) =>
            markFailed(
              tx,
              doc.id,
              'internal',
              `processing stopped ${doc.starts} times; upload the file again later`,
            ),
          );
          failed += 1;
          continue;
        }
        await enqueue(doc.id);
        queued += 1;
      }
      return { status: 'done', queued, failed };
    },
  };
}

export const requeueSchedule: ScheduleDefinition<'knowledge.requeue'> = {
  name: 'knowledge.requeue',
  cron: '*/5 * * * *',
  job: 'knowledge.requeue',
  payload: {},
};
