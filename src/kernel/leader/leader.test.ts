import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  hasServer,
  type OpenedTestDatabase,
  openPgliteTestDatabase,
  openServerTestDatabase,
} from '../../../test/support/db.js';
import type { Database } from '../db/index.js';
import { createLog } from '../log/index.js';
import {
  type LeaderElection,
  type LeaderElectionOptions,
  leadershipHistory,
  liveNodes,
  SCHEDULER_LOCK_KEY,
  startLeaderElection,
} from './index.js';

const log = createLog({ svc: 'test', level: 'silent' });
// Fast timings: followers try every 100 ms, a leader is stale after 1 s (its lease is 0.9 s).
const fast = { heartbeatMs: 100, staleAfterMs: 1_000 };

/** One election plus what its callbacks saw, in order. */
interface Candidate {
  election: LeaderElection;
  calls: string[];
}

function candidate(
  db: Database,
  timeline: string[],
  name: string,
  overrides: Partial<LeaderElectionOptions> = {},
) {
  const calls: string[] = [];
  const started = startLeaderElection({
    db,
    log,
    nodeId: randomUUID(),
    role: 'scheduler',
    version: 'test',
    ...fast,
    onElected: () => {
      calls.push('elected');
      timeline.push(`${name} elected`);
    },
    onDemoted: (reason) => {
      calls.push(`demoted: ${reason}`);
      timeline.push(`${name} demoted`);
    },
    ...overrides,
  });
  return started.then((election): Candidate => ({ election, calls }));
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Oldest first, as a reader follows the story. */
async function story(db: Database) {
  return (await leadershipHistory(db, 100)).reverse();
}

describe('leader election on an embedded database (PGlite)', () => {
  let t: OpenedTestDatabase;
  beforeAll(async () => {
    t = await openPgliteTestDatabase();
    return () => t.drop();
  });

  it('leads at once, heartbeats, and records acquired and released', async () => {
    const timeline: string[] = [];
    const a = await candidate(t.db, timeline, 'a');
    expect(a.election.isLeader()).toBe(true);
    await waitFor('onElected', () => a.calls.length === 1);

    const [node] = await liveNodes(t.db, 5_000);
    expect(node).toMatchObject({ id: a.election.nodeId, role: 'scheduler', leader: true, backendPid: null });
    const firstBeat = node?.heartbeatAt.getTime() ?? 0;
    await waitFor('a later heartbeat', async () => {
      const [again] = await liveNodes(t.db, 5_000);
      return (again?.heartbeatAt.getTime() ?? 0) > firstBeat;
    });

    await a.election.stop();
    await a.election.stop();
    expect(a.election.isLeader()).toBe(false);
    expect(a.calls).toEqual(['elected', 'demoted: stopping']);
    expect(await liveNodes(t.db, 5_000)).toEqual([]);

    // The next process on the same (persisted) database names the one before it.
    const b = await candidate(t.db, timeline, 'b');
    expect(b.election.isLeader()).toBe(true);
    await b.election.stop();
    const events = await story(t.db);
    expect(events.map((e) => [e.nodeId, e.event, e.previousNodeId])).toEqual([
      [a.election.nodeId, 'acquired', null],
      [a.election.nodeId, 'released', null],
      [b.election.nodeId, 'acquired', a.election.nodeId],
      [b.election.nodeId, 'released', null],
    ]);
    expect(events[0]?.reason).toMatch(/embedded database/);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((x, y) => x - y));
  });

  it('lists only nodes whose heartbeat is recent and that did not stop', async () => {
    const id = randomUUID();
    await t.db.query(
      `insert into kernel.nodes (id, hostname, pid, role, version, heartbeat_at)
       values ($1, 'gone', 1, 'worker', 'test', now() - interval '1 minute')`,
      [id],
    );
    expect((await liveNodes(t.db, 120_000)).map((n) => n.id)).toContain(id);
    expect((await liveNodes(t.db, 10_000)).map((n) => n.id)).not.toContain(id);
  });

  it('refuses timings under which a healthy leader would be taken for stale', async () => {
    await expect(candidate(t.db, [], 'x', { heartbeatMs: 1_000, staleAfterMs: 1_500 })).rejects.toThrow(
      RangeError,
    );
    await expect(candidate(t.db, [], 'x', { heartbeatMs: 0 })).rejects.toThrow(RangeError);
  });
});

