import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryRequest,
  describeHttpChannel,
  loopbackOutbound,
  sampleMessage,
} from '../testing/channel-contract.js';
import { type FakePushService, startFakePushService } from '../testing/fake-push-service.js';
import { createWebpushChannel, newVapidKeys, pushPayload } from './webpush.channel.js';

const vapid = newVapidKeys();
const config = { subject: 'mailto:ops@keel.example', publicKey: vapid.publicKey };
const secrets = { privateKey: vapid.privateKey };

describeHttpChannel('webpush', async () => {
  const fake = await startFakePushService();
  const { subscription } = fake.subscribe();
  return {
    fake,
    adapter: createWebpushChannel(config, secrets, { outbound: loopbackOutbound() }),
    request: () => deliveryRequest(JSON.stringify(subscription)),
    accepted: () => fake.received.length,
    aimedAt: (origin, outbound) => ({
      adapter: createWebpushChannel(config, secrets, { outbound }),
      request: deliveryRequest(JSON.stringify({ ...subscription, endpoint: `${origin}/push/x` })),
    }),
  };
});

describe('webpush', () => {
  let fake: FakePushService;
  const outbound = loopbackOutbound();
  beforeAll(async () => {
    fake = await startFakePushService();
  });
  afterAll(async () => {
    await fake.close();
    outbound.close();
  });
  const adapter = () => createWebpushChannel(config, secrets, { outbound });

  it('pushes an encrypted payload with a VAPID JWT for the endpoint’s origin', async () => {
    const { subscription } = fake.subscribe({ applicationServerKey: vapid.publicKey });
    const outcome = await adapter().deliver(deliveryRequest(JSON.stringify(subscription)));
    expect(outcome).toMatchObject({
      status: 'delivered',
      httpStatus: 201,
      providerMessageId: expect.stringContaining('/m/'),
    });
    expect(fake.received.at(-1)).toMatchObject({
      endpoint: subscription.endpoint,
      ttl: 86_400,
      urgency: 'normal',
      json: {
        title: 'Build failed',
        body: sampleMessage().text,
        url: 'https://keel.example/builds/42',
        data: { build: 42 },
      },
      vapid: { subject: 'mailto:ops@keel.example', audience: fake.origin, publicKey: vapid.publicKey },
    });
  });

  it('marks a gone subscription, and an unusable one, as gone', async () => {
    const { subscription } = fake.subscribe();
    fake.unsubscribe(subscription.endpoint);
    expect(await adapter().deliver(deliveryRequest(JSON.stringify(subscription)))).toEqual({
      status: 'failed',
      reason: 'subscription gone (HTTP 410)',
      httpStatus: 410,
      gone: true,
    });
    expect(await adapter().deliver(deliveryRequest('{"endpoint":"nope"}'))).toMatchObject({
      status: 'failed',
      gone: true,
    });
    const badKeys = { ...subscription, keys: { p256dh: 'AAAA', auth: 'AAAA' } };
    expect(await adapter().deliver(deliveryRequest(JSON.stringify(badKeys)))).toMatchObject({
      status: 'failed',
      gone: true,
    });
  });

  it('fails when the push service rejects the VAPID key, and on 413', async () => {
    const other = newVapidKeys();
    const { subscription } = fake.subscribe({ applicationServerKey: other.publicKey });
    expect(await adapter().deliver(deliveryRequest(JSON.stringify(subscription)))).toMatchObject({
      status: 'failed',
      httpStatus: 403,
    });
    fake.script({ status: 413 });
    const open = fake.subscribe().subscription;
    expect(await adapter().deliver(deliveryRequest(JSON.stringify(open)))).toMatchObject({
      status: 'failed',
      httpStatus: 413,
    });
  });

  it('keeps the payload under the push size limit', () => {
    const big = sampleMessage({ text: 'é'.repeat(5000), data: { blob: 'x'.repeat(5000) } });
    const payload = pushPayload(big);
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(3993);
    expect(JSON.parse(payload)).toMatchObject({
      title: 'Build failed',
      body: expect.stringMatching(/^é+…$/),
    });
    expect(JSON.parse(payload)).not.toHaveProperty('data');
  });

  it('refuses settings that are not VAPID keys', () => {
    expect(() => createWebpushChannel({ ...config, subject: 'ops' }, secrets, { outbound })).toThrow(
      /config.subject/,
    );
    expect(() => createWebpushChannel(config, { privateKey: 'short' }, { outbound })).toThrow(
      /secrets.privateKey/,
    );
  });
});
