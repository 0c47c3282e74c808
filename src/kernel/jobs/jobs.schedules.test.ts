import { Cron } from 'croner';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, testDatabases } from '../../../test/support/db.js';
import { memoryLog, sleep } from '../../../test/support/jobs.js';
import { type AnyJobDefinition, createJobQueue, JobDefinitionError, type JobQueue } from './index.js';
import { scheduledTick } from './jobs.schedules.js';

declare module './index.js' {
  interface JobPayloads {
    'ts.tick': { source: string };
    /** Declared but given no definition, to show such a schedule is refused. */
    'ts.undefined': { n: number };
  }
}

describe('scheduledTick', () => {
  it('is the scheduled time the timer fired for, not the moment it fired', () => {
    const everySecond = new Cron('* * * * * *');
    expect(scheduledTick(everySecond, new Date('2026-03-01T10:00:05.347Z')).toISOString()).toBe(
      '2026-03-01T10:00:05.000Z',
    );
    const hourly = new Cron('0 * * * *');
    // Fired two minutes late (a blocked event loop): still the 10:00 tick.
    expect(scheduledTick(hourly, new Date('2026-03-01T10:02:00.000Z')).toISOString()).toBe(
      '2026-03-01T10:00:00.000Z',
    );
    const daily = new Cron('30 2 * * *', { timezone: 'Asia/Seoul' });
    expect(scheduledTick(daily, new Date('2026-03-01T17:30:00.004Z')).toISOString()).toBe(
      '2026-03-01T17:30:00.000Z',
    );
  });
});

describe.each(testDatabases)('schedules on $kind', (target) => {
  let t: OpenedTestDatabase;
  const opened: JobQueue[] = [];
  const { log, lines } = memoryLog();
  const definitions: AnyJobDefinition[] = [{ name: 'ts.tick', handler: async () => ({ status: 'done' }) }];

  beforeAll(async () => {
    t = await target.open();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.stop({ graceMs: 0 })));
  });
  afterAll(async () => {
    await t.drop();
  });

  function queue(): JobQueue {
    const q = createJobQueue({ db: t.db, log, definitions, pollingIntervalSeconds: 0.5 });
    opened.push(q);
    return q;
  }

  it('enqueues once per tick even when two leaders run the same schedule at once', async () => {
    const leaderA = queue();
    const leaderB = queue();
    await Promise.all([leaderA.start({ work: true }), leaderB.start({ work: false })]);
    const schedule = { name: 'every-second', cron: '* * * * * *', job: 'ts.tick' as const };
    const stopA = leaderA.runSchedules([{ ...schedule, payload: { source: 'A' } }]);
    const stopB = leaderB.runSchedules([{ ...schedule, payload: { source: 'B' } }]);
    await sleep(3_300);
    await Promise.all([stopA(), stopB()]);

    const rows = await t.db.query<{ singleton_key: string }>(
      "select singleton_key from pgboss.job where name = 'ts.tick' order by singleton_key",
    );
    const keys = rows.map((r) => r.singleton_key);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.length).toBeLessThanOrEqual(5);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys)
      expect(key).toMatch(/^schedule:every-second:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const fired = lines.filter((l) => l.msg === 'schedule fired');
    const refused = lines.filter((l) => l.msg === 'schedule tick already enqueued');
    expect(fired).toHaveLength(keys.length);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    // Every tick that was enqueued was seen by the other leader too, and refused there.
    expect(fired.length + refused.length).toBeGreaterThanOrEqual(2 * keys.length - 2);

    // No more ticks after stop.
    await sleep(1_200);
    const after = await t.db.query<{ n: number }>(
      "select count(*)::int as n from pgboss.job where name = 'ts.tick'",
    );
    expect(after[0]?.n).toBe(keys.length);
  });

  it('skips ticks while the process is not the leader (a lapsed lease)', async () => {
    const q = queue();
    await q.start({ work: false });
    let leading = false;
    const stop = q.runSchedules(
      [{ name: 'guarded', cron: '* * * * * *', job: 'ts.tick', payload: { source: 'guarded' } }],
      { isLeader: () => leading },
    );
    await sleep(2_200);
    const count = async () =>
      (
        await t.db.query<{ n: number }>(
          "select count(*)::int as n from pgboss.job where singleton_key like 'schedule:guarded:%'",
        )
      )[0]?.n;
    expect(await count()).toBe(0);
    expect(lines.some((l) => l.msg === 'not the leader: tick skipped')).toBe(true);
    leading = true;
    await sleep(2_200);
    await stop();
    expect(await count()).toBeGreaterThanOrEqual(1);
  });

  it('refuses schedules for undefined jobs and before start', async () => {
    const q = queue();
    expect(() => q.runSchedules([])).toThrow(/start the job queue/);
    await q.start({ work: false });
    const bogus = { name: 'x', cron: '* * * * *', job: 'ts.undefined' as const, payload: { n: 1 } };
    expect(() => q.runSchedules([bogus])).toThrow(JobDefinitionError);
    const stop = q.runSchedules([]);
    await stop();
  });
});
