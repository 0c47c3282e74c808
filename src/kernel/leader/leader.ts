import { hostname } from 'node:os';
import { advisoryLockKeys, type Database } from '../db/index.js';
import type { Log } from '../log/index.js';
import * as repo from './leader.repository.js';
import { startServerElection } from './leader.server.js';
import { callbackQueue, errorMessage } from './leader.support.js';

/** Advisory-lock key of the scheduler leader ('keel' + 2; migrations hold 'keel' + 1). */
export const SCHEDULER_LOCK_KEY = advisoryLockKeys.scheduler;

export interface LeaderElectionOptions {
  db: Database;
  log: Log;
  /** This process's id in `kernel.nodes`: a new UUID per process start. */
  nodeId: string;
  /** `keel serve --role`, shown in `kernel.nodes`. */
  role: string;
  version: string;
  /** Default {@link SCHEDULER_LOCK_KEY}; another key elects a leader for something else. */
  lockKey?: bigint;
  /** How often nodes heartbeat and followers try the lock. Default 2 000 ms. */
  heartbeatMs?: number;
  /**
   * A leader whose heartbeat is older than this is presumed frozen or cut off: a follower
   * terminates its backend and takes over. Default 7 000 ms, at least 2 × heartbeatMs.
   */
  staleAfterMs?: number;
  /** Any election query slower than this counts as a lost connection. Default min(5 000, lease). */
  queryTimeoutMs?: number;
  /** This process now leads: start scheduling. Runs after the 'acquired' event is recorded. */
  onElected: () => void | Promise<void>;
  /** This process no longer leads (or is stopping): stop scheduling at once. */
  onDemoted: (reason: string) => void | Promise<void>;
}

/**
 * Exactly one process of a deployment leads (runs the scheduler); the others stand by.
 *
 * @example
 * ```ts
 * const election = await startLeaderElection({
 *   db, log, nodeId: randomUUID(), role: 'scheduler', version,
 *   onElected: () => scheduler.start(),
 *   onDemoted: () => scheduler.stop(),
 * });
 * // before each scheduled action:
 * if (!election.isLeader()) return;
 * // on shutdown:
 * await election.stop();
 * ```
 */
export interface LeaderElection {
  readonly nodeId: string;
  /**
   * True while this process leads. Call it right before each scheduled action: it also checks
   * the heartbeat lease, so a process that was paused (SIGSTOP, a long GC, a blocked event loop)
   * answers false as soon as it resumes, before any callback had a chance to run.
   */
  isLeader(): boolean;
  /** Demotes (awaiting onDemoted), records 'released', frees the lock, marks the node stopped. */
  stop(): Promise<void>;
}

/** Options with defaults applied and the derived timings. */
export interface ElectionSettings
  extends Required<Omit<LeaderElectionOptions, 'lockKey' | 'queryTimeoutMs'>> {
  lockKey: bigint;
  queryTimeoutMs: number;
  /** How long a leader trusts its last successful heartbeat (see leader.server.ts). */
  leaseMs: number;
  node: Omit<repo.NodeIdentity, 'backendPid'>;
}

/**
 * Starts electing. Resolves after the first attempt, so `isLeader()` already tells whether this
 * process won; a database error in that attempt is logged and retried, never thrown — only
 * invalid options throw.
 *
 * Server mode (PostgreSQL): `pg_try_advisory_lock` on a dedicated connection; see
 * leader.server.ts. Embedded mode (PGlite): one process owns the database, so it leads at once.
 */
export async function startLeaderElection(options: LeaderElectionOptions): Promise<LeaderElection> {
  const settings = resolveSettings(options);
  return options.db.kind === 'postgres' ? startServerElection(settings) : startEmbeddedElection(settings);
}

