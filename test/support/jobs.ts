import { afterAll, afterEach, beforeAll } from 'vitest';
import type { LogLevel } from '../../src/kernel/config/index.js';
import type { Database } from '../../src/kernel/db/index.js';
import {
  type AnyJobDefinition,
  createJobQueue,
  type JobQueue,
  type JobView,
} from '../../src/kernel/jobs/index.js';
import { createLog, type Log } from '../../src/kernel/log/index.js';
import type { OpenedTestDatabase, TestDatabase } from './db.js';

export type LogLine = Record<string, unknown> & { msg?: string; trace?: string | null };

/** A JSONL logger whose lines are kept in memory, parsed, for assertions. */
export function memoryLog(level: LogLevel = 'debug'): { log: Log; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = createLog({
    svc: 'test',
    level,
    destination: {
      write(chunk: string) {
        lines.push(JSON.parse(chunk) as LogLine);
      },
    },
  });
  return { log, lines };
}

/** Polls `probe` until it returns something other than undefined/null/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  { timeoutMs = 15_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when `signal` aborts, rejecting with its reason (what a cooperative handler does). */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * For one describe block: a migrated test database (opened before, dropped after) and job queues
 * on it that are stopped after each test.
 */
export function jobQueueHarness(target: TestDatabase, log: Log) {
  let t: OpenedTestDatabase;
  const opened: JobQueue[] = [];
  beforeAll(async () => {
    t = await target.open();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.stop({ graceMs: 0, abortWaitMs: 500 })));
  });
  afterAll(async () => {
    await t.drop();
  });
  return {
    get db(): Database {
      return t.db;
    },
    queue(definitions: AnyJobDefinition[]): JobQueue {
      const q = createJobQueue({ db: t.db, log, definitions, pollingIntervalSeconds: 0.5 });
      opened.push(q);
      return q;
    },
    /** Waits until the job is in `state` and returns it. */
    until(q: JobQueue, name: Parameters<JobQueue['getJob']>[0], id: string, state: JobView['state']) {
      return waitFor(`${name} ${id} to be ${state}`, async () => {
        const job = await q.getJob(name, id);
        return job?.state === state ? job : null;
      });
    },
  };
}
