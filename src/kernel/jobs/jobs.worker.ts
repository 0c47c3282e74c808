import type PgBoss from 'pg-boss';
import type { Log } from '../log/index.js';
import { newTraceUuid, runWithTrace } from '../trace/index.js';
import type { PgBossSql } from './jobs.adapter.js';
import { openEnvelope } from './jobs.envelope.js';
import type { JobContext, JobResult } from './jobs.types.js';

/** A job definition with its defaults applied and its payload type erased (the queue checked it). */
export interface RuntimeJobDefinition {
  name: string;
  handler: (payload: unknown, context: JobContext) => Promise<JobResult>;
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds: number;
  concurrency: number;
}

export interface QueueWorkerDeps {
  boss: PgBoss;
  /** The same SQL path pg-boss uses; the fetch goes through it to see errors pg-boss would hide. */
  sql: PgBossSql;
  definition: RuntimeJobDefinition;
  pollingMs: number;
  log: Log;
  /** Puts active jobs back in the queue without counting an attempt (see `handBackSql`). */
  handBack(queue: string, ids: string[], reason: string): Promise<void>;
}

/** One queue's fetch loop and its running handlers, in this process. */
export interface QueueWorker {
  /** A job was just sent to this queue: look now instead of at the next poll. */
  wake(): void;
  /** Stops fetching; resolves once the loop has exited. Running handlers go on. */
  stopFetching(): Promise<void>;
  /** Resolves once every running job's outcome is recorded (completed, failed or handed back). */
  settled(): Promise<void>;
  /** Aborts running handlers for shutdown: if they then fail, their jobs are handed back. */
  abortRunning(reason: Error): string[];
  runningIds(): string[];
}

interface RunningJob {
  controller: AbortController;
  /** Aborted by shutdown (not by its own deadline): a failure then is a hand-back, not an attempt. */
  shutdown: boolean;
  done: Promise<void>;
}

/**
 * Why a job never runs twice at once: the fetch claims jobs with `FOR UPDATE SKIP LOCKED` and marks
 * them `active` in the same statement, so no other fetch (in any process) can take them; a job only
 * becomes fetchable again when this process completes, fails or hands it back, or when pg-boss's
 * maintenance expires it (`started_on + expire_in` passed, meaning the holder died). That last case is
 * why `expireInSeconds` must be longer than the handler's longest run, and why the handler's signal
 * is aborted shortly before the expiry: a cooperative handler stops before anyone else can start it.
 *
 * Concurrency is `concurrency` slots per process; the loop fetches as many jobs as there are free
 * slots, which is what pg-boss's own `work()` cannot do in v10 (its batch shares one callback and
 * one outcome, and it completes jobs without awaiting the write — a race with a hand-back).
 */
