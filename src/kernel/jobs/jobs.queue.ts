import PgBoss from 'pg-boss';
import { advisoryLockKeys, withAdvisoryLock } from '../db/index.js';
import { KeelError } from '../errors/index.js';
import { isUuid } from '../ids.js';
import { createJobsSql } from './jobs.adapter.js';
import { isRecord, jobIdFor, openEnvelope, sealEnvelope } from './jobs.envelope.js';
import { startSchedules } from './jobs.schedules.js';
import type {
  AnyJobDefinition,
  AnyScheduleDefinition,
  DeadLetter,
  JobName,
  JobPayloads,
  JobQueue,
  JobQueueOptions,
  JobState,
  JobView,
  QueueDepth,
  QueueState,
  SendOptions,
  StopOptions,
  StopSchedules,
} from './jobs.types.js';
import { type QueueWorker, type RuntimeJobDefinition, startQueueWorker } from './jobs.worker.js';

export class JobDefinitionError extends Error {
  override name = 'JobDefinitionError';
}

const jobStates: readonly JobState[] = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'];

export function deadLetterQueue(name: string): string {
  return `${name}.dead`;
}

/** Keel's job queue on pg-boss; see {@link JobQueue}. Nothing touches the database before `start()`. */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { db, log } = options;
  const schema = options.schema ?? 'pgboss';
  if (!/^[a-z_][a-z0-9_]{0,49}$/.test(schema)) {
    throw new JobDefinitionError(`job queue schema "${schema}" must be a lower-case identifier`);
  }
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  if (!(pollingIntervalSeconds >= 0.5))
    throw new JobDefinitionError('pollingIntervalSeconds must be at least 0.5');
  const definitions = normalizeDefinitions(options.definitions);
  const queueNames = [...definitions.keys()].flatMap((name) => [name, deadLetterQueue(name)]);

  const sql = createJobsSql(db);
  // pg-boss's own cron is off: Keel's scheduler leader fires schedules (runSchedules), so a tick is
  // enqueued by one elected process instead of every process polling pg-boss's schedule table.
  const boss = new PgBoss({ db: sql, schema, schedule: false, supervise: true, migrate: true });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));

  let phase: 'new' | 'started' | 'stopping' | 'stopped' = 'new';
  let installing: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;
  const workers = new Map<string, QueueWorker>();
  const scheduleStoppers = new Set<StopSchedules>();

  async function install(): Promise<void> {
    // Seen with two `keel serve` processes on a fresh server database: pg-boss's own install
    // script can still collide ("duplicate key … pg_namespace_nspname_index") although it takes an
    // advisory lock. Holding Keel's own session lock around the whole install makes the second
    // process find pg-boss installed instead of racing to create it.
    await withAdvisoryLock(db, advisoryLockKeys.jobsInstall, installUnlocked);
  }

  async function installUnlocked(): Promise<void> {
    await boss.start();
    await createQueues();
    for (const definition of definitions.values()) {
      // An existing queue keeps the options it was created with; the definitions of this build win.
      await boss.updateQueue(definition.name, { name: definition.name, ...queueOptions(definition) });
    }
  }

  /**
   * Creates the missing queues (each with its dead-letter queue) and Keel's singleton index in one
   * transaction under pg-boss's own install lock. pg-boss's `createQueue()` is not safe to run from
   * several processes at once on a server: each call inserts a queue row and then attaches a job
   * partition with foreign keys to the queue table, and two of those deadlock. One script also keeps
   * PGlite, where this has to go through `exec`, from interleaving other statements into it.
   */
  async function createQueues(): Promise<void> {
    const existing = await sql.query<{ name: string }>(
      `select name from ${schema}.queue where name = any($1::text[])`,
      [queueNames],
    );
    const [index] = await sql.query<{ present: boolean }>(
      `select to_regclass('${schema}.keel_singleton_key') is not null as present`,
    );
    const have = new Set(existing.map((row) => row.name));
    const statements: string[] = [];
    if (!index?.present) statements.push(singletonIndexSql(schema));
    for (const definition of definitions.values()) {
      const dead = deadLetterQueue(definition.name);
      // The dead-letter queue first: the queue row references it. create_queue() skips existing ones.
      if (!have.has(dead)) statements.push(createQueueSql(schema, dead, { policy: 'standard' }));
      if (!have.has(definition.name)) {
        statements.push(
          createQueueSql(schema, definition.name, { policy: 'standard', ...queueOptions(definition) }),
        );
      }
    }
    if (statements.length === 0) return;
    await sql.executeSql(`
      BEGIN;
      SELECT pg_advisory_xact_lock(
        ('x' || encode(sha224((current_database() || '.pgboss.${schema}')::bytea), 'hex'))::bit(64)::bigint
      );
      ${statements.join(';\n')};
      COMMIT;`);
  }

  /**
   * Puts jobs this process holds back in the queue, ready at once, without using up an attempt.
   * Chosen over pg-boss's `fail()`, which would count the interrupted run as a failed attempt,
   * delay it by the backoff and could send a healthy job to the dead-letter queue; and over doing
   * nothing, which leaves it active until it expires (15 min by default). Clearing `started_on`
   * is what keeps the attempt count: pg-boss's fetch increments `retry_count` only for jobs that
   * have started before. The output records why, for the admin console; a later run overwrites it.
   */
  async function handBack(queue: string, ids: string[], reason: string): Promise<void> {
    await sql.query(
      `update ${schema}.job
         set state = 'created', start_after = now(), started_on = null, output = $3::text::jsonb
       where name = $1 and id = any($2::uuid[]) and state = 'active'`,
      [queue, ids, JSON.stringify({ message: `handed back: ${reason}` })],
    );
  }

  async function start({ work }: { work: boolean }): Promise<void> {
    if (phase === 'stopping' || phase === 'stopped') {
      throw new KeelError('shutting_down', 'the job queue has been stopped');
    }
    installing ??= install().catch((error: unknown) => {
      installing = null;
      throw error;
    });
    await installing;
    if (phase !== 'new' && phase !== 'started') return;
    phase = 'started';
    if (!work || workers.size > 0) return;
    for (const definition of definitions.values()) {
      workers.set(
        definition.name,
        startQueueWorker({
          boss,
          sql,
          definition,
          pollingMs: pollingIntervalSeconds * 1000,
          log: log.child({ queue: definition.name }),
          handBack,
        }),
      );
    }
    log.info({ queues: [...workers.keys()] }, 'job workers started');
  }

  async function sendUnchecked(
    name: string,
    payload: unknown,
    sendOptions: SendOptions = {},
  ): Promise<string | null> {
    if (phase === 'stopped') throw new KeelError('shutting_down', 'the job queue has been stopped');
    if (phase === 'new') throw new KeelError('internal', 'the job queue has not been started');
    if (!definitions.has(name))
      throw new JobDefinitionError(`no job named "${name}" is defined in this build`);
    const id = jobIdFor(name, sendOptions.idempotencyKey);
    // pg-boss asserts on options that are present but undefined, so pass only those given.
    const bossOptions: PgBoss.SendOptions = { id };
    if (sendOptions.singletonKey !== undefined) bossOptions.singletonKey = sendOptions.singletonKey;
    if (sendOptions.priority !== undefined) bossOptions.priority = sendOptions.priority;
    if (sendOptions.startAfter !== undefined) bossOptions.startAfter = sendOptions.startAfter;
    const sent = await boss.send(name, sealEnvelope(payload, id), bossOptions);
    if (sent) workers.get(name)?.wake();
    return sent;
  }

  async function send<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    sendOptions?: SendOptions,
  ): Promise<string | null> {
    return sendUnchecked(name, payload, sendOptions);
  }

  function runSchedules(
    schedules: readonly AnyScheduleDefinition[],
    options: { isLeader?: () => boolean } = {},
  ): StopSchedules {
    if (phase !== 'started') throw new KeelError('internal', 'start the job queue before running schedules');
    for (const schedule of schedules) {
      if (!definitions.has(schedule.job)) {
        throw new JobDefinitionError(
          `schedule "${schedule.name}" enqueues "${schedule.job}", which is not defined`,
        );
      }
    }
    const stopTimers = startSchedules({ send: sendUnchecked, log, isLeader: options.isLeader }, schedules);
    const stop: StopSchedules = async () => {
      scheduleStoppers.delete(stop);
      await stopTimers();
    };
    scheduleStoppers.add(stop);
    return stop;
  }

  async function states(): Promise<QueueState[]> {
    const rows = await sql.query<{ name: string; state: JobState; n: number }>(
      `select name, state::text as state, count(*)::int as n from ${schema}.job
       where name = any($1::text[]) group by name, state`,
      [queueNames],
    );
    return queueNames.map((queue) => {
      const isDead = !definitions.has(queue);
      const counts = Object.fromEntries(jobStates.map((s) => [s, 0])) as Record<JobState, number>;
      for (const row of rows) if (row.name === queue) counts[row.state] = Number(row.n);
      return { queue, deadLetter: isDead ? null : deadLetterQueue(queue), ...counts };
    });
  }

  async function depths(): Promise<QueueDepth[]> {
    // Served by pg-boss's fetch index (name, start_after) WHERE state < 'active'.
    const rows = await sql.query<{ name: string; n: number }>(
      `select name, count(*)::int as n from ${schema}.job
       where name = any($1::text[]) and state < 'active' group by name`,
      [queueNames],
    );
    return queueNames.map((queue) => ({ queue, depth: Number(rows.find((r) => r.name === queue)?.n ?? 0) }));
  }

  async function deadLetters(name: JobName, limit = 50): Promise<DeadLetter[]> {
    if (!definitions.has(name)) return [];
    const queue = deadLetterQueue(name);
    const rows = await sql.query<{ id: string; data: unknown; output: unknown; created_on: Date }>(
      `select id, data, output, created_on from ${schema}.job
       where name = $1 order by created_on desc, id limit $2`,
      [queue, Math.max(1, Math.min(1000, Math.trunc(limit)))],
    );
    return rows.map((row) => {
      const envelope = openEnvelope(row.data);
      return {
        id: row.id,
        queue,
        originalJobId: envelope.jobId,
        payload: envelope.payload,
        error: isRecord(row.output) ? row.output : null,
        traceUuid: envelope.trace?.traceUuid ?? null,
        deadAt: new Date(row.created_on),
      };
    });
  }

  async function getJob(name: string, id: string): Promise<JobView | null> {
    if (!isUuid(id) || !queueNames.includes(name)) return null;
    const job = await boss.getJobById<unknown>(name, id, { includeArchive: true });
    if (!job) return null;
    const envelope = openEnvelope(job.data);
    return {
      id: job.id,
      queue: job.name,
      state: job.state,
      payload: envelope.payload,
      output: job.output ?? null,
      traceUuid: envelope.trace?.traceUuid ?? null,
      retryCount: job.retryCount,
      retryLimit: job.retryLimit,
      priority: job.priority,
      singletonKey: job.singletonKey,
      createdOn: new Date(job.createdOn),
      startAfter: new Date(job.startAfter),
      startedOn: job.startedOn ? new Date(job.startedOn) : null,
      completedOn: job.completedOn ? new Date(job.completedOn) : null,
    };
  }

  async function stop(stopOptions: StopOptions = {}): Promise<void> {
    stopping ??= shutdown(stopOptions);
    await stopping;
  }

  async function shutdown({ graceMs = 10_000, abortWaitMs = 2_000 }: StopOptions): Promise<void> {
    const wasStarted = phase !== 'new' || installing !== null;
    phase = 'stopping';
    await installing?.catch(() => undefined);
    await Promise.all([...scheduleStoppers].map((stopSchedules) => stopSchedules()));
    const all = [...workers.values()];
    await Promise.all(all.map((w) => w.stopFetching()));
    const settled = () => Promise.all(all.map((w) => w.settled()));
    if (!(await within(settled(), graceMs))) {
      const reason = new KeelError('shutting_down', 'the process is shutting down');
      const aborted = all.flatMap((w) => w.abortRunning(reason));
      log.info({ jobs: aborted }, 'stop: grace period over; aborted running jobs to hand them back');
      if (!(await within(settled(), abortWaitMs))) {
        // Handing these back would let another process start them while they still run here.
        log.warn(
          { jobs: all.flatMap((w) => w.runningIds()) },
          'stop: handlers ignored their abort signal; their jobs stay active until they end or expire',
        );
      }
    }
    if (wasStarted) await boss.stop({ graceful: false, close: false });
    phase = 'stopped';
    if (wasStarted) log.info('job queue stopped');
  }

  return { start, send, runSchedules, states, depths, deadLetters, getJob, stop };
}

