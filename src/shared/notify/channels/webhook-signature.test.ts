import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, verifyWebhook } from './webhook-signature.js';

describe('Standard Webhooks signatures', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const now = 1_614_265_330_000;
  const headers = (signature: string, timestamp = '1614265330') => ({
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': timestamp,
    'webhook-signature': signature,
  });
  const body = '{"test": 2432232314}';

  it('matches the spec’s example signature', () => {
    // The test vector of the Standard Webhooks reference libraries.
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies, and finds the good one among several signatures', () => {
    const good = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body);
    expect(verifyWebhook(secret, headers(good), body, { now })).toEqual({
      ok: true,
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
    });
    expect(verifyWebhook(secret, headers(`v1,AAAA v2,x ${good}`), body, { now }).ok).toBe(true);
    expect(verifyWebhook(secret, new Headers(headers(good)), body, { now }).ok).toBe(true);
  });

  it('rejects tampering, replays and missing headers', () => {
    const good = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body);
    expect(verifyWebhook(secret, headers(good), `${body} `, { now })).toEqual({
      ok: false,
      reason: 'bad signature',
    });
    expect(verifyWebhook(newWebhookSecret(), headers(good), body, { now })).toMatchObject({
      reason: 'bad signature',
    });
    expect(verifyWebhook(secret, headers(good), body, { now: now + 301_000 })).toEqual({
      ok: false,
      reason: 'timestamp outside tolerance',
    });
    expect(verifyWebhook(secret, headers(good), body, { now: now + 301_000, toleranceS: 600 }).ok).toBe(true);
    expect(verifyWebhook(secret, headers(good, 'soon'), body, { now })).toMatchObject({
      reason: 'bad timestamp',
    });
    expect(verifyWebhook(secret, {}, body, { now })).toMatchObject({ reason: 'missing headers' });
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const made = newWebhookSecret();
    expect(made).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(made);
  });
});