describe.skipIf(!hasServer)('leader election on a PostgreSQL server', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function database(): Promise<Database> {
    const t = await openServerTestDatabase();
    cleanups.push(t.drop);
    return t.db;
  }

  async function start(
    db: Database,
    timeline: string[],
    name: string,
    overrides?: Partial<LeaderElectionOptions>,
  ) {
    const c = await candidate(db, timeline, name, overrides);
    cleanups.push(() => c.election.stop());
    return c;
  }

  it('elects exactly one of two nodes and leaves a healthy leader alone', async () => {
    const db = await database();
    const timeline: string[] = [];
    const a = await start(db, timeline, 'a');
    const b = await start(db, timeline, 'b');
    expect([a.election.isLeader(), b.election.isLeader()]).toEqual([true, false]);

    // Several stale periods later, nothing changed: the follower only takes a stale lock.
    for (let i = 0; i < 25; i++) {
      await sleep(100);
      expect([a.election.isLeader(), b.election.isLeader()]).toEqual([true, false]);
    }
    expect(timeline).toEqual(['a elected']);
    const nodes = await liveNodes(db, 5_000);
    expect(nodes.map((n) => [n.id, n.leader])).toEqual([
      [a.election.nodeId, true],
      [b.election.nodeId, false],
    ]);
    expect(nodes.every((n) => typeof n.backendPid === 'number' && n.heartbeatAgeMs < 1_000)).toBe(true);
    const events = await story(db);
    expect(events.map((e) => [e.nodeId, e.event, e.previousNodeId, e.reason])).toEqual([
      [a.election.nodeId, 'acquired', null, 'first leader of this database'],
    ]);
  });

  it('hands over to the follower when the leader stops, leader demoted first', async () => {
    const db = await database();
    const timeline: string[] = [];
    const a = await start(db, timeline, 'a');
    const b = await start(db, timeline, 'b');
    await a.election.stop();
    await waitFor('b to lead', () => b.election.isLeader(), 2_000);
    expect(timeline).toEqual(['a elected', 'a demoted', 'b elected']);
    expect(a.calls).toEqual(['elected', 'demoted: stopping']);

    const events = await story(db);
    expect(events.map((e) => [e.nodeId, e.event, e.previousNodeId])).toEqual([
      [a.election.nodeId, 'acquired', null],
      [a.election.nodeId, 'released', null],
      [b.election.nodeId, 'acquired', a.election.nodeId],
    ]);
    expect(events[2]?.reason).toBe('the previous leader released the lock');
    const [row] = await db.query<{ stopped: boolean }>(
      'select stopped_at is not null as stopped from kernel.nodes where id = $1',
      [a.election.nodeId],
    );
    expect(row?.stopped).toBe(true);
    expect((await liveNodes(db, 5_000)).map((n) => [n.id, n.leader])).toEqual([[b.election.nodeId, true]]);
  });

  it('terminates a leader whose heartbeat went stale (frozen process) and takes over', async () => {
    const db = await database();
    // A "frozen" leader: its session holds the lock, but its heartbeat stopped a minute ago.
    const frozen = await db.connectDedicated();
    cleanups.push(() => frozen.close().catch(() => undefined));
    const frozenErrors: Error[] = [];
    frozen.onError((error) => frozenErrors.push(error));
    const frozenId = randomUUID();
    await frozen.query(
      `insert into kernel.nodes (id, hostname, pid, role, version, backend_pid, heartbeat_at)
       values ($1, 'frozen', 1, 'scheduler', 'test', $2, now() - interval '1 minute')`,
      [frozenId, frozen.backendPid],
    );
    await frozen.query(
      `insert into kernel.leadership_events (node_id, event, reason) values ($1, 'acquired', 'test')`,
      [frozenId],
    );
    await frozen.query('select pg_try_advisory_lock($1::bigint)', [SCHEDULER_LOCK_KEY.toString()]);

    const timeline: string[] = [];
    const b = await start(db, timeline, 'b');
    expect(b.election.isLeader()).toBe(true);
    await waitFor('the frozen session to be ended', () => frozenErrors.length > 0);
    const [latest] = await leadershipHistory(db, 1);
    expect(latest).toMatchObject({ nodeId: b.election.nodeId, event: 'acquired', previousNodeId: frozenId });
    expect(latest?.reason).toMatch(
      new RegExp(
        `^terminated stale leader ${frozenId} \\(backend ${frozen.backendPid}, last heartbeat 6\\d\\.\\d s ago\\)$`,
      ),
    );
  });

  it('never terminates a lock holder that is not a Keel node', async () => {
    const db = await database();
    const foreign = await db.connectDedicated();
    cleanups.push(() => foreign.close());
    await foreign.query('select pg_try_advisory_lock($1::bigint)', [SCHEDULER_LOCK_KEY.toString()]);
    const b = await start(db, [], 'b');
    await sleep(1_500);
    expect(b.election.isLeader()).toBe(false);
    expect(await foreign.query('select 1 as ok')).toEqual([{ ok: 1 }]);
  });

  it('demotes at once when its session is killed, records lost, then leads again', async () => {
    const db = await database();
    const timeline: string[] = [];
    const a = await start(db, timeline, 'a');
    const [row] = await db.query<{ backend_pid: number }>(
      'select backend_pid from kernel.nodes where id = $1',
      [a.election.nodeId],
    );
    const killedAt = performance.now();
    await db.query('select pg_terminate_backend($1)', [row?.backend_pid]);
    await waitFor('a to be demoted', () => a.calls.length === 2, 2_000);
    // Demotion follows the connection's error event, not the next heartbeat.
    expect(performance.now() - killedAt).toBeLessThan(500);
    expect(a.calls[1]).toMatch(
      /^demoted: connection lost: terminating connection due to administrator command/,
    );
    await waitFor('a to lead again', () => a.election.isLeader(), 2_000);

    const events = await story(db);
    expect(events.map((e) => [e.event, e.previousNodeId])).toEqual([
      ['acquired', null],
      ['lost', null],
      ['acquired', a.election.nodeId],
    ]);
    expect(events[1]?.reason).toMatch(/^connection lost/);
    expect(events[2]?.reason).toBe('took the lock again after losing it');
  });

  it('stops trusting itself once its lease ran out (paused process), before anyone can take over', async () => {
    const db = await database();
    const timeline: string[] = [];
    const a = await start(db, timeline, 'a');
    const b = await start(db, timeline, 'b');
    expect(a.election.isLeader()).toBe(true);

    // Block the event loop past the lease (0.9 s): this process is "frozen" as SIGSTOP would.
    const until = performance.now() + 1_300;
    while (performance.now() < until) {
      // busy wait
    }
    expect(a.election.isLeader()).toBe(false);
    let both = false;
    await waitFor('a new leader', () => {
      both ||= a.election.isLeader() && b.election.isLeader();
      return a.election.isLeader() || b.election.isLeader();
    });
    for (let i = 0; i < 10; i++) {
      await sleep(50);
      both ||= a.election.isLeader() && b.election.isLeader();
    }
    expect(both).toBe(false);
    expect(a.calls[1]).toMatch(/^demoted: no successful heartbeat for 1\.\d s/);
    const lost = (await story(db)).find((e) => e.event === 'lost');
    expect(lost).toMatchObject({ nodeId: a.election.nodeId });
  });

  it('gives up a leadership whose heartbeat hangs, and a follower replaces the stuck session', async () => {
    const db = await database();
    const timeline: string[] = [];
    const a = await start(db, timeline, 'a');
    const b = await start(db, timeline, 'b');
    // Another session locks a's nodes row: a's heartbeat blocks as on an unresponsive server.
    const blocker = await db.connectDedicated();
    cleanups.push(() => blocker.close());
    await blocker.exec('begin');
    await blocker.query('select 1 from kernel.nodes where id = $1 for update', [a.election.nodeId]);
    let both = false;
    await waitFor('b to lead', () => {
      both ||= a.election.isLeader() && b.election.isLeader();
      return b.election.isLeader();
    });
    expect(both).toBe(false);
    // The lease (0.9 s since the last good heartbeat) or the query timeout (0.9 s), whichever first.
    expect(a.calls[1]).toMatch(
      /^demoted: (no successful heartbeat|election query failed: heartbeat timed out)/,
    );
    await blocker.exec('commit');
    const events = await story(db);
    expect(events.slice(0, 2).map((e) => [e.nodeId, e.event, e.previousNodeId])).toEqual([
      [a.election.nodeId, 'acquired', null],
      [b.election.nodeId, 'acquired', a.election.nodeId],
    ]);
    // The blocked session could not notice its client was gone, so b had to terminate it.
    expect(events[1]?.reason).toMatch(/^terminated stale leader/);
    await waitFor('a to record lost', async () => (await story(db)).some((e) => e.event === 'lost'));
    expect(a.election.isLeader()).toBe(false);
  });

  it('resigns when onElected fails, so that a node able to schedule can lead', async () => {
    const db = await database();
    let attempts = 0;
    const a = await start(db, [], 'a', {
      onElected: () => {
        attempts++;
        if (attempts === 1) throw new Error('scheduler would not start');
      },
    });
    await waitFor('a second election', () => attempts === 2 && a.election.isLeader());
    const events = await story(db);
    expect(events.map((e) => [e.event, e.reason])).toEqual([
      ['acquired', 'first leader of this database'],
      ['released', 'onElected failed'],
      ['acquired', 'took the lock again after releasing it'],
    ]);
  });
});
