import type { SqlConnection } from '../db/index.js';

/**
 * The only file that touches `kernel.nodes` and `kernel.leadership_events`. Plain SQL rather than
 * drizzle because the election runs on a dedicated `pg.Client` (the session that holds the lock),
 * which is a `SqlConnection`, not a drizzle database.
 */

export type LeadershipEventKind = 'acquired' | 'released' | 'lost';

export interface NodeIdentity {
  id: string;
  hostname: string;
  pid: number;
  role: string;
  version: string;
  /** Backend of the election connection; null in embedded mode (nothing to terminate). */
  backendPid: number | null;
}

/** One row of `kernel.leadership_events`, newest first in `leadershipHistory`. */
export interface LeadershipEvent {
  id: number;
  nodeId: string;
  event: LeadershipEventKind;
  previousNodeId: string | null;
  reason: string | null;
  at: Date;
}

/** A node whose heartbeat is recent, as the admin console and `keel doctor` show it. */
export interface LiveNode {
  id: string;
  hostname: string;
  pid: number;
  role: string;
  version: string;
  backendPid: number | null;
  startedAt: Date;
  heartbeatAt: Date;
  heartbeatAgeMs: number;
  /** It took the lock last and has not released or lost it since. */
  leader: boolean;
}

/** The node that took the lock last, and how its leadership ended (null: it did not say). */
export interface LastHolder {
  nodeId: string;
  endedBy: 'released' | 'lost' | null;
  heartbeatAgeMs: number | null;
}

/** The backend currently granted the advisory lock, and the node row that claims it. */
export interface LockHolder {
  backendPid: number;
  nodeId: string | null;
  heartbeatAgeMs: number | null;
}

// Advisory locks taken with one bigint key appear in pg_locks split in two 32-bit halves, with
// objsubid 1; they are scoped to the current database.
const lockFilter = `l.locktype = 'advisory' and l.granted and l.objsubid = 1
  and l.database = (select oid from pg_database where datname = current_database())
  and l.classid = ($1::bigint >> 32)::oid and l.objid = ($1::bigint & 4294967295)::oid`;

/**
 * Creates or refreshes this node's row (heartbeat_at = now(), server time, so that followers
 * compare it with the same clock). With `lockKey`, also reports whether this session still holds
 * the lock, so a leader's heartbeat proves both liveness and leadership in one round trip.
 */
export async function heartbeat(
  conn: SqlConnection,
  node: NodeIdentity,
  lockKey: bigint | null,
): Promise<boolean> {
  const holds =
    lockKey === null
      ? 'false'
      : `exists (select 1 from pg_locks l where l.pid = pg_backend_pid() and ${lockFilter.replaceAll('$1', '$7')})`;
  const [row] = await conn.query<{ holds_lock: boolean }>(
    `insert into kernel.nodes (id, hostname, pid, role, version, backend_pid)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (id) do update set hostname = excluded.hostname, pid = excluded.pid, role = excluded.role,
       version = excluded.version, backend_pid = excluded.backend_pid, heartbeat_at = now(), stopped_at = null
     returning ${holds} as holds_lock`,
    [
      node.id,
      node.hostname,
      node.pid,
      node.role,
      node.version,
      node.backendPid,
      ...(lockKey === null ? [] : [lockKey.toString()]),
    ],
  );
  return row?.holds_lock === true;
}

export async function markStopped(conn: SqlConnection, nodeId: string): Promise<void> {
  await conn.query('update kernel.nodes set stopped_at = now(), heartbeat_at = now() where id = $1', [
    nodeId,
  ]);
}

export async function tryLock(conn: SqlConnection, lockKey: bigint): Promise<boolean> {
  const [row] = await conn.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [
    lockKey.toString(),
  ]);
  return row?.locked === true;
}

export async function unlock(conn: SqlConnection, lockKey: bigint): Promise<void> {
  await conn.query('select pg_advisory_unlock($1::bigint)', [lockKey.toString()]);
}

export async function lockHolder(conn: SqlConnection, lockKey: bigint): Promise<LockHolder | undefined> {
  // A backend pid can reappear in old rows of processes that died without `stopped_at`; the
  // freshest heartbeat is the live holder's.
  const [row] = await conn.query<{
    backend_pid: number;
    node_id: string | null;
    heartbeat_age_ms: number | null;
  }>(
    `select l.pid as backend_pid, n.id as node_id, n.heartbeat_age_ms
     from pg_locks l
     left join lateral (
       select id, (extract(epoch from now() - heartbeat_at) * 1000)::float8 as heartbeat_age_ms
       from kernel.nodes where backend_pid = l.pid and stopped_at is null
       order by heartbeat_at desc limit 1
     ) n on true
     where ${lockFilter}
     limit 1`,
    [lockKey.toString()],
  );
  return row
    ? { backendPid: row.backend_pid, nodeId: row.node_id, heartbeatAgeMs: row.heartbeat_age_ms }
    : undefined;
}

