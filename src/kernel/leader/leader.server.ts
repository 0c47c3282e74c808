import { performance } from 'node:perf_hooks';
import type { DedicatedConnection } from '../db/index.js';
import type { ElectionSettings, LeaderElection } from './leader.js';
import * as repo from './leader.repository.js';
import { callbackQueue, describeTakeover, errorMessage, seconds, withTimeout } from './leader.support.js';

// pg_terminate_backend waits this long for the stale backend to exit, so its lock is free when
// the follower tries again right after.
const TERMINATE_WAIT_MS = 5_000;

/**
 * Leader election on a PostgreSQL server.
 *
 * Each process owns one dedicated connection (not from the pool: a session-level advisory lock
 * belongs to a session, and a pooled client would hand it to unrelated queries). Every
 * heartbeatMs it upserts its `kernel.nodes` row over that connection, so a fresh heartbeat_at
 * proves that the very session holding the lock is alive; a follower then tries
 * `pg_try_advisory_lock`.
 *
 * How leadership ends:
 * - The leader process dies: the kernel closes its socket, PostgreSQL ends the session and frees
 *   the lock, and a follower takes it on its next heartbeat (≤ heartbeatMs).
 * - The leader is frozen or unreachable but its socket stays open (SIGSTOP, host lost without a
 *   TCP reset): nothing frees the lock, so a follower that sees the lock holder's heartbeat older
 *   than staleAfterMs (server clock on both sides) terminates that backend and takes the lock.
 * - The leader loses its connection ('error' event, failed or timed-out query, lock no longer
 *   held): it demotes itself at once, reconnects on the next tick as a follower and records
 *   'lost' then.
 *
 * The lease closes the gap a callback cannot: a frozen leader runs nothing, so when it resumes,
 * a follower may already lead while this process still believes it does. heartbeat_at is written
 * after this process sent the heartbeat, so a follower can only see it older than staleAfterMs
 * once more than staleAfterMs passed here since that send. The leader therefore trusts itself
 * only leaseMs = staleAfterMs − heartbeatMs after its last successful heartbeat (one heartbeat of
 * margin for clock-rate differences and late timers), and `isLeader()` checks it synchronously.
 * Past the lease it drops the connection (freeing the lock if it still had it) rather than keep
 * a lock it no longer trusts.
 */
