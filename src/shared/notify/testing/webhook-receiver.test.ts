import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookChannel } from '../channels/webhook.channel.js';
import { newWebhookSecret, signWebhook } from '../channels/webhook-signature.js';
import { deliveryRequest, loopbackOutbound } from './channel-contract.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

describe('startWebhookReceiver', () => {
  let receiver: WebhookReceiver;
  const outbound = loopbackOutbound();
  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret: newWebhookSecret(), record: false });
  });
  afterAll(async () => {
    await receiver.close();
    outbound.close();
  });

  it('refuses a bad signature with 401 and does not count it', async () => {
    const body = '{"a":1}';
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(receiver.url, {
      method: 'POST',
      body,
      headers: {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(newWebhookSecret(), 'msg_1', timestamp, body),
      },
    });
    expect([res.status, await res.text()]).toEqual([401, 'bad signature']);
    expect(receiver.deliveries('msg_1')).toBe(0);
  });

  it('takes a burst of 500 signed deliveries, each counted once', async () => {
    const adapter = createWebhookChannel({}, { signingSecret: receiver.secret }, { outbound });
    const requests = Array.from({ length: 500 }, () => deliveryRequest(receiver.url));
    const outcomes = await Promise.all(requests.map((r) => adapter.deliver(r)));
    expect(outcomes.every((o) => o.status === 'delivered')).toBe(true);
    expect(requests.every((r) => receiver.deliveries(r.deliveryId) === 1)).toBe(true);
    expect(receiver.delivered).toBe(500);
    // Its throughput is in `npm run bench -- notify` (the adapter-alone baseline), not timed here.
  });
});
