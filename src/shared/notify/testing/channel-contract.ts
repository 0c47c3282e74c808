import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, DeliveryRequest, RenderedMessage } from '../channels/channel.types.js';
import { allowlistFrom } from '../outbound/address-policy.js';
import { createOutbound, type Outbound } from '../outbound/outbound.js';
import type { Scriptable } from './scripted-server.js';

/*
 * Test support: the cases every HTTP channel must pass against its fake, run by each channel's
 * test file (one contract, every implementation).
 */

/** An outbound client that may reach loopback (where the fakes listen). */
export function loopbackOutbound(options: { timeoutMs?: number } = {}): Outbound {
  return createOutbound({ isAllowed: allowlistFrom(['127.0.0.1/32']), ...options });
}

/** An outbound client with no allowlist: loopback is refused, as in production. */
export function guardedOutbound(): Outbound {
  return createOutbound({ isAllowed: () => false });
}

/** `http://127.0.0.1:<port>` where nothing listens (the port was just free). */
export async function closedOrigin(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export function sampleMessage(overrides: Partial<RenderedMessage> = {}): RenderedMessage {
  return {
    subject: 'Build failed',
    text: 'The nightly build of keel failed at step test.',
    html: '<p>The nightly build of <b>keel</b> failed at step test.</p>',
    url: 'https://keel.example/builds/42',
    data: { build: 42, status: 'failed' },
    template: { name: 'build.failed', version: 1, locale: 'en' },
    ...overrides,
  };
}

export function deliveryRequest(
  destination: string,
  overrides: Partial<DeliveryRequest> = {},
): DeliveryRequest {
  return {
    deliveryId: randomUUID(),
    attempt: 1,
    destination,
    message: sampleMessage(),
    signal: AbortSignal.timeout(5_000),
    ...overrides,
  };
}

export interface HttpChannelSetup {
  fake: Scriptable & { close(): Promise<void> };
  /** The adapter under test, pointed at the fake, loopback allowed. */
  adapter: ChannelAdapter;
  /** A request the fake accepts. */
  request(): DeliveryRequest;
  /** How many messages the fake has accepted. */
  accepted(): number;
  /** The same channel aimed at `origin`, where nothing listens. */
  aimedAt(origin: string, outbound: Outbound): { adapter: ChannelAdapter; request: DeliveryRequest };
}

/**
 * The shared cases: delivered; 500 → retry; 429 + Retry-After → retry with `retryAfterMs`;
 * 400 → failed; a closed port → retry; a timeout → retry; loopback without an allowlist →
 * failed naming the allowlist. The dispatcher, not the adapter, does "500 then success".
 */
export function describeHttpChannel(name: string, setup: () => Promise<HttpChannelSetup>): void {
  describe(`${name} (channel contract)`, () => {
    let s: HttpChannelSetup;
    beforeAll(async () => {
      s = await setup();
    });
    afterAll(async () => {
      await s.adapter.close?.();
      await s.fake.close();
    });

    it('delivers', async () => {
      const before = s.accepted();
      const outcome = await s.adapter.deliver(s.request());
      expect(outcome).toMatchObject({ status: 'delivered' });
      expect(s.accepted()).toBe(before + 1);
    });

    it('retries a 500', async () => {
      s.fake.script({ status: 500 });
      expect(await s.adapter.deliver(s.request())).toMatchObject({ status: 'retry', httpStatus: 500 });
    });

    it('retries a 429 after the provider’s Retry-After', async () => {
      s.fake.script({ status: 429, retryAfter: 7 });
      expect(await s.adapter.deliver(s.request())).toMatchObject({
        status: 'retry',
        httpStatus: 429,
        retryAfterMs: 7_000,
      });
    });

    it('fails a 400 for good', async () => {
      s.fake.script({ status: 400 });
      expect(await s.adapter.deliver(s.request())).toMatchObject({ status: 'failed', httpStatus: 400 });
    });

    it('retries when nothing listens', async () => {
      const outbound = loopbackOutbound();
      const { adapter, request } = s.aimedAt(await closedOrigin(), outbound);
      const outcome = await adapter.deliver(request);
      expect(outcome).toMatchObject({ status: 'retry', reason: expect.stringMatching(/ECONNREFUSED/) });
    });

    it('retries when the attempt runs out of time, and the fake sees the client go', async () => {
      s.fake.script({ hang: true });
      const before = s.accepted();
      const outcome = await s.adapter.deliver({ ...s.request(), signal: AbortSignal.timeout(100) });
      expect(outcome).toMatchObject({ status: 'retry' });
      await expect.poll(() => s.fake.held).toBe(0);
      s.fake.release();
      expect(s.accepted()).toBe(before);
    });

    it('fails a loopback destination nobody allowlisted', async () => {
      const { adapter, request } = s.aimedAt('http://127.0.0.1:9', guardedOutbound());
      const outcome = await adapter.deliver(request);
      expect(outcome).toMatchObject({
        status: 'failed',
        reason: expect.stringMatching(/ask an admin to allowlist it/),
      });
    });
  });
}
