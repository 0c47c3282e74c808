import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/db.js';
import {
  deferred,
  jobQueueHarness,
  memoryLog,
  sleep,
  untilAborted,
  waitFor,
} from '../../../test/support/jobs.js';
import type { AnyJobDefinition, JobQueue } from './index.js';

declare module './index.js' {
  interface JobPayloads {
    'tw.slow': { n: number };
    'tw.long': { n: number };
    'tw.stubborn': { n: number };
    'tw.graceful': { n: number };
    'tw.followup': { from: string };
  }
}

describe.each(testDatabases)('job workers on $kind', (target) => {
  const { log, lines } = memoryLog();
  const harness = jobQueueHarness(target, log);
  const { queue, until } = harness;

  it('runs up to `concurrency` handlers at once per process and never one job twice at once', async () => {
    const running = new Set<string>();
    const runs = new Map<string, number>();
    const overlaps: string[] = [];
    const peak = { A: 0, B: 0 };
    const now = { A: 0, B: 0 };
    const slow = (process: 'A' | 'B'): AnyJobDefinition => ({
      name: 'tw.slow',
      concurrency: 3,
      handler: async (_payload, { jobId }) => {
        if (running.has(jobId)) overlaps.push(jobId);
        running.add(jobId);
        runs.set(jobId, (runs.get(jobId) ?? 0) + 1);
        now[process] += 1;
        peak[process] = Math.max(peak[process], now[process]);
        await sleep(400);
        now[process] -= 1;
        running.delete(jobId);
        return { status: 'done' };
      },
    });
    const sender = queue([slow('A')]);
    await sender.start({ work: false });
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) ids.push((await sender.send('tw.slow', { n })) as string);

    // Two "processes" on one database, each with three slots.
    const a = queue([slow('A')]);
    const b = queue([slow('B')]);
    await Promise.all([a.start({ work: true }), b.start({ work: true })]);
    await waitFor('twelve completed jobs', async () => {
      const state = (await sender.states()).find((s) => s.queue === 'tw.slow');
      return state?.completed === 12;
    });

    expect(overlaps).toEqual([]);
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    expect(peak.A).toBeLessThanOrEqual(3);
    expect(peak.B).toBeLessThanOrEqual(3);
    expect(Math.max(peak.A, peak.B)).toBe(3);
  });

  it('on stop, aborts a long handler after the grace period and hands its job back for another process', async () => {
    const started = deferred<string>();
    const first = queue([
      {
        name: 'tw.long',
        expireInSeconds: 600,
        handler: async (_payload, { jobId, signal }) => {
          started.resolve(jobId);
          return untilAborted(signal);
        },
      },
    ]);
    await first.start({ work: true });
    const id = (await first.send('tw.long', { n: 1 })) as string;
    expect(await started.promise).toBe(id);

    const stopStarted = Date.now();
    await first.stop({ graceMs: 300, abortWaitMs: 2_000 });
    expect(Date.now() - stopStarted).toBeLessThan(10_000);

    const retryCounts: number[] = [];
    const second = queue([
      {
        name: 'tw.long',
        handler: async (_payload, { retryCount }) => {
          retryCounts.push(retryCount);
          return { status: 'done', by: 'second' };
        },
      },
    ]);
    await second.start({ work: false });
    // Back in the queue at once, not counted as an attempt, with the reason on record.
    const handedBack = await second.getJob('tw.long', id);
    expect(handedBack).toMatchObject({ state: 'created', retryCount: 0, startedOn: null });
    expect(handedBack?.output).toEqual({ message: expect.stringMatching(/^handed back: .*shut down/) });
    expect(handedBack?.startAfter.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);

    await second.start({ work: true });
    const done = await until(second, 'tw.long', id, 'completed');
    expect(done.output).toEqual({ status: 'done', by: 'second' });
    expect(retryCounts).toEqual([0]);
    expect(lines.some((l) => l.msg === 'job handed back to the queue (shutdown)' && l.jobId === id)).toBe(
      true,
    );
  });

  it('leaves a job active when its handler ignores the abort signal, so it never runs in two places', async () => {
    const started = deferred<string>();
    const release = deferred<void>();
    const stubborn = queue([
      {
        name: 'tw.stubborn',
        handler: async (_payload, { jobId }) => {
          started.resolve(jobId);
          await release.promise;
          return { status: 'done', late: true };
        },
      },
    ]);
    await stubborn.start({ work: true });
    const id = (await stubborn.send('tw.stubborn', { n: 1 })) as string;
    await started.promise;
    await stubborn.stop({ graceMs: 100, abortWaitMs: 200 });

    const reader = queue([{ name: 'tw.stubborn', handler: async () => ({ status: 'done', late: false }) }]);
    await reader.start({ work: true });
    await sleep(1_200);
    expect((await reader.getJob('tw.stubborn', id))?.state).toBe('active');
    expect(
      lines.some((l) => l.msg?.includes('ignored their abort signal') && JSON.stringify(l.jobs).includes(id)),
    ).toBe(true);
    // When the handler finally finishes, its result is still recorded.
    release.resolve();
    const done = await until(reader, 'tw.stubborn', id, 'completed');
    expect(done.output).toEqual({ status: 'done', late: true });
  });

  it('lets handlers finish within the grace period, and enqueue follow-ups meanwhile; stop is safe to repeat', async () => {
    const started = deferred<void>();
    const followUps: Array<string | null> = [];
    const q: JobQueue = queue([
      {
        name: 'tw.graceful',
        handler: async (_payload, { jobId }) => {
          started.resolve();
          await sleep(400);
          followUps.push(await q.send('tw.followup', { from: jobId }));
          return { status: 'done' };
        },
      },
      { name: 'tw.followup', handler: async () => ({ status: 'done' }) },
    ]);
    await q.start({ work: true });
    const id = (await q.send('tw.graceful', { n: 1 })) as string;
    await started.promise;
    await Promise.all([q.stop({ graceMs: 10_000 }), q.stop({ graceMs: 10_000 })]);
    await q.stop();

    const reader = queue([
      { name: 'tw.graceful', handler: async () => ({ status: 'done' }) },
      { name: 'tw.followup', handler: async () => ({ status: 'done' }) },
    ]);
    await reader.start({ work: false });
    expect((await reader.getJob('tw.graceful', id))?.state).toBe('completed');
    const [followUp] = followUps;
    expect(followUp).toMatch(/^[0-9a-f-]{36}$/);
    const next = await reader.getJob('tw.followup', followUp ?? '');
    expect(next).toMatchObject({ state: 'created', payload: { from: id } });
  });

  it('says so when fetching fails (pg-boss itself would report an empty queue) and when it recovers', async () => {
    const q = queue([{ name: 'tw.graceful', handler: async () => ({ status: 'done' }) }]);
    await q.start({ work: true });
    await harness.db.exec('alter table pgboss.job rename to job_away');
    try {
      await waitFor('a fetch error in the log', () =>
        lines.some((l) => l.msg?.startsWith('fetching jobs failed') && l.queue === 'tw.graceful'),
      );
    } finally {
      await harness.db.exec('alter table pgboss.job_away rename to job');
    }
    await waitFor('recovery in the log', () => lines.some((l) => l.msg === 'fetching jobs works again'));
    expect(lines.filter((l) => l.msg?.startsWith('fetching jobs failed'))).toHaveLength(1);
    const id = (await q.send('tw.graceful', { n: 1 })) as string;
    await until(q, 'tw.graceful', id, 'completed');
  });

  it('stops cleanly when it was never started', async () => {
    const q = queue([{ name: 'tw.graceful', handler: async () => ({ status: 'done' }) }]);
    await q.stop();
    await q.stop();
  });
});
