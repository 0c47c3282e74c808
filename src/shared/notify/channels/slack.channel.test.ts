import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryRequest,
  describeHttpChannel,
  loopbackOutbound,
  sampleMessage,
} from '../testing/channel-contract.js';
import { type FakeSlack, startFakeSlack } from '../testing/fake-slack.js';
import { createSlackChannel } from './slack.channel.js';

describeHttpChannel('slack webhook', async () => {
  const fake = await startFakeSlack();
  const outbound = loopbackOutbound();
  return {
    fake,
    adapter: createSlackChannel({ mode: 'webhook' }, { webhookUrl: fake.webhookUrl }, { outbound }),
    request: () => deliveryRequest(''),
    accepted: () => fake.received.length,
    aimedAt: (origin, other) => ({
      adapter: createSlackChannel(
        { mode: 'webhook' },
        { webhookUrl: `${origin}/services/T1/B1/x` },
        { outbound: other },
      ),
      request: deliveryRequest(''),
    }),
  };
});

describeHttpChannel('slack bot', async () => {
  const fake = await startFakeSlack();
  const outbound = loopbackOutbound();
  return {
    fake,
    adapter: createSlackChannel(
      { mode: 'bot', apiBaseUrl: fake.apiBaseUrl },
      { botToken: fake.botToken },
      { outbound },
    ),
    request: () => deliveryRequest('C0123456'),
    accepted: () => fake.received.length,
    aimedAt: (origin, other) => ({
      adapter: createSlackChannel(
        { mode: 'bot', apiBaseUrl: `${origin}/api` },
        { botToken: fake.botToken },
        { outbound: other },
      ),
      request: deliveryRequest('C0123456'),
    }),
  };
});

describe('slack', () => {
  let fake: FakeSlack;
  const outbound = loopbackOutbound();
  beforeAll(async () => {
    fake = await startFakeSlack({ unknownChannels: ['C0GONE'] });
  });
  afterAll(async () => {
    await fake.close();
    outbound.close();
  });
  const bot = (token = fake.botToken) =>
    createSlackChannel({ mode: 'bot', apiBaseUrl: fake.apiBaseUrl }, { botToken: token }, { outbound });

  it('posts a header, the text and a button, and returns the message ts', async () => {
    const outcome = await bot().deliver(
      deliveryRequest('U024BE7LH', { message: sampleMessage({ text: 'a < b & c' }) }),
    );
    expect(outcome).toMatchObject({
      status: 'delivered',
      providerMessageId: expect.stringMatching(/^\d+\.\d{6}$/),
    });
    const sent = fake.received.at(-1);
    expect(sent?.channel).toBe('U024BE7LH');
    expect(sent?.headers.authorization).toBe(`Bearer ${fake.botToken}`);
    expect(sent?.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Build failed', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'a &lt; b &amp; c' } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open' },
            url: 'https://keel.example/builds/42',
          },
        ],
      },
    ]);
  });

  it('fails on Slack errors that a retry cannot fix, retries the transient ones', async () => {
    expect(await bot('xoxb-wrong').deliver(deliveryRequest('C1'))).toEqual({
      status: 'failed',
      reason: 'Slack error: invalid_auth',
      httpStatus: 200,
    });
    expect(await bot().deliver(deliveryRequest('C0GONE'))).toMatchObject({
      status: 'failed',
      reason: 'Slack error: channel_not_found',
    });
    fake.script({ status: 200, body: { ok: false, error: 'internal_error' } });
    expect(await bot().deliver(deliveryRequest('C1'))).toMatchObject({
      status: 'retry',
      reason: 'Slack error: internal_error',
    });
    expect(await bot().deliver(deliveryRequest(''))).toMatchObject({ status: 'failed' });
  });

  it('reads incoming-webhook error codes', async () => {
    const adapter = createSlackChannel(
      { mode: 'webhook' },
      { webhookUrl: `${fake.webhookUrl.replace(/\/[^/]+$/, '/unknown')}` },
      { outbound },
    );
    expect(await adapter.deliver(deliveryRequest(''))).toEqual({
      status: 'failed',
      reason: 'HTTP 404: no_service',
      httpStatus: 404,
    });
    fake.script({ status: 410, body: 'channel_is_archived' });
    const live = createSlackChannel({ mode: 'webhook' }, { webhookUrl: fake.webhookUrl }, { outbound });
    expect(await live.deliver(deliveryRequest(''))).toMatchObject({
      status: 'failed',
      reason: 'HTTP 410: channel_is_archived',
    });
  });

  it('refuses settings that cannot work', () => {
    expect(() => createSlackChannel({ mode: 'bot' }, {}, { outbound })).toThrow(/bot mode needs a bot token/);
    expect(() => createSlackChannel({ mode: 'webhook' }, {}, { outbound })).toThrow(/webhook URL/);
    expect(() => createSlackChannel({ mode: 'carrier-pigeon' }, {}, { outbound })).toThrow(
      /slack settings: config.mode/,
    );
  });

  it('the fake takes form bodies with the token as a field, like Slack', async () => {
    const res = await fetch(`${fake.apiBaseUrl}/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: fake.botToken, channel: 'C9', text: 'hi', blocks: '[]' }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C9' });
  });
});
