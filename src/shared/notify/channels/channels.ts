import type { ChannelDeps } from './adapter.js';
import type { ChannelAdapter, ChannelKind } from './channel.types.js';
import { createEmailChannel, emailSettingsSchemas } from './email.channel.js';
import { createKakaoChannel, kakaoSettingsSchemas } from './kakao.channel.js';
import { createSlackChannel, slackSettingsSchemas } from './slack.channel.js';
import { createSmsChannel, smsSettingsSchemas } from './sms.channel.js';
import { createWebhookChannel, webhookSettingsSchemas } from './webhook.channel.js';
import { createWebpushChannel, webpushSettingsSchemas } from './webpush.channel.js';

/** The kinds with an adapter here; `inapp` is delivered by the core itself. */
export type ExternalChannelKind = Exclude<ChannelKind, 'inapp'>;

/**
 * Each kind's org-level settings as two zod schemas: `config` (stored plain, shown in the API)
 * and `secrets` (stored encrypted, never shown). Parsing fills in defaults.
 */
export const channelSettingsSchemas = {
  slack: slackSettingsSchemas,
  email: emailSettingsSchemas,
  sms: smsSettingsSchemas,
  kakao: kakaoSettingsSchemas,
  webhook: webhookSettingsSchemas,
  webpush: webpushSettingsSchemas,
} as const satisfies Record<ExternalChannelKind, { config: unknown; secrets: unknown }>;

const factories: Record<
  ExternalChannelKind,
  (config: unknown, secrets: unknown, deps: ChannelDeps) => ChannelAdapter
> = {
  slack: createSlackChannel,
  email: createEmailChannel,
  sms: createSmsChannel,
  kakao: createKakaoChannel,
  webhook: createWebhookChannel,
  webpush: createWebpushChannel,
};

/**
 * The adapter for one kind from its stored settings (parsed here with `channelSettingsSchemas`).
 * Throws `ChannelConfigError` (a `validation_failed` KeelError) when they do not make a working
 * adapter; `deliver` itself never throws.
 *
 * @example
 * const slack = createChannel('slack', { mode: 'bot' }, { botToken }, { outbound });
 * const outcome = await slack.deliver({ deliveryId, attempt: 1, destination: 'U123', message, signal });
 */
export function createChannel(
  kind: ExternalChannelKind,
  config: unknown,
  secrets: unknown,
  deps: ChannelDeps,
): ChannelAdapter {
  return factories[kind](config, secrets, deps);
}
