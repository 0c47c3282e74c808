import type { Database } from '../db/index.js';
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

/** Every queue has a dead-letter queue named `<name>.dead` where jobs land after their last retry. */
export type DeadLetterQueueName = `${JobName}.dead`;

export interface JobContext {
  jobId: string;
  /** 0 on the first run, then 1, 2, ... on retries. A run interrupted by a shutdown does not count. */
  retryCount: number;
  /**
   * Aborted when the process shuts down (after the stop grace period) and shortly before the job's
   * `expireInSeconds` runs out. Long handlers should pass it on (fetch, child processes) and throw.
   */
  signal: AbortSignal;
  /** Carries the trace of the request that enqueued the job. */
  log: Log;
}

/** What a handler returns; stored as the job's output so the admin console can show it. */
export type JobResult = { status: 'done'; [key: string]: unknown } | { status: 'skipped'; reason: string };

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  handler: (payload: JobPayloads[N], context: JobContext) => Promise<JobResult>;
  /** Attempts after the first; default 3. */
  retryLimit?: number;
  /** First retry delay in whole seconds (at least 1); doubled each retry, with jitter. Default 5 s. */
  retryDelaySeconds?: number;
  /** A running job is considered lost after this long and retried. Default 15 min; under 24 h. */
  expireInSeconds?: number;
  /** Jobs of this queue run at most this many at a time per process. Default 1. */
  concurrency?: number;
}

/**
 * A definition of any declared job, with its name and payload kept together (a union over the
 * names, so a list may mix jobs of different payload types and each handler stays typed).
 */
export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];

export interface ScheduleDefinition<N extends JobName = JobName> {
  /** Unique schedule name, e.g. `kernel.nodes.prune`. */
  name: string;
  /** Cron expression (croner syntax, 5 or 6 fields). */
  cron: string;
  job: N;
  payload: JobPayloads[N];
  timezone?: string;
}

export type AnyScheduleDefinition = { [N in JobName]: ScheduleDefinition<N> }[JobName];

export interface SendOptions {
  /**
   * At most one queued-or-active job with this key per queue: a second send while the first is
   * waiting, retrying or running returns null. Once it has completed or failed the key is free again.
   */
  singletonKey?: string;
  /**
   * The job's id is derived from this key, so a second send with the same key returns null for as
   * long as the first job is kept in the queue table (completed and failed jobs are archived after
   * 12 h, dead letters after their retention). For "this exact request was already enqueued".
   */
  idempotencyKey?: string;
  /** Run no earlier than this: a point in time, or a number of seconds from now. */
  startAfter?: Date | number;
  /** Higher runs first among waiting jobs of the same queue; an integer, default 0. */
  priority?: number;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface QueueState {
  queue: string;
  /** The queue's dead-letter queue; null for a dead-letter queue itself. */
  deadLetter: string | null;
  created: number;
  retry: number;
  active: number;
  completed: number;
  failed: number;
  cancelled: number;
}

export interface QueueDepth {
  queue: string;
  /** Jobs waiting to run (created or waiting for a retry), including delayed ones. */
  depth: number;
}

export interface JobView {
  id: string;
  queue: string;
  state: JobState;
  /** As stored; it may predate the current payload type, so narrow before use. */
  payload: unknown;
  /** The handler's result once completed; the last error while retrying or after failing. */
  output: unknown;
  /** Trace uuid of the request (or schedule tick) that enqueued the job. */
  traceUuid: string | null;
  retryCount: number;
  retryLimit: number;
  priority: number;
  singletonKey: string | null;
  createdOn: Date;
  startAfter: Date;
  startedOn: Date | null;
  completedOn: Date | null;
}

export interface DeadLetter {
  /** Id of the entry in the dead-letter queue. */
  id: string;
  queue: string;
  /** Id the job had in its own queue (where it stays, as failed, until archived). */
  originalJobId: string | null;
  payload: unknown;
  /** The error of the last attempt, as serialized when it failed (`message`, `name`, `stack`, ...). */
  error: Record<string, unknown> | null;
  traceUuid: string | null;
  deadAt: Date;
}

export interface JobQueueOptions {
  db: Database;
  log: Log;
  /** Every job of this build (each module's `jobs`); one queue and one dead-letter queue each. */
  definitions: readonly AnyJobDefinition[];
  /** PostgreSQL schema pg-boss installs into; default `pgboss`. */
  schema?: string;
  /** How often an idle worker looks for new jobs; default 2 s, at least 0.5 s. */
  pollingIntervalSeconds?: number;
}

export interface StopOptions {
  /** How long running handlers may take to finish on their own; default 10 s. */
  graceMs?: number;
  /** After aborting their signals, how long handlers get to wind down; default 2 s. */
  abortWaitMs?: number;
}

/** Stops the schedule timers and waits for the sends of ticks already firing. */
export type StopSchedules = () => Promise<void>;

/**
 * Keel's job queue (pg-boss on the kernel database, PGlite or PostgreSQL).
 *
 * @example
 * ```ts
 * const jobs = createJobQueue({ db, log, definitions: allModules.flatMap((m) => m.jobs ?? []) });
 * await jobs.start({ work: true });
 * const id = await jobs.send('commits.draft', { changeId }, { singletonKey: changeId });
 * // on shutdown:
 * await jobs.stop({ graceMs: 10_000 });
 * ```
 */
export interface JobQueue {
  /**
   * Installs pg-boss (once, whichever process gets there first), creates every queue and its
   * dead-letter queue and, with `work`, starts the workers. Idempotent.
   */
  start(options: { work: boolean }): Promise<void>;
  /**
   * Enqueues a job carrying the current trace. Resolves to its id, or null when a singleton or
   * idempotency key refused it as a duplicate. Allowed until `stop()` has finished, so handlers
   * finishing during the grace period can still enqueue follow-ups.
   */
  send<N extends JobName>(name: N, payload: JobPayloads[N], options?: SendOptions): Promise<string | null>;
  /**
   * Fires each schedule on its cron and enqueues its job once per tick, even when two processes
   * briefly both believe they lead. Call only while holding scheduler leadership.
   */
  runSchedules(
    schedules: readonly AnyScheduleDefinition[],
    options?: { isLeader?: () => boolean },
  ): StopSchedules;
  /** Job counts per state for every queue and dead-letter queue (archived jobs are not counted). */
  states(): Promise<QueueState[]>;
  /** Waiting jobs per queue and dead-letter queue; one indexed query, fine for every scrape. */
  depths(): Promise<QueueDepth[]>;
  /** The newest entries of `name`'s dead-letter queue. */
  deadLetters(name: JobName, limit?: number): Promise<DeadLetter[]>;
  /** One job of a queue or dead-letter queue, archived ones included; null when unknown. */
  getJob(name: JobName | DeadLetterQueueName, id: string): Promise<JobView | null>;
  /**
   * Stops fetching, waits `graceMs` for running handlers, aborts the rest and hands their jobs back
   * to the queue so another process takes them at once. Safe to call more than once.
   */
  stop(options?: StopOptions): Promise<void>;
}