function queueOptions(definition: RuntimeJobDefinition) {
  return {
    retryLimit: definition.retryLimit,
    retryDelay: definition.retryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: definition.expireInSeconds,
    deadLetter: deadLetterQueue(definition.name),
  };
}

/**
 * pg-boss 10 honours `singletonKey` only through queue policies that also treat every job
 * *without* a key as one shared key, or through time slots. Keel's contract (at most one
 * queued-or-active job per key) is this partial unique index; pg-boss's insert is
 * `ON CONFLICT DO NOTHING`, so a duplicate simply returns no id. Created on the partitioned
 * parent, it covers the partitions of queues created later too.
 */
function singletonIndexSql(schema: string): string {
  return `CREATE UNIQUE INDEX IF NOT EXISTS keel_singleton_key ON ${schema}.job (name, singleton_key)
    WHERE singleton_key IS NOT NULL AND state < 'completed'`;
}

/** The statement pg-boss's createQueue() sends, with literals: the script has no parameters. */
function createQueueSql(schema: string, name: string, options: Record<string, unknown>): string {
  return `SELECT ${schema}.create_queue(${sqlLiteral(name)}, ${sqlLiteral(JSON.stringify(options))}::json)`;
}

function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function normalizeDefinitions(list: readonly AnyJobDefinition[]): Map<string, RuntimeJobDefinition> {
  const byName = new Map<string, RuntimeJobDefinition>();
  for (const definition of list) {
    const { name } = definition;
    const fail = (problem: string) => new JobDefinitionError(`job "${name}": ${problem}`);
    // Letters, digits, '.', '_' and '-': names end up in partition names, metrics labels and SQL literals.
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
      throw fail('a name is letters, digits, ".", "_" and "-", starting with a letter or digit');
    }
    if (name.endsWith('.dead')) throw fail('names ending in ".dead" are reserved for dead-letter queues');
    if (byName.has(name)) throw fail('is defined twice');
    const runtime: RuntimeJobDefinition = {
      name,
      handler: definition.handler as RuntimeJobDefinition['handler'],
      retryLimit: definition.retryLimit ?? 3,
      retryDelaySeconds: definition.retryDelaySeconds ?? 5,
      expireInSeconds: definition.expireInSeconds ?? 15 * 60,
      concurrency: definition.concurrency ?? 1,
    };
    if (!Number.isInteger(runtime.retryLimit) || runtime.retryLimit < 0)
      throw fail('retryLimit must be an integer ≥ 0');
    if (!Number.isInteger(runtime.retryDelaySeconds) || runtime.retryDelaySeconds < 1) {
      throw fail('retryDelaySeconds must be a whole number of seconds ≥ 1');
    }
    if (
      !Number.isInteger(runtime.expireInSeconds) ||
      runtime.expireInSeconds < 1 ||
      runtime.expireInSeconds >= 86_400
    ) {
      throw fail('expireInSeconds must be a whole number of seconds between 1 and 86 399');
    }
    if (!Number.isInteger(runtime.concurrency) || runtime.concurrency < 1)
      throw fail('concurrency must be an integer ≥ 1');
    byName.set(name, runtime);
  }
  return byName;
}

/** True when `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
