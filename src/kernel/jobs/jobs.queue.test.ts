import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/db.js';
import { jobQueueHarness, memoryLog, waitFor } from '../../../test/support/jobs.js';
import { KeelError } from '../errors/index.js';
import { currentTrace, runWithTrace, type TraceContext } from '../trace/index.js';
import { type AnyJobDefinition, createJobQueue } from './index.js';

declare module './index.js' {
  interface JobPayloads {
    'tq.echo': { n: number };
    'tq.trace': { n: number };
    'tq.fail': { n: number };
    'tq.single': { n: number };
    'tq.delayed': { n: number };
    'tq.priority': { n: number };
    'tq.count': { n: number };
    /** Declared only to show that such a name is refused at runtime. */
    'tq.bad.dead': { n: number };
  }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(testDatabases)('job queue on $kind', (target) => {
  const { log, lines } = memoryLog();
  const harness = jobQueueHarness(target, log);
  const { queue, until } = harness;

  it('runs a job and stores its result as the job output', async () => {
    const q = queue([{ name: 'tq.echo', handler: async ({ n }) => ({ status: 'done', doubled: n * 2 }) }]);
    await q.start({ work: true });
    const id = await q.send('tq.echo', { n: 21 });
    expect(id).toMatch(uuid);
    const job = await until(q, 'tq.echo', id as string, 'completed');
    expect(job.payload).toEqual({ n: 21 });
    expect(job.output).toEqual({ status: 'done', doubled: 42 });
    expect(job.retryCount).toBe(0);
  });

  it("runs the handler inside the sender's trace, so its log lines carry the request's trace uuid", async () => {
    const seen = new Map<number, TraceContext | undefined>();
    const q = queue([
      {
        name: 'tq.trace',
        handler: async ({ n }, { log: jobLog }) => {
          seen.set(n, currentTrace());
          jobLog.info({ n }, 'inside the handler');
          return { status: 'done' };
        },
      },
    ]);
    await q.start({ work: true });
    const request: TraceContext = { traceUuid: '0b6f7c52-6a4e-4f0e-9a43-2d7b3c1e9f10', userId: 'user-1' };
    const id = await runWithTrace(request, () => q.send('tq.trace', { n: 1 }));
    const untraced = await q.send('tq.trace', { n: 2 });
    await until(q, 'tq.trace', id as string, 'completed');
    const other = await until(q, 'tq.trace', untraced as string, 'completed');

    expect(seen.get(1)).toEqual(request);
    const inside = lines.find((l) => l.msg === 'inside the handler' && l.n === 1);
    expect(inside).toMatchObject({ trace: request.traceUuid, id: 'user-1', jobId: id });
    const done = lines.find((l) => l.msg === 'job done' && l.jobId === id);
    expect(done?.trace).toBe(request.traceUuid);
    // Without a trace at send time the job gets its own, recorded with it.
    expect(seen.get(2)?.traceUuid).toMatch(uuid);
    expect(seen.get(2)?.traceUuid).not.toBe(request.traceUuid);
    expect(other.traceUuid).toBe(seen.get(2)?.traceUuid);
  });

  it('retries a failing handler retryLimit times with growing delays, then dead-letters it with its error', async () => {
    const attempts: Array<{ at: number; retryCount: number }> = [];
    const q = queue([
      {
        name: 'tq.fail',
        retryLimit: 2,
        retryDelaySeconds: 1,
        handler: async (_payload, { retryCount }) => {
          attempts.push({ at: Date.now(), retryCount });
          throw new Error(`boom on attempt ${attempts.length}`);
        },
      },
    ]);
    await q.start({ work: true });
    const id = (await runWithTrace({ traceUuid: 'f5b0b8a4-2a51-4b0c-8d8e-3f1c7d9a6b21' }, () =>
      q.send('tq.fail', { n: 7 }),
    )) as string;

    const [dead] = await waitFor('a dead letter', async () => {
      const letters = await q.deadLetters('tq.fail');
      return letters.length > 0 ? letters : null;
    });
    expect(attempts.map((a) => a.retryCount)).toEqual([0, 1, 2]);
    // Exponential backoff with jitter: retry k waits between d·2^(k-1) and d·2^k seconds.
    const gaps = attempts.slice(1).map((a, i) => a.at - (attempts[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1900);
    expect(gaps[1]).toBeLessThan(12_000);

    expect(dead).toMatchObject({
      queue: 'tq.fail.dead',
      originalJobId: id,
      payload: { n: 7 },
      traceUuid: 'f5b0b8a4-2a51-4b0c-8d8e-3f1c7d9a6b21',
      error: expect.objectContaining({ message: 'boom on attempt 3', name: 'Error' }),
    });
    expect(dead?.deadAt).toBeInstanceOf(Date);
    const original = await q.getJob('tq.fail', id);
    expect(original).toMatchObject({ state: 'failed', retryCount: 2, retryLimit: 2 });
    const inDlq = await q.getJob('tq.fail.dead', dead?.id as string);
    expect(inDlq?.payload).toEqual({ n: 7 });
    const states = await q.states();
    expect(states.find((s) => s.queue === 'tq.fail')).toMatchObject({
      failed: 1,
      created: 0,
      retry: 0,
      active: 0,
    });
    expect(states.find((s) => s.queue === 'tq.fail.dead')).toMatchObject({ created: 1, deadLetter: null });
    // No attempt after the last one.
    expect(attempts).toHaveLength(3);
  });

  it('refuses a second queued job with the same singleton key, and any repeat of an idempotency key', async () => {
    const definitions: AnyJobDefinition[] = [
      { name: 'tq.single', handler: async () => ({ status: 'done' }) },
    ];
    const sender = queue(definitions);
    await sender.start({ work: false });
    const first = await sender.send('tq.single', { n: 1 }, { singletonKey: 'change-1' });
    expect(first).toMatch(uuid);
    expect(await sender.send('tq.single', { n: 2 }, { singletonKey: 'change-1' })).toBeNull();
    expect(await sender.send('tq.single', { n: 3 }, { singletonKey: 'change-2' })).toMatch(uuid);
    const request = await sender.send('tq.single', { n: 4 }, { idempotencyKey: 'request-9' });
    expect(request).toMatch(uuid);
    expect(await sender.send('tq.single', { n: 5 }, { idempotencyKey: 'request-9' })).toBeNull();

    const worker = queue(definitions);
    await worker.start({ work: true });
    await until(sender, 'tq.single', first as string, 'completed');
    await until(sender, 'tq.single', request as string, 'completed');
    // Once the keyed job is done the singleton key is free again; the idempotency key is not.
    expect(await sender.send('tq.single', { n: 6 }, { singletonKey: 'change-1' })).toMatch(uuid);
    expect(await sender.send('tq.single', { n: 7 }, { idempotencyKey: 'request-9' })).toBeNull();
    expect((await sender.getJob('tq.single', first as string))?.singletonKey).toBe('change-1');
  });

  it('does not start a delayed job before its startAfter', async () => {
    const ranAt = new Map<number, number>();
    const q = queue([
      {
        name: 'tq.delayed',
        handler: async ({ n }) => {
          ranAt.set(n, Date.now());
          return { status: 'done' };
        },
      },
    ]);
    await q.start({ work: true });
    const sentAt = Date.now();
    const inSeconds = await q.send('tq.delayed', { n: 1 }, { startAfter: 2 });
    const atDate = await q.send('tq.delayed', { n: 2 }, { startAfter: new Date(sentAt + 2_000) });
    await q.send('tq.delayed', { n: 3 });
    const queued = await q.getJob('tq.delayed', inSeconds as string);
    expect((queued?.startAfter.getTime() ?? 0) - (queued?.createdOn.getTime() ?? 0)).toBeGreaterThanOrEqual(
      1_900,
    );
    await waitFor('all three to run', () => ranAt.size === 3);
    expect((ranAt.get(1) ?? 0) - sentAt).toBeGreaterThanOrEqual(1_900);
    expect((ranAt.get(2) ?? 0) - sentAt).toBeGreaterThanOrEqual(1_900);
    expect(ranAt.get(3)).toBeLessThan(ranAt.get(1) ?? 0);
    await until(q, 'tq.delayed', atDate as string, 'completed');
  });

  it('runs waiting jobs in priority order', async () => {
    const order: number[] = [];
    const definitions: AnyJobDefinition[] = [
      {
        name: 'tq.priority',
        handler: async ({ n }) => {
          order.push(n);
          return { status: 'done' };
        },
      },
    ];
    const sender = queue(definitions);
    await sender.start({ work: false });
    await sender.send('tq.priority', { n: 0 });
    await sender.send('tq.priority', { n: 10 }, { priority: 10 });
    await sender.send('tq.priority', { n: 5 }, { priority: 5 });
    const worker = queue(definitions);
    await worker.start({ work: true });
    await waitFor('three runs', () => order.length === 3);
    expect(order).toEqual([10, 5, 0]);
  });

  it('counts jobs per state and queue depth for every queue and its dead-letter queue', async () => {
    const q = queue([{ name: 'tq.count', handler: async () => ({ status: 'done' }) }]);
    await q.start({ work: false });
    for (const n of [1, 2, 3]) await q.send('tq.count', { n });
    await q.send('tq.count', { n: 4 }, { startAfter: 3600 });

    expect(await q.states()).toEqual([
      {
        queue: 'tq.count',
        deadLetter: 'tq.count.dead',
        created: 4,
        retry: 0,
        active: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
      },
      {
        queue: 'tq.count.dead',
        deadLetter: null,
        created: 0,
        retry: 0,
        active: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
      },
    ]);
    expect(await q.depths()).toEqual([
      { queue: 'tq.count', depth: 4 },
      { queue: 'tq.count.dead', depth: 0 },
    ]);
    expect(await q.getJob('tq.count', 'not-a-uuid')).toBeNull();
    expect(await q.getJob('tq.count', '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await q.getJob('tq.echo', '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('refuses to send before start, after stop, and to jobs it does not define', async () => {
    const q = queue([{ name: 'tq.count', handler: async () => ({ status: 'done' }) }]);
    await expect(q.send('tq.count', { n: 1 })).rejects.toThrow(/not been started/);
    await q.start({ work: false });
    await expect(q.send('tq.echo', { n: 1 })).rejects.toThrow(/no job named "tq.echo"/);
    await q.stop();
    const error = await q.send('tq.count', { n: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('shutting_down');
    await expect(q.start({ work: true })).rejects.toThrow(/stopped/);
  });

  it('rejects invalid definitions when the queue is created', () => {
    const handler = async () => ({ status: 'done' as const });
    expect(() =>
      createJobQueue({ db: harness.db, log, definitions: [{ name: 'tq.bad.dead', handler }] }),
    ).toThrow(/reserved/);
    expect(() =>
      createJobQueue({
        db: harness.db,
        log,
        definitions: [
          { name: 'tq.count', handler },
          { name: 'tq.count', handler },
        ],
      }),
    ).toThrow(/defined twice/);
    expect(() =>
      createJobQueue({
        db: harness.db,
        log,
        definitions: [{ name: 'tq.count', handler, retryDelaySeconds: 0.5 }],
      }),
    ).toThrow(/retryDelaySeconds/);
    expect(() =>
      createJobQueue({ db: harness.db, log, definitions: [{ name: 'tq.count', handler, concurrency: 0 }] }),
    ).toThrow(/concurrency/);
  });
});