export async function startServerElection(s: ElectionSettings): Promise<LeaderElection> {
  const { db, log, lockKey, heartbeatMs, staleAfterMs, leaseMs, queryTimeoutMs } = s;
  const nodeId = s.node.id;
  const callbacks = callbackQueue(log);
  let conn: DedicatedConnection | undefined;
  let leader = false;
  /** Leadership terms, so a late onElected failure does not resign a newer term. */
  let term = 0;
  /** performance.now() when the last successful heartbeat was sent. */
  let leaseFrom = 0;
  /** A 'lost' event waiting for a connection to be recorded on. */
  let pendingLost: string | undefined;
  let resignReason: string | undefined;
  let stopping = false;
  let failing = false;
  /** Delay before the next tick; a follower shortens it when the leader is about to turn stale. */
  let nextTickMs = heartbeatMs;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped: Promise<void> | undefined;

  const timed = <T>(what: string, work: Promise<T>, ms = queryTimeoutMs) => withTimeout(work, ms, what);

  function demote(reason: string): void {
    if (!leader) return;
    leader = false;
    resignReason = undefined;
    pendingLost = reason;
    log.warn({ reason }, 'scheduler leadership lost');
    void callbacks.push('onDemoted', () => s.onDemoted(reason));
  }

  /** Forgets `c` if it is the current connection; closing it ends the session and frees the lock. */
  function drop(c: DedicatedConnection | undefined, reason: string): void {
    if (c === undefined || c !== conn) return;
    conn = undefined;
    demote(reason);
    void closeQuietly(c, queryTimeoutMs);
  }

  function isLeader(): boolean {
    const sinceHeartbeat = performance.now() - leaseFrom;
    if (leader && sinceHeartbeat > leaseMs) {
      drop(
        conn,
        `no successful heartbeat for ${seconds(sinceHeartbeat)} s (process paused or database unreachable); a follower may have taken over`,
      );
    }
    return leader;
  }

  async function connect(): Promise<DedicatedConnection> {
    const c = await db.connectDedicated();
    c.onError((error) => {
      if (c !== conn) return;
      log.warn({ err: error }, 'leader election connection lost');
      drop(c, `connection lost: ${error.message}`);
    });
    conn = c;
    return c;
  }

  async function tick(): Promise<void> {
    if (leader) isLeader();
    const c = conn ?? (await connect());
    if (stopping) return;
    const sentAt = performance.now();
    const holdsLock = await timed(
      'heartbeat',
      repo.heartbeat(c, { ...s.node, backendPid: c.backendPid }, leader ? lockKey : null),
    );
    if (pendingLost !== undefined) {
      await timed(
        'record lost',
        repo.recordEvent(c, { nodeId, event: 'lost', previousNodeId: null, reason: pendingLost }),
      );
      pendingLost = undefined;
    }
    if (leader) {
      if (!holdsLock) return drop(c, 'the advisory lock is no longer held by this session');
      leaseFrom = sentAt;
      if (resignReason !== undefined) await resign(c, resignReason);
      return;
    }
    await tryAcquire(c, sentAt);
  }

  async function tryAcquire(c: DedicatedConnection, sentAt: number): Promise<void> {
    let terminated: string | undefined;
    if (!(await timed('try lock', repo.tryLock(c, lockKey)))) {
      const holder = await timed('find lock holder', repo.lockHolder(c, lockKey));
      // A holder without a nodes row is not a Keel election (or predates its row): leave it be.
      if (holder?.nodeId == null || holder.heartbeatAgeMs === null) return;
      if (holder.heartbeatAgeMs <= staleAfterMs) {
        // Look again right when it would turn stale rather than up to a heartbeat later: a frozen
        // leader is then replaced after staleAfterMs, not staleAfterMs + heartbeatMs.
        nextTickMs = Math.min(heartbeatMs, Math.max(10, staleAfterMs - holder.heartbeatAgeMs + 10));
        return;
      }
      terminated = `terminated stale leader ${holder.nodeId} (backend ${holder.backendPid}, last heartbeat ${seconds(holder.heartbeatAgeMs)} s ago)`;
      log.warn(
        { staleLeader: holder.nodeId, backendPid: holder.backendPid, heartbeatAgeMs: holder.heartbeatAgeMs },
        'terminating the backend of a stale scheduler leader',
      );
      await timed(
        'terminate stale leader',
        repo.terminateBackend(c, holder.backendPid, TERMINATE_WAIT_MS),
        TERMINATE_WAIT_MS + queryTimeoutMs,
      );
      if (!(await timed('try lock', repo.tryLock(c, lockKey)))) return;
    }
    const previous = await timed('read last holder', repo.lastHolder(c));
    const reason = terminated ?? describeTakeover(previous, nodeId);
    await timed(
      'record acquired',
      repo.recordEvent(c, { nodeId, event: 'acquired', previousNodeId: previous?.nodeId ?? null, reason }),
    );
    if (c !== conn) {
      // The connection died after the lock was taken: the lock went with it; keep history paired.
      pendingLost = 'connection lost while taking the lock';
      return;
    }
    leader = true;
    leaseFrom = sentAt;
    const thisTerm = ++term;
    log.info({ previous: previous?.nodeId ?? null, reason }, 'elected scheduler leader');
    void callbacks.push('onElected', s.onElected).then((ok) => {
      if (!ok && leader && term === thisTerm) resignReason = 'onElected failed';
    });
  }

  /** A leader that cannot schedule should not hold the lock: step down so another can. */
  async function resign(c: DedicatedConnection, reason: string): Promise<void> {
    leader = false;
    resignReason = undefined;
    log.warn({ reason }, 'resigning scheduler leadership');
    await callbacks.push('onDemoted', () => s.onDemoted(reason));
    await timed(
      'record released',
      repo.recordEvent(c, { nodeId, event: 'released', previousNodeId: null, reason }),
    );
    await timed('unlock', repo.unlock(c, lockKey));
  }

  async function runTick(): Promise<void> {
    try {
      await tick();
      if (failing) log.info('leader election recovered');
      failing = false;
    } catch (error) {
      // The session's state is unknown after a failure: drop it (freeing any lock) and start over.
      if (failing) log.debug({ err: error }, 'leader election tick failed again');
      else log.warn({ err: error }, `leader election tick failed; retrying every ${heartbeatMs} ms`);
      failing = true;
      drop(conn, `election query failed: ${errorMessage(error)}`);
    }
    const delay = nextTickMs;
    nextTickMs = heartbeatMs;
    if (!stopping) timer = setTimeout(() => (inFlight = runTick()), delay);
  }

  async function shutdown(): Promise<void> {
    stopping = true;
    clearTimeout(timer);
    await inFlight;
    const c = conn;
    conn = undefined;
    if (leader) {
      leader = false;
      log.info('releasing scheduler leadership');
      // The scheduler stops before the lock is freed, so two never overlap.
      await callbacks.push('onDemoted', () => s.onDemoted('stopping'));
      if (c) {
        await attempt('record released', () =>
          repo.recordEvent(c, { nodeId, event: 'released', previousNodeId: null, reason: 'stopping' }),
        );
        await attempt('unlock', () => repo.unlock(c, lockKey));
      }
    }
    if (c) {
      await attempt('mark node stopped', () => repo.markStopped(c, nodeId));
      await closeQuietly(c, queryTimeoutMs);
    }
    await callbacks.idle();
  }

  async function attempt(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await timed(what, work());
    } catch (error) {
      log.warn({ err: error }, `could not ${what} while stopping`);
    }
  }

  inFlight = runTick();
  await inFlight;
  return {
    nodeId,
    isLeader,
    stop: () => {
      stopped ??= shutdown();
      return stopped;
    },
  };
}

/** Never rejects, and gives up waiting on a socket that will not close. */
async function closeQuietly(c: DedicatedConnection, ms: number): Promise<void> {
  try {
    await withTimeout(c.close(), ms, 'close');
  } catch {
    // The session ends with the socket either way; nothing left to do.
  }
}
