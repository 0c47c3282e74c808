import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryRequest,
  describeHttpChannel,
  loopbackOutbound,
  sampleMessage,
} from '../testing/channel-contract.js';
import { type FakeTwilio, startFakeTwilio } from '../testing/fake-twilio.js';
import { createSmsChannel } from './sms.channel.js';

const settings = (fake: FakeTwilio, baseUrl = fake.baseUrl) => ({
  config: { baseUrl, accountSid: fake.accountSid, from: '+15017122661' },
  secrets: { authToken: fake.authToken },
});

describeHttpChannel('sms (Twilio)', async () => {
  const fake = await startFakeTwilio();
  const { config, secrets } = settings(fake);
  return {
    fake,
    adapter: createSmsChannel(config, secrets, { outbound: loopbackOutbound() }),
    request: () => deliveryRequest('+821012345678'),
    accepted: () => fake.received.length,
    aimedAt: (origin, outbound) => {
      const aimed = settings(fake, origin);
      return {
        adapter: createSmsChannel(aimed.config, aimed.secrets, { outbound }),
        request: deliveryRequest('+821012345678'),
      };
    },
  };
});

describe('sms', () => {
  let fake: FakeTwilio;
  const outbound = loopbackOutbound();
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(async () => {
    await fake.close();
    outbound.close();
  });

  it('sends To, From and the text with the link, and keeps the message sid', async () => {
    const { config, secrets } = settings(fake);
    const outcome = await createSmsChannel(config, secrets, { outbound }).deliver(
      deliveryRequest('+821012345678'),
    );
    expect(outcome).toMatchObject({
      status: 'delivered',
      httpStatus: 201,
      providerMessageId: fake.received.at(-1)?.sid,
    });
    expect(fake.received.at(-1)).toMatchObject({
      to: '+821012345678',
      from: '+15017122661',
      body: `${sampleMessage().text}\nhttps://keel.example/builds/42`,
    });
  });

  it('sends through a Messaging Service when from is an MG sid', async () => {
    const { secrets } = settings(fake);
    const config = { baseUrl: fake.baseUrl, accountSid: fake.accountSid, from: `MG${'a'.repeat(32)}` };
    await createSmsChannel(config, secrets, { outbound }).deliver(deliveryRequest('+821012345678'));
    expect(fake.received.at(-1)?.from).toBe(`MG${'a'.repeat(32)}`);
  });

  it('fails bad numbers and bad credentials without quoting the number', async () => {
    const { config, secrets } = settings(fake);
    const adapter = createSmsChannel(config, secrets, { outbound });
    expect(await adapter.deliver(deliveryRequest('01012345678'))).toMatchObject({ status: 'failed' });
    fake.script({
      status: 400,
      body: { code: 21211, message: "Invalid 'To' Phone Number: +15005550001", status: 400 },
    });
    const invalid = await adapter.deliver(deliveryRequest('+15005550001'));
    expect(invalid).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('Twilio error 21211'),
    });
    expect(JSON.stringify(invalid)).not.toContain('5550001');
    const wrong = createSmsChannel(config, { authToken: 'nope' }, { outbound });
    expect(await wrong.deliver(deliveryRequest('+821012345678'))).toMatchObject({
      status: 'failed',
      httpStatus: 401,
      reason: 'HTTP 401: Twilio error 20003: Authenticate',
    });
  });
});