function resolveSettings(options: LeaderElectionOptions): ElectionSettings {
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  // 7 s rather than 15 s: a leader that vanishes without closing its socket (host crash,
  // network cut, SIGSTOP) is replaced just after staleAfterMs, and the requirement is a takeover
  // within 10 s; the 3 s left absorb a loaded machine. A killed process is replaced within one
  // heartbeat whatever this is, because PostgreSQL frees the lock when the socket closes. The cost:
  // a leader that cannot heartbeat for leaseMs (5 s) steps down, so raise both together if the
  // database can stall for that long.
  const staleAfterMs = options.staleAfterMs ?? 7_000;
  if (!Number.isFinite(heartbeatMs) || heartbeatMs <= 0) {
    throw new RangeError(`heartbeatMs must be a positive number of milliseconds, got ${heartbeatMs}`);
  }
  if (!Number.isFinite(staleAfterMs) || staleAfterMs < 2 * heartbeatMs) {
    throw new RangeError(
      `staleAfterMs must be at least 2 × heartbeatMs (${2 * heartbeatMs}), got ${staleAfterMs}`,
    );
  }
  const leaseMs = staleAfterMs - heartbeatMs;
  return {
    ...options,
    log: options.log.child({ component: 'leader', node: options.nodeId }),
    lockKey: options.lockKey ?? SCHEDULER_LOCK_KEY,
    heartbeatMs,
    staleAfterMs,
    leaseMs,
    queryTimeoutMs: options.queryTimeoutMs ?? Math.min(5_000, leaseMs),
    node: {
      id: options.nodeId,
      hostname: hostname(),
      pid: process.pid,
      role: options.role,
      version: options.version,
    },
  };
}

/**
 * PGlite is opened by exactly one process (it is in-process), so there is nobody to compete
 * with: lead at once, and keep the nodes row and the events table as in server mode so the admin
 * console reads the same history either way.
 */
async function startEmbeddedElection(s: ElectionSettings): Promise<LeaderElection> {
  const { db, log } = s;
  const node: repo.NodeIdentity = { ...s.node, backendPid: null };
  const callbacks = callbackQueue(log);
  let leader = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped: Promise<void> | undefined;

  try {
    await repo.heartbeat(db, node, null);
    const previous = await repo.lastHolder(db);
    const unclean = previous && previous.nodeId !== node.id && previous.endedBy === null;
    await repo.recordEvent(db, {
      nodeId: node.id,
      event: 'acquired',
      previousNodeId: previous?.nodeId ?? null,
      reason: `embedded database: this process is its only user${unclean ? '; the previous leader ended without releasing' : ''}`,
    });
  } catch (error) {
    // Bookkeeping must not keep the only process from scheduling.
    log.warn({ err: error }, 'could not record embedded leadership');
  }
  leader = true;
  log.info('elected scheduler leader (embedded database)');
  void callbacks.push('onElected', s.onElected);

  async function beat(): Promise<void> {
    try {
      await repo.heartbeat(db, node, null);
    } catch (error) {
      log.warn({ err: error }, 'heartbeat failed; retrying');
    }
    if (!stopping) timer = setTimeout(() => (inFlight = beat()), s.heartbeatMs);
  }
  timer = setTimeout(() => (inFlight = beat()), s.heartbeatMs);

  async function shutdown(): Promise<void> {
    stopping = true;
    clearTimeout(timer);
    await inFlight;
    if (leader) {
      leader = false;
      await callbacks.push('onDemoted', () => s.onDemoted('stopping'));
      try {
        await repo.recordEvent(db, {
          nodeId: node.id,
          event: 'released',
          previousNodeId: null,
          reason: 'stopping',
        });
      } catch (error) {
        log.warn({ err: error }, `could not record released leadership: ${errorMessage(error)}`);
      }
    }
    try {
      await repo.markStopped(db, node.id);
    } catch (error) {
      log.warn({ err: error }, 'could not mark node stopped');
    }
    await callbacks.idle();
  }

  return {
    nodeId: node.id,
    isLeader: () => leader,
    stop: () => {
      stopped ??= shutdown();
      return stopped;
    },
  };
}

/** The latest leadership changes, newest first (admin console, `keel doctor`). */
export function leadershipHistory(db: Database, limit = 50): Promise<repo.LeadershipEvent[]> {
  return repo.leadershipHistory(db, limit);
}

/** Nodes not stopped that heartbeated within `withinMs`, with which one leads. */
export function liveNodes(db: Database, withinMs = 10_000): Promise<repo.LiveNode[]> {
  return repo.liveNodes(db, withinMs);
}
