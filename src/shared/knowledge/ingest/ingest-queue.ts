import type { Database } from '../../../kernel/db/index.js';
import { createJobQueue, type JobQueue } from '../../../kernel/jobs/index.js';
import type { Log } from '../../../kernel/log/index.js';
import { ingestJobOptions, ingestSingletonKey } from './ingest.job.js';

/** Queues ingest jobs from wherever a document becomes pending (upload, restore, the requeue job). */
export interface IngestQueue {
  enqueue(documentId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A send-only job queue for `knowledge.ingest`. Modules receive no job queue in their context
 * (ModuleContext has none), so knowledge starts its own pg-boss client on the same database the
 * first time it sends — as `keel keys rotate` does — and stops it when the app or worker stops.
 * The workers that run the jobs are the process's main queue.
 */
export function createIngestQueue(db: Database, log: Log): IngestQueue {
  let queue: JobQueue | undefined;
  let starting: Promise<JobQueue> | undefined;
  let closed = false;

  async function open(): Promise<JobQueue> {
    const created = createJobQueue({
      db,
      log,
      definitions: [
        {
          ...ingestJobOptions,
          handler: async () => {
            throw new Error('the ingest sender does not run jobs');
          },
        },
      ],
    });
    await created.start({ work: false });
    queue = created;
    return created;
  }

  return {
    async enqueue(documentId) {
      if (closed) throw new Error('the ingest queue is closed');
      starting ??= open().catch((error: unknown) => {
        starting = undefined;
        throw error;
      });
      const sender = await starting;
      await sender.send('knowledge.ingest', { documentId }, { singletonKey: ingestSingletonKey(documentId) });
    },
    async close() {
      closed = true;
      await starting?.catch(() => undefined);
      await queue?.stop({ graceMs: 0, abortWaitMs: 0 });
    },
  };
}
