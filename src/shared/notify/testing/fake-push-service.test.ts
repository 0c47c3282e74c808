import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { newVapidKeys } from '../channels/webpush.channel.js';
import {
  decryptPushPayload,
  type FakePushService,
  newPushSubscription,
  startFakePushService,
} from './fake-push-service.js';

describe('startFakePushService', () => {
  let fake: FakePushService;
  const vapid = newVapidKeys();
  beforeAll(async () => {
    fake = await startFakePushService();
  });
  afterAll(() => fake.close());

  const send = (endpoint: string, headers: Record<string, string>, body?: Buffer) =>
    fetch(endpoint, { method: 'POST', headers, ...(body ? { body } : {}) });

  it('decrypts what web-push encrypts', () => {
    const subscriber = newPushSubscription('https://push.example');
    const details = webpush.generateRequestDetails(subscriber.subscription, 'héllo', {
      vapidDetails: { subject: 'mailto:a@b.example', ...vapid },
    });
    expect(decryptPushPayload(details.body as Buffer, subscriber)).toBe('héllo');
    // Another browser's private key cannot read it.
    const stranger = { ...subscriber, privateKey: newPushSubscription('https://push.example').privateKey };
    expect(() => decryptPushPayload(details.body as Buffer, stranger)).toThrow();
  });

  it('checks the VAPID JWT: signature, audience, TTL', async () => {
    const { subscription } = fake.subscribe();
    const ok = webpush.generateRequestDetails(subscription, 'x', {
      vapidDetails: { subject: 'mailto:a@b.example', ...vapid },
    });
    const headers = Object.fromEntries(Object.entries(ok.headers).map(([k, v]) => [k, String(v)]));
    delete headers['Content-Length'];
    expect((await send(subscription.endpoint, headers, ok.body as Buffer)).status).toBe(201);

    // Signed for another origin: the audience does not match.
    const elsewhere = webpush.getVapidHeaders(
      'https://push.other.example',
      'mailto:a@b.example',
      vapid.publicKey,
      vapid.privateKey,
      'aes128gcm',
    );
    expect(
      (
        await send(
          subscription.endpoint,
          { ...headers, Authorization: elsewhere.Authorization },
          ok.body as Buffer,
        )
      ).status,
    ).toBe(401);

    // Signed with one key, claiming another.
    const other = newVapidKeys();
    const forged = (headers.Authorization as string).replace(/k=[\w-]+/, `k=${other.publicKey}`);
    expect(
      (await send(subscription.endpoint, { ...headers, Authorization: forged }, ok.body as Buffer)).status,
    ).toBe(401);

    const { TTL: _ttl, ...noTtl } = headers;
    expect((await send(subscription.endpoint, noTtl, ok.body as Buffer)).status).toBe(400);
    expect((await send(`${fake.origin}/push/unknown`, headers, ok.body as Buffer)).status).toBe(404);
  });
});
