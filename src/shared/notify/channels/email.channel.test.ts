import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowlistFrom } from '../outbound/address-policy.js';
import { createOutbound } from '../outbound/outbound.js';
import {
  closedOrigin,
  deliveryRequest,
  guardedOutbound,
  loopbackOutbound,
  sampleMessage,
} from '../testing/channel-contract.js';
import { type FakeSmtp, startFakeSmtp } from '../testing/fake-smtp.js';
import { createEmailChannel, smtpOutcome } from './email.channel.js';

describe('email', () => {
  let fake: FakeSmtp;
  let authed: FakeSmtp;
  const outbound = loopbackOutbound();
  const config = (port: number, host = '127.0.0.1') => ({
    host,
    port,
    secure: false,
    requireTLS: false,
    from: 'Keel <notify@keel.example>',
  });
  beforeAll(async () => {
    [fake, authed] = await Promise.all([
      startFakeSmtp(),
      startFakeSmtp({ auth: { user: 'keel', pass: 'pw' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([fake.close(), authed.close()]);
    outbound.close();
  });

  it('sends subject, text and html with a Message-ID that a retry repeats', async () => {
    const adapter = createEmailChannel(config(fake.port), {}, { outbound });
    const request = deliveryRequest('ana@example.com');
    const first = await adapter.deliver(request);
    expect(first).toEqual({ status: 'delivered', providerMessageId: `<${request.deliveryId}@keel.example>` });
    await adapter.deliver({ ...request, attempt: 2 });
    const [a, b] = fake.received.slice(-2);
    expect(a).toMatchObject({
      envelopeFrom: 'notify@keel.example',
      envelopeTo: ['ana@example.com'],
      subject: 'Build failed',
      text: sampleMessage().text,
      html: sampleMessage().html,
      messageId: `<${request.deliveryId}@keel.example>`,
    });
    expect(b?.messageId).toBe(a?.messageId);
    await adapter.close?.();
    await expect.poll(() => fake.connections).toBe(0);
  });

  it('logs in when a user name is set, and fails on bad credentials', async () => {
    const withAuth = { ...config(authed.port), username: 'keel' };
    const good = createEmailChannel(withAuth, { password: 'pw' }, { outbound });
    expect(await good.deliver(deliveryRequest('ana@example.com'))).toMatchObject({ status: 'delivered' });
    expect(authed.received.at(-1)?.user).toBe('keel');
    const bad = createEmailChannel(withAuth, { password: 'wrong' }, { outbound });
    expect(await bad.deliver(deliveryRequest('ana@example.com'))).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^SMTP 535/),
    });
    await Promise.all([good.close?.(), bad.close?.()]);
  });

  it('retries 4xx answers and fails 5xx ones, without the address in the reason', async () => {
    const adapter = createEmailChannel(config(fake.port), {}, { outbound });
    fake.script({ stage: 'rcpt', code: 450, message: 'Mailbox busy <ana@example.com>' });
    const busy = await adapter.deliver(deliveryRequest('ana@example.com'));
    expect(busy).toMatchObject({ status: 'retry', reason: expect.stringMatching(/^SMTP 450/) });
    expect(JSON.stringify(busy)).not.toContain('ana@');
    fake.script({ stage: 'rcpt', code: 550, message: 'No such user' });
    expect(await adapter.deliver(deliveryRequest('ana@example.com'))).toMatchObject({ status: 'failed' });
    fake.script({ stage: 'data', code: 451, message: 'Try later' });
    expect(await adapter.deliver(deliveryRequest('ana@example.com'))).toMatchObject({ status: 'retry' });
    fake.script({ stage: 'data', code: 552, message: 'Too big' });
    expect(await adapter.deliver(deliveryRequest('ana@example.com'))).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^SMTP 552/),
    });
    expect(await adapter.deliver(deliveryRequest('not an address'))).toMatchObject({ status: 'failed' });
    await adapter.close?.();
  });

  it('retries when nothing listens', async () => {
    const port = Number(new URL(await closedOrigin()).port);
    const adapter = createEmailChannel(config(port), {}, { outbound });
    expect(await adapter.deliver(deliveryRequest('ana@example.com'))).toMatchObject({
      status: 'retry',
      reason: expect.stringMatching(/ECONNREFUSED|ECONNECTION/),
    });
    await adapter.close?.();
  });

  it('checks the SMTP host like any destination, and connects to the checked address', async () => {
    const refused = createEmailChannel(config(fake.port), {}, { outbound: guardedOutbound() });
    expect(await refused.deliver(deliveryRequest('ana@example.com'))).toEqual({
      status: 'failed',
      reason: 'SMTP host 127.0.0.1 resolves to 127.0.0.1, a loopback address; ask an admin to allowlist it',
    });
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const named = createOutbound({ isAllowed: allowlistFrom(['mail.internal']), resolve });
    const adapter = createEmailChannel(config(fake.port, 'mail.internal'), {}, { outbound: named });
    expect(await adapter.deliver(deliveryRequest('ana@example.com'))).toMatchObject({ status: 'delivered' });
    await adapter.close?.();
  });

  it('classifies nodemailer errors', () => {
    expect(smtpOutcome(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toMatchObject({
      status: 'retry',
    });
    expect(smtpOutcome(Object.assign(new Error('x'), { code: 'ETLS' }))).toMatchObject({ status: 'failed' });
    expect(smtpOutcome(Object.assign(new Error('x'), { code: 'EAUTH', responseCode: 454 }))).toMatchObject({
      status: 'retry',
    });
  });
});
