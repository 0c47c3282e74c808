import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';
import { eventually, withNotifyOptions } from '../../../../test/support/notify.js';
import { type Notify, notifyServices } from '../notify.context.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/index.js';

interface LogItem {
  attempt: number;
  outcome: string;
  success: boolean;
  failure_reason: string | null;
  http_status: number | null;
  sent_at: string;
}

describe.each(testDatabases)('notify delivery faults ($kind)', (target) => {
  const h = useIdentityHarness(target, { modules: withNotifyOptions() });
  let notify: Notify;
  let receiver: WebhookReceiver;
  let admin: SignedInUser;

  beforeAll(async () => {
    notify = notifyServices(h.context);
    const { generated } = await notify.channels.set(null, 'webhook', { enabled: true, config: {} });
    receiver = await startWebhookReceiver({ secret: generated.signingSecret as string });
    admin = await h.user({ roles: ['admin'] });
    notify.worker.start();
  });
  afterAll(async () => {
    await notify?.worker.stop({ graceMs: 1_000 });
    await receiver?.close();
  });

  async function logsOf(deliveryId: string): Promise<LogItem[]> {
    const response = await h.app.inject({
      method: 'GET',
      url: `/notify/logs?delivery_id=${deliveryId}`,
      headers: admin.auth,
    });
    expect(response.statusCode).toBe(200);
    return (response.json().items as LogItem[]).reverse();
  }

  async function settled(deliveryId: string): Promise<string> {
    return eventually(
      async () => {
        const response = await h.app.inject({
          method: 'GET',
          url: `/notify/logs?delivery_id=${deliveryId}`,
          headers: admin.auth,
        });
        const items = response.json().items as LogItem[];
        const last = items[0]?.outcome;
        return last && last !== 'retry' && last !== 'interrupted' ? last : undefined;
      },
      10_000,
      `delivery ${deliveryId} to settle`,
    );
  }

  async function sendWebhook(url = receiver.url) {
    const result = await notify.send({
      to: { webhook: url },
      template: 'notify.test',
      data: { note: 'hello' },
    });
    const [delivery] = result.deliveries;
    if (!delivery) throw new Error('no delivery');
    return delivery.id;
  }

  it('refuses a webhook to 127.0.0.1 until an admin allowlists it, with a clear reason', async () => {
    const refused = await notify
      .send({ to: { webhook: receiver.url }, template: 'notify.test' })
      .catch((e) => e);
    expect(refused).toMatchObject({ code: 'validation_failed' });
    expect(String(refused.message)).toMatch(/to\[0\]\.webhook: .*127\.0\.0\.1.*loopback.*allowlist/);

    const viaApi = await h.app.inject({
      method: 'POST',
      url: '/notify/send',
      headers: admin.auth,
      payload: { to: { webhook: 'http://169.254.169.254/latest/meta-data' }, template: 'notify.test' },
    });
    expect(viaApi.statusCode).toBe(400);
    expect(viaApi.json().errors[0].field).toBe('to[0].webhook');

    const allow = await h.app.inject({
      method: 'POST',
      url: '/notify/allowlist',
      headers: admin.auth,
      payload: { entry: '127.0.0.1/32', note: 'test receiver' },
    });
    expect(allow.statusCode).toBe(201);
    expect(receiver.delivered).toBe(0);
  });

  it('retries a 500 and delivers exactly once', async () => {
    receiver.script({ status: 500 });
    const id = await sendWebhook();
    expect(await settled(id)).toBe('delivered');
    expect(receiver.deliveries(id)).toBe(1);
    const logs = await logsOf(id);
    expect(logs.map((l) => [l.attempt, l.outcome, l.http_status])).toEqual([
      [1, 'retry', 500],
      [2, 'delivered', 204],
    ]);
  });

  it('waits as long as a 429 Retry-After says, not the shorter backoff', async () => {
    receiver.script({ status: 429, retryAfter: 1 });
    const id = await sendWebhook();
    expect(await settled(id)).toBe('delivered');
    const [first, second] = await logsOf(id);
    expect(first).toMatchObject({ outcome: 'retry', http_status: 429 });
    const waited = Date.parse(second?.sent_at ?? '') - Date.parse(first?.sent_at ?? '');
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(receiver.deliveries(id)).toBe(1);
  });

  it('does not retry a 400: the delivery fails at once and the log says why', async () => {
    receiver.script({ status: 400, body: 'unknown event type' });
    const id = await sendWebhook();
    expect(await settled(id)).toBe('failed');
    const logs = await logsOf(id);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ attempt: 1, outcome: 'failed', http_status: 400, success: false });
    expect(logs[0]?.failure_reason).toContain('unknown event type');
    expect(receiver.deliveries(id)).toBe(0);
  });

  it('dead-letters a delivery whose receiver is down for the whole retry window, keeping every attempt', async () => {
    const down = await startWebhookReceiver({ secret: receiver.secret });
    const url = down.url;
    await down.close();
    const id = await sendWebhook(url);
    expect(await settled(id)).toBe('dead');
    const logs = await logsOf(id);
    expect(logs.map((l) => l.outcome)).toEqual(['retry', 'retry', 'dead']);
    expect(logs[2]?.failure_reason).toMatch(/gave up after 3 attempts/);
    const deliveries = await h.app.inject({
      method: 'GET',
      url: `/notify/queue`,
      headers: admin.auth,
    });
    expect(deliveries.json().items).toContainEqual(
      expect.objectContaining({ channel: 'webhook', state: 'dead' }),
    );
  });

  it('answers a repeated dedupe key with the first send and sends nothing more', async () => {
    const first = await notify.send({
      to: { webhook: receiver.url },
      template: 'notify.test',
      dedupeKey: 'draft:42',
    });
    const again = await notify.send({
      to: { webhook: receiver.url },
      template: 'notify.test',
      dedupeKey: 'draft:42',
    });
    expect(again.duplicate).toBe(true);
    expect(again.notificationId).toBe(first.notificationId);
    const id = first.deliveries[0]?.id as string;
    expect(await settled(id)).toBe('delivered');
    expect(receiver.deliveries(id)).toBe(1);
  });
});