/** Waits up to `waitMs` for the backend to exit (PostgreSQL 14+), so its locks are free after. */
export async function terminateBackend(
  conn: SqlConnection,
  backendPid: number,
  waitMs: number,
): Promise<boolean> {
  const [row] = await conn.query<{ terminated: boolean }>(
    'select pg_terminate_backend($1::int, $2::bigint) as terminated',
    [backendPid, waitMs],
  );
  return row?.terminated === true;
}

export async function lastHolder(conn: SqlConnection): Promise<LastHolder | undefined> {
  const [row] = await conn.query<{
    node_id: string;
    ended_by: 'released' | 'lost' | null;
    heartbeat_age_ms: number | null;
  }>(
    `select a.node_id,
       (select e.event from kernel.leadership_events e
        where e.node_id = a.node_id and e.id > a.id and e.event in ('released', 'lost')
        order by e.id limit 1) as ended_by,
       (extract(epoch from now() - n.heartbeat_at) * 1000)::float8 as heartbeat_age_ms
     from (select id, node_id from kernel.leadership_events where event = 'acquired' order by id desc limit 1) a
     left join kernel.nodes n on n.id = a.node_id`,
  );
  return row
    ? { nodeId: row.node_id, endedBy: row.ended_by, heartbeatAgeMs: row.heartbeat_age_ms }
    : undefined;
}

export async function recordEvent(
  conn: SqlConnection,
  event: { nodeId: string; event: LeadershipEventKind; previousNodeId: string | null; reason: string },
): Promise<void> {
  await conn.query(
    'insert into kernel.leadership_events (node_id, event, previous_node_id, reason) values ($1, $2, $3, $4)',
    [event.nodeId, event.event, event.previousNodeId, event.reason],
  );
}

/** The latest leadership changes, newest first. */
export async function leadershipHistory(conn: SqlConnection, limit = 50): Promise<LeadershipEvent[]> {
  const rows = await conn.query<{
    id: string | number;
    node_id: string;
    event: LeadershipEventKind;
    previous_node_id: string | null;
    reason: string | null;
    at: Date;
  }>(
    `select id, node_id, event, previous_node_id, reason, at
     from kernel.leadership_events order by id desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    // bigserial: node-postgres returns int8 as a string, PGlite as a number.
    id: Number(r.id),
    nodeId: r.node_id,
    event: r.event,
    previousNodeId: r.previous_node_id,
    reason: r.reason,
    at: r.at,
  }));
}

/** Nodes not stopped whose heartbeat is younger than `withinMs`, oldest first. */
export async function liveNodes(conn: SqlConnection, withinMs: number): Promise<LiveNode[]> {
  const rows = await conn.query<{
    id: string;
    hostname: string;
    pid: number;
    role: string;
    version: string;
    backend_pid: number | null;
    started_at: Date;
    heartbeat_at: Date;
    heartbeat_age_ms: number;
    leader: boolean;
  }>(
    `with current_leader as (
       select a.node_id
       from (select id, node_id from kernel.leadership_events where event = 'acquired' order by id desc limit 1) a
       where not exists (select 1 from kernel.leadership_events e
                         where e.node_id = a.node_id and e.id > a.id and e.event in ('released', 'lost'))
     )
     select n.id, n.hostname, n.pid, n.role, n.version, n.backend_pid, n.started_at, n.heartbeat_at,
       (extract(epoch from now() - n.heartbeat_at) * 1000)::float8 as heartbeat_age_ms,
       n.id in (select node_id from current_leader) as leader
     from kernel.nodes n
     where n.stopped_at is null and n.heartbeat_at > now() - make_interval(secs => $1::float8 / 1000)
     order by n.started_at, n.id`,
    [withinMs],
  );
  return rows.map((r) => ({
    id: r.id,
    hostname: r.hostname,
    pid: r.pid,
    role: r.role,
    version: r.version,
    backendPid: r.backend_pid,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    heartbeatAgeMs: r.heartbeat_age_ms,
    leader: r.leader,
  }));
}

/**
 * Deletes node rows that stopped, or stopped heartbeating, more than `olderThanDays` ago: every
 * process start adds one row, so without pruning the table only grows.
 */
export async function pruneNodes(conn: SqlConnection, olderThanDays: number): Promise<number> {
  const rows = await conn.query<{ id: string }>(
    `delete from kernel.nodes
      where coalesce(stopped_at, heartbeat_at) < now() - make_interval(days => $1::int)
      returning id`,
    [olderThanDays],
  );
  return rows.length;
}
