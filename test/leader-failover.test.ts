import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, migrate, openPostgres, readMigrations } from '../src/kernel/db/index.js';
import { leadershipHistory } from '../src/kernel/leader/index.js';
import { allModules, migrationSources } from '../src/modules.js';
import { createServerDatabase, hasServer } from './support/db.js';

/**
 * The figure the issue asks for: "a killed leader is replaced in ≤ 10 s", with real processes
 * and the default timings (heartbeat 2 s, stale after 7 s) against the PostgreSQL server.
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const fixture = 'test/fixtures/leader-node.ts';
const bound = 10_000;

interface NodeLine {
  event: 'started' | 'elected' | 'demoted' | 'tick' | 'stopped';
  name: string;
  nodeId: string;
  pid: number;
  /** Date.now() in the child. */
  at: number;
  reason?: string;
  /** performance.now() in this process when the line arrived. */
  receivedAt: number;
}

interface NodeProcess {
  name: string;
  child: ChildProcess;
  lines: NodeLine[];
  stderr: string[];
  nodeId(): string;
  waitFor(event: NodeLine['event'], timeoutMs: number, after?: number): Promise<NodeLine>;
}

function spawnNode(name: string, url: string): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: repoRoot,
    env: { ...process.env, LEADER_DATABASE_URL: url, LEADER_NODE_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: NodeLine[] = [];
  const stderr: string[] = [];
  if (!child.stdout || !child.stderr) throw new Error('child has no stdout/stderr pipes');
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push({ ...(JSON.parse(line) as Omit<NodeLine, 'receivedAt'>), receivedAt: performance.now() });
  });
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  return {
    name,
    child,
    lines,
    stderr,
    nodeId() {
      const started = lines.find((l) => l.event === 'started');
      if (!started) throw new Error(`${name} has not started`);
      return started.nodeId;
    },
    async waitFor(event, timeoutMs, after = 0) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const line = lines.find((l) => l.event === event && l.receivedAt >= after);
        if (line) return line;
        if (performance.now() > deadline || child.exitCode !== null) {
          throw new Error(
            `${name} printed no '${event}' (exit ${child.exitCode}); stderr:\n${stderr.join('\n')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

async function whoLeads(nodes: NodeProcess[], timeoutMs: number): Promise<NodeProcess> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const leader = nodes.find((n) => n.lines.some((l) => l.event === 'elected'));
    if (leader) return leader;
    if (performance.now() > deadline) throw new Error('no node was elected');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(!hasServer)('scheduler leader failover between real processes (PostgreSQL server)', () => {
  let server: Awaited<ReturnType<typeof createServerDatabase>>;
  let db: Database;
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    server = await createServerDatabase();
    db = await openPostgres(server.url, 2);
    await migrate(db, readMigrations(migrationSources(allModules)));
  });

  afterAll(async () => {
    for (const node of nodes) {
      if (node.child.exitCode !== null || node.child.signalCode !== null) continue;
      const exited = once(node.child, 'exit');
      node.child.kill('SIGKILL');
      await exited;
    }
    await db?.close();
    await server?.drop();
  });

  it('replaces a SIGKILLed leader within 10 s', async () => {
    const a = spawnNode('a', server.url);
    const b = spawnNode('b', server.url);
    nodes.push(a, b);
    await Promise.all([a.waitFor('started', 15_000), b.waitFor('started', 15_000)]);
    const leader = await whoLeads([a, b], 5_000);
    const survivor = leader === a ? b : a;

    const exited = once(leader.child, 'exit');
    const killedAt = performance.now();
    leader.child.kill('SIGKILL');
    const elected = await survivor.waitFor('elected', 20_000, killedAt);
    const failoverMs = elected.receivedAt - killedAt;
    await exited;
    console.info(`leader failover after SIGKILL: ${Math.round(failoverMs)} ms`);
    expect(failoverMs).toBeLessThanOrEqual(bound);

    const [latest, before] = await leadershipHistory(db, 2);
    expect(before).toMatchObject({ nodeId: leader.nodeId(), event: 'acquired' });
    expect(latest).toMatchObject({
      nodeId: survivor.nodeId(),
      event: 'acquired',
      previousNodeId: leader.nodeId(),
    });
    expect(latest?.reason).toMatch(/^the previous leader's session ended without releasing the lock/);
  }, 60_000);

  it('terminates a frozen (SIGSTOP) leader within 10 s, and the leader does not act when it resumes', async () => {
    const leader = nodes.find((n) => n.child.exitCode === null && n.child.signalCode === null);
    if (!leader) throw new Error('the previous test left no leader');
    const c = spawnNode('c', server.url);
    nodes.push(c);
    await c.waitFor('started', 15_000);
    expect(c.lines.some((l) => l.event === 'elected')).toBe(false);

    const stoppedAt = performance.now();
    leader.child.kill('SIGSTOP');
    const elected = await c.waitFor('elected', 20_000, stoppedAt);
    const failoverMs = elected.receivedAt - stoppedAt;
    console.info(`leader failover after SIGSTOP: ${Math.round(failoverMs)} ms`);
    expect(failoverMs).toBeLessThanOrEqual(bound);

    const resumedAt = performance.now();
    leader.child.kill('SIGCONT');
    const demoted = await leader.waitFor('demoted', 5_000, resumedAt);
    expect(demoted.reason).toMatch(/^(no successful heartbeat|connection lost)/);
    // Its scheduler checked isLeader() before acting: no tick after the new leader took over.
    expect(leader.lines.filter((l) => l.event === 'tick' && l.at >= elected.at)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(c.lines.some((l) => l.event === 'tick')).toBe(true);
    expect(leader.lines.filter((l) => l.event === 'elected')).toHaveLength(1);

    const history = await leadershipHistory(db, 10);
    const acquired = history.find((e) => e.nodeId === c.nodeId() && e.event === 'acquired');
    expect(acquired?.previousNodeId).toBe(leader.nodeId());
    expect(acquired?.reason).toMatch(new RegExp(`^terminated stale leader ${leader.nodeId()} `));
    const deadline = performance.now() + 5_000;
    while (
      !(await leadershipHistory(db, 10)).some((e) => e.nodeId === leader.nodeId() && e.event === 'lost')
    ) {
      if (performance.now() > deadline) throw new Error(`the resumed leader recorded no 'lost' event`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);
});
