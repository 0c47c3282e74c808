import type { Log } from '../log/index.js';
import type { LastHolder } from './leader.repository.js';

/**
 * Runs the election's callbacks one after another, so `onDemoted` never overtakes the
 * `onElected` it answers, and a throwing callback is logged instead of crashing the process.
 */
export interface CallbackQueue {
  /** Resolves (never rejects) once `fn` ran: true when it succeeded. */
  push(name: string, fn: () => void | Promise<void>): Promise<boolean>;
  /** Resolves when every callback queued so far has run. */
  idle(): Promise<void>;
}

export function callbackQueue(log: Log): CallbackQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    push: function push(name, fn) {
      const run = tail.then(async () => {
        try {
          await fn();
          return true;
        } catch (error) {
          log.error({ err: error }, `leader election ${name} callback failed`);
          return false;
        }
      });
      tail = run;
      return run;
    },
    idle: async function idle() {
      await tail;
    },
  };
}

/** Rejects when `work` takes longer than `ms`; `work` itself keeps running (and is still handled). */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `reason` of an 'acquired' event when the lock was free: why the previous leader is gone. */
export function describeTakeover(previous: LastHolder | undefined, selfId: string): string {
  if (!previous) return 'first leader of this database';
  if (previous.nodeId === selfId) {
    return `took the lock again after ${previous.endedBy === 'released' ? 'releasing' : 'losing'} it`;
  }
  if (previous.endedBy === 'released') return 'the previous leader released the lock';
  if (previous.endedBy === 'lost') return 'the previous leader lost its connection';
  const age = previous.heartbeatAgeMs === null ? 'unknown' : `${seconds(previous.heartbeatAgeMs)} s ago`;
  return `the previous leader's session ended without releasing the lock (process exited or connection dropped; its last heartbeat was ${age})`;
}
