import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, openPgliteTestDatabase } from '../../../test/support/db.js';
import { createLog } from '../log/index.js';
import { pruneNodesJob } from './index.js';

describe('kernel.nodes.prune', () => {
  let t: OpenedTestDatabase;
  beforeAll(async () => {
    t = await openPgliteTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('deletes nodes stopped or silent for longer than the given days, and keeps the rest', async () => {
    const insert = (id: string, heartbeatDaysAgo: number, stoppedDaysAgo: number | null) =>
      t.db.query(
        `insert into kernel.nodes (id, hostname, pid, role, version, heartbeat_at, stopped_at)
         values ($1, 'h', 1, 'all', 'test', now() - make_interval(days => $2::int),
                 case when $3::int is null then null else now() - make_interval(days => $3::int) end)`,
        [id, heartbeatDaysAgo, stoppedDaysAgo],
      );
    const [oldStopped, oldSilent, recentStopped, alive] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    await insert(oldStopped, 30, 20);
    await insert(oldSilent, 9, null);
    await insert(recentStopped, 3, 2);
    await insert(alive, 0, null);

    const job = pruneNodesJob(t.db);
    const controller = new AbortController();
    const result = await job.handler(
      { olderThanDays: 7 },
      {
        jobId: randomUUID(),
        retryCount: 0,
        signal: controller.signal,
        log: createLog({ svc: 't', level: 'silent' }),
      },
    );
    expect(result).toEqual({ status: 'done', deleted: 2 });
    const left = await t.db.query<{ id: string }>('select id from kernel.nodes order by id');
    expect(left.map((r) => r.id).sort()).toEqual([recentStopped, alive].sort());
  });
});
