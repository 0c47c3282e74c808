import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryRequest,
  describeHttpChannel,
  loopbackOutbound,
  sampleMessage,
} from '../testing/channel-contract.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';
import { createWebhookChannel } from './webhook.channel.js';
import { newWebhookSecret } from './webhook-signature.js';

describeHttpChannel('webhook', async () => {
  const fake = await startWebhookReceiver({ secret: newWebhookSecret() });
  return {
    fake,
    adapter: createWebhookChannel({}, { signingSecret: fake.secret }, { outbound: loopbackOutbound() }),
    request: () => deliveryRequest(fake.url),
    accepted: () => fake.delivered,
    aimedAt: (origin, outbound) => ({
      adapter: createWebhookChannel({}, { signingSecret: fake.secret }, { outbound }),
      request: deliveryRequest(`${origin}/hooks`),
    }),
  };
});

describe('webhook', () => {
  let receiver: WebhookReceiver;
  const outbound = loopbackOutbound();
  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret: newWebhookSecret() });
  });
  afterAll(async () => {
    await receiver.close();
    outbound.close();
  });

  it('sends a signed Standard Webhooks request with the delivery id', async () => {
    const at = Date.parse('2025-03-01T12:00:00Z');
    const adapter = createWebhookChannel(
      {},
      { signingSecret: receiver.secret },
      { outbound, now: () => Date.now() },
    );
    const request = deliveryRequest(receiver.url);
    expect(await adapter.deliver(request)).toMatchObject({ status: 'delivered', httpStatus: 204 });
    const got = receiver.received.at(-1);
    expect(got).toMatchObject({ id: request.deliveryId, verified: true });
    expect(JSON.parse(got?.body ?? '')).toEqual({
      type: 'build.failed',
      timestamp: expect.any(String),
      data: { build: 42, status: 'failed' },
      subject: 'Build failed',
      text: sampleMessage().text,
      url: 'https://keel.example/builds/42',
    });
    expect(receiver.deliveries(request.deliveryId)).toBe(1);

    // A clock far off makes the receiver refuse the timestamp (replay protection): permanent.
    const skewed = createWebhookChannel({}, { signingSecret: receiver.secret }, { outbound, now: () => at });
    expect(await skewed.deliver(deliveryRequest(receiver.url))).toMatchObject({
      status: 'failed',
      reason: 'HTTP 401: timestamp outside tolerance',
    });
  });

  it('counts a held request whose client gave up as not delivered, and the retry once', async () => {
    const adapter = createWebhookChannel({}, { signingSecret: receiver.secret }, { outbound });
    const request = deliveryRequest(receiver.url);
    receiver.script({ hang: true });
    const first = await adapter.deliver({ ...request, signal: AbortSignal.timeout(100) });
    expect(first).toMatchObject({ status: 'retry' });
    await expect.poll(() => receiver.held).toBe(0);
    receiver.release();
    expect(receiver.deliveries(request.deliveryId)).toBe(0);
    const second = await adapter.deliver({ ...request, attempt: 2, signal: AbortSignal.timeout(5_000) });
    expect(second).toMatchObject({ status: 'delivered' });
    expect(receiver.deliveries(request.deliveryId)).toBe(1);
  });

  it('does not follow a redirect', async () => {
    receiver.script({ status: 307, headers: { location: 'http://169.254.169.254/' }, body: '' });
    const adapter = createWebhookChannel({}, { signingSecret: receiver.secret }, { outbound });
    expect(await adapter.deliver(deliveryRequest(receiver.url))).toEqual({
      status: 'failed',
      reason: 'redirect not followed (HTTP 307)',
      httpStatus: 307,
    });
  });

  it('fails a URL that is not http(s)', async () => {
    const adapter = createWebhookChannel({}, { signingSecret: receiver.secret }, { outbound });
    expect(await adapter.deliver(deliveryRequest('ftp://example.com/hook'))).toMatchObject({
      status: 'failed',
      reason: 'webhook URL must start with http:// or https://, not ftp://',
    });
  });
});
