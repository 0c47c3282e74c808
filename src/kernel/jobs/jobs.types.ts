import type { Log } from '../log/index.js';

/**
 * Job name → payload map. Each module adds its jobs by declaration merging:
 *
 * ```ts
 * declare module '../../kernel/jobs/index.js' {
 *   interface JobPayloads { 'commits.draft': { changeId: string } }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each module.
export interface JobPayloads {}

export type JobName = keyof JobPayloads & string;

export interface JobContext {
  jobId: string;
  /** 0 on the first run, then 1, 2, ... on retries. */
  retryCount: number;
  /** Aborted when the process shuts down; long handlers should stop and throw. */
  signal: AbortSignal;
  log: Log;
}

/** What a handler returns; stored as the job's output so the admin console can show it. */
export type JobResult = { status: 'done'; [key: string]: unknown } | { status: 'skipped'; reason: string };

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  handler: (payload: JobPayloads[N], context: JobContext) => Promise<JobResult>;
  /** Attempts after the first; default 3. */
  retryLimit?: number;
  /** First retry delay; doubled each retry (exponential backoff). Default 5 s. */
  retryDelaySeconds?: number;
  /** A running job is considered lost after this long and retried. Default 15 min. */
  expireInSeconds?: number;
  /** Jobs of this queue run at most this many at a time per process. Default 1. */
  concurrency?: number;
}

export interface ScheduleDefinition<N extends JobName = JobName> {
  /** Unique schedule name, e.g. `kernel.nodes.prune`. */
  name: string;
  /** Cron expression (croner syntax, 5 or 6 fields). */
  cron: string;
  job: N;
  payload: JobPayloads[N];
  timezone?: string;
}

export interface SendOptions {
  /** At most one queued-or-active job with this key per queue (idempotency). */
  singletonKey?: string;
  /** Run no earlier than this (delayed job). */
  startAfter?: Date | number;
  priority?: number;
}

export interface QueueState {
  queue: string;
  deadLetter: string | null;
  created: number;
  retry: number;
  active: number;
  completed: number;
  failed: number;
  cancelled: number;
}
