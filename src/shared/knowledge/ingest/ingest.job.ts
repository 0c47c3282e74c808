import type { JobDefinition } from '../../../kernel/jobs/index.js';
import type { Ingest } from './ingest.js';

// Augments the index, not jobs.types.js (see notify/jobs/purge.job.ts for why).
declare module '../../../kernel/jobs/index.js' {
  interface JobPayloads {
    /** Extract, chunk, embed and index one uploaded document. */
    'knowledge.ingest': { documentId: string };
  }
}

/**
 * The ingest queue's settings, shared by the worker's definition and the API's sender (a queue
 * keeps the options of the definition that last installed it, so both must agree).
 */
export const ingestJobOptions = {
  name: 'knowledge.ingest',
  retryLimit: 3,
  retryDelaySeconds: 10,
  // OCR of a large scan or a 2 000-page PDF takes minutes; extraction itself stops at 5 min.
  expireInSeconds: 30 * 60,
  concurrency: 2,
} as const;

/** One ingest per document at a time (the singleton key), in any number of workers. */
export const ingestSingletonKey = (documentId: string) => `knowledge.ingest:${documentId}`;

export function ingestJob(ingest: Ingest): JobDefinition<'knowledge.ingest'> {
  return {
    ...ingestJobOptions,
    handler: ({ documentId }, context) =>
      ingest.run(documentId, { signal: context.signal, retryCount: context.retryCount }),
  };
}
