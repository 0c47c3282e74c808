import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';
import { withNotifyOptions } from '../../../../test/support/notify.js';
import { type Notify, notifyServices } from '../notify.context.js';
import { purgeJob } from './purge.job.js';

describe.each(testDatabases)('notify.purge ($kind)', (target) => {
  const h = useIdentityHarness(target, { modules: withNotifyOptions() });
  let notify: Notify;
  beforeAll(() => {
    notify = notifyServices(h.context);
  });
  afterAll(() => notify?.worker.stop({ graceMs: 0 }));

  it('drops finished notifications past the retention and long-expired links, and keeps waiting ones', async () => {
    const user = await h.user();
    const old = await notify.send({ to: { userId: user.id }, template: 'notify.test', channels: ['inapp'] });
    const waiting = await notify.send({
      to: { userId: user.id },
      template: 'notify.test',
      channels: ['inapp'],
    });
    const { db } = h.context;
    // Age both sends by 100 days; no worker runs here, so the second one is still pending.
    await db.query(
      `update notify.notifications set created_at = now() - interval '100 days' where id = any($1::uuid[])`,
      [[old.notificationId, waiting.notificationId]],
    );
    await db.query(`update notify.deliveries set state = 'delivered' where notification_id = $1`, [
      old.notificationId,
    ]);
    const links = await notify.links.create({ purpose: 'p', subject: {}, ttlSeconds: 1 });
    await db.query(`update notify.signed_links set expires_at = now() - interval '2 days'`);

    const result = await purgeJob(db, notify.links).handler({ retentionDays: 90 }, {} as never);
    expect(result).toMatchObject({ status: 'done', notifications: 1, links: 1 });
    const left = await db.query<{ id: string }>(
      'select id from notify.notifications where id = any($1::uuid[])',
      [[old.notificationId, waiting.notificationId]],
    );
    expect(left.map((r) => r.id)).toEqual([waiting.notificationId]);
    await expect(notify.links.consume(links.token, 'p')).rejects.toMatchObject({ code: 'not_found' });
  });
});