export function startQueueWorker(deps: QueueWorkerDeps): QueueWorker {
  const { boss, definition, pollingMs, log } = deps;
  const queue = definition.name;
  const running = new Map<string, RunningJob>();
  let stopping = false;
  let wokenDuringFetch = false;
  let waiter: { kind: 'slot' | 'poll'; release: () => void } | null = null;

  function nudge(reason: 'slot' | 'send' | 'stop'): void {
    if (!waiter) {
      if (reason === 'send') wokenDuringFetch = true;
      return;
    }
    const wanted = reason === 'stop' || (reason === 'slot' ? waiter.kind === 'slot' : waiter.kind === 'poll');
    if (wanted) waiter.release();
  }

  /**
   * 'slot': every slot was filled (the queue may hold more), so look again as soon as one frees.
   * 'poll': the queue looked empty, so look again after the polling interval or a local send.
   */
  function pause(kind: 'slot' | 'poll'): Promise<void> {
    if (kind === 'poll' && wokenDuringFetch) {
      wokenDuringFetch = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        waiter = null;
        resolve();
      };
      const timer = setTimeout(release, pollingMs);
      waiter = { kind, release };
    });
  }

  let fetchFailing = false;

  async function fetchJobs(count: number): Promise<Array<PgBoss.JobWithMetadata<unknown>>> {
    // pg-boss 10's fetch() swallows every SQL error (it expects only unique violations there), so a
    // database outage would look like an empty queue. Passing our own `db` lets us see the error.
    let failure: unknown;
    const db = {
      async executeSql(text: string, values?: unknown[]) {
        try {
          return await deps.sql.executeSql(text, values);
        } catch (error) {
          failure = error;
          throw error;
        }
      },
    };
    let jobs: Array<PgBoss.JobWithMetadata<unknown>> = [];
    try {
      jobs = await boss.fetch<unknown>(queue, { batchSize: count, includeMetadata: true, db });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) {
      if (!fetchFailing) log.error({ err: failure }, 'fetching jobs failed; trying again every poll');
      fetchFailing = true;
    } else if (fetchFailing) {
      fetchFailing = false;
      log.info('fetching jobs works again');
    }
    return jobs;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      const free = definition.concurrency - running.size;
      let filled = free === 0;
      if (free > 0) {
        wokenDuringFetch = false;
        const jobs = await fetchJobs(free);
        if (stopping) {
          // Claimed while the stop began: return them untouched rather than start work now.
          await recordHandBack(
            jobs.map((j) => j.id),
            'fetched while the process was shutting down',
          );
          return;
        }
        for (const job of jobs) launch(job);
        filled = jobs.length === free;
      }
      if (stopping) return;
      await pause(filled ? 'slot' : 'poll');
    }
  }

  function launch(job: PgBoss.JobWithMetadata<unknown>): void {
    const entry: RunningJob = { controller: new AbortController(), shutdown: false, done: Promise.resolve() };
    running.set(job.id, entry);
    entry.done = run(job, entry).finally(() => {
      running.delete(job.id);
      nudge('slot');
    });
  }

  async function run(job: PgBoss.JobWithMetadata<unknown>, entry: RunningJob): Promise<void> {
    const envelope = openEnvelope(job.data);
    // Data Keel did not write has no trace; the run still gets one so its log lines group together.
    const trace = envelope.trace ?? { traceUuid: newTraceUuid() };
    await runWithTrace(trace, async () => {
      const jobLog = log.child({ job: queue, jobId: job.id });
      const expireMs = Number(job.expireInSeconds) * 1000;
      const deadline = setTimeout(
        () => entry.controller.abort(new Error(`job ran into its expiry (${expireMs / 1000} s); aborted`)),
        Math.max(expireMs * 0.9, expireMs - 30_000),
      );
      const started = performance.now();
      let outcome: { ok: true; result: JobResult } | { ok: false; error: Error };
      try {
        const result = await definition.handler(envelope.payload, {
          jobId: job.id,
          retryCount: job.retryCount,
          signal: entry.controller.signal,
          log: jobLog,
        });
        outcome = { ok: true, result };
      } catch (error) {
        outcome = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      } finally {
        clearTimeout(deadline);
      }
      const ms = Math.round(performance.now() - started);
      try {
        if (outcome.ok) {
          await boss.complete(queue, job.id, outcome.result);
          jobLog.info({ ms, status: outcome.result.status }, 'job done');
        } else if (entry.shutdown) {
          await deps.handBack(queue, [job.id], 'the process shut down before the job finished');
          jobLog.info({ ms, err: outcome.error }, 'job handed back to the queue (shutdown)');
        } else {
          await boss.fail(queue, job.id, outcome.error);
          const final = job.retryCount >= job.retryLimit;
          jobLog[final ? 'error' : 'warn'](
            { ms, err: outcome.error, retryCount: job.retryCount, retryLimit: job.retryLimit },
            final ? 'job failed for good; moved to its dead-letter queue' : 'job failed; will retry',
          );
        }
      } catch (error) {
        // The job stays active; pg-boss's maintenance retries it once it expires.
        jobLog.error({ err: error }, 'could not record the job outcome');
      }
    });
  }

  async function recordHandBack(ids: string[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    try {
      await deps.handBack(queue, ids, reason);
    } catch (error) {
      log.error({ err: error, queue, jobs: ids }, 'could not hand jobs back; they return when they expire');
    }
  }

  const loopDone = loop();

  return {
    wake: () => nudge('send'),
    async stopFetching() {
      stopping = true;
      nudge('stop');
      await loopDone;
    },
    async settled() {
      await Promise.all([...running.values()].map((r) => r.done));
    },
    abortRunning(reason) {
      const aborted: string[] = [];
      for (const [id, entry] of running) {
        if (entry.controller.signal.aborted) continue;
        entry.shutdown = true;
        entry.controller.abort(reason);
        aborted.push(id);
      }
      return aborted;
    },
    runningIds: () => [...running.keys()],
  };
}
