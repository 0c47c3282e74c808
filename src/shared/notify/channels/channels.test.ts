import { describe, expect, it } from 'vitest';
import { loopbackOutbound } from '../testing/channel-contract.js';
import { ChannelConfigError } from './adapter.js';
import { channelKinds } from './channel.types.js';
import { channelSettingsSchemas, createChannel, type ExternalChannelKind } from './channels.js';
import { newWebhookSecret } from './webhook-signature.js';
import { newVapidKeys } from './webpush.channel.js';

const vapid = newVapidKeys();
const valid: Record<ExternalChannelKind, { config: unknown; secrets: unknown }> = {
  slack: { config: { mode: 'bot' }, secrets: { botToken: 'xoxb-1-2-abc' } },
  email: { config: { host: 'smtp.example.com', from: 'notify@example.com' }, secrets: { password: 'pw' } },
  sms: { config: { accountSid: `AC${'0'.repeat(32)}`, from: '+15017122661' }, secrets: { authToken: 't' } },
  kakao: { config: { appKey: 'app', senderKey: 'sender' }, secrets: { secretKey: 's' } },
  webhook: { config: {}, secrets: { signingSecret: newWebhookSecret() } },
  webpush: {
    config: { subject: 'mailto:ops@example.com', publicKey: vapid.publicKey },
    secrets: { privateKey: vapid.privateKey },
  },
};

describe('createChannel', () => {
  const outbound = loopbackOutbound();

  it('has settings and a factory for every kind but in-app', () => {
    expect(Object.keys(channelSettingsSchemas).sort()).toEqual(
      channelKinds.filter((k) => k !== 'inapp').sort(),
    );
    for (const [kind, { config, secrets }] of Object.entries(valid) as [
      ExternalChannelKind,
      (typeof valid)['slack'],
    ][]) {
      expect(createChannel(kind, config, secrets, { outbound }).kind).toBe(kind);
    }
  });

  it('fills in defaults when parsing', () => {
    expect(channelSettingsSchemas.slack.config.parse({ mode: 'bot' })).toEqual({
      mode: 'bot',
      apiBaseUrl: 'https://slack.com/api',
    });
    expect(channelSettingsSchemas.email.config.parse(valid.email.config)).toMatchObject({
      port: 587,
      secure: false,
      requireTLS: true,
    });
    expect(channelSettingsSchemas.sms.config.parse(valid.sms.config)).toMatchObject({
      baseUrl: 'https://api.twilio.com',
    });
    expect(channelSettingsSchemas.kakao.config.parse(valid.kakao.config)).toMatchObject({
      baseUrl: 'https://api-alimtalk.cloud.toast.com',
    });
  });

  it('throws a validation error naming the fields, never the secret values', () => {
    const error = (() => {
      try {
        createChannel('webhook', {}, { signingSecret: 'hunter2-not-a-secret' }, { outbound });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ChannelConfigError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      details: { errors: [{ field: 'secrets.signingSecret' }] },
    });
    expect(JSON.stringify(error) + String(error)).not.toContain('hunter2');
    expect(() => createChannel('sms', { accountSid: 'nope', from: '+1' }, {}, { outbound })).toThrow(
      ChannelConfigError,
    );
  });
});
