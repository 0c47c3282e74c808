import type { ChannelKind } from '../channels/channel.types.js';
import { newVapidKeys, newWebhookSecret } from '../channels/index.js';

/**
 * Fills in the secrets Keel can make itself, so an admin enabling webhooks or Web Push does not
 * have to generate keys by hand: a webhook signing secret (shown once: receivers need it to verify
 * signatures) and a VAPID key pair (the public half goes into the channel's public config).
 */
export function prepareChannelSecrets(
  channel: ChannelKind,
  config: Record<string, unknown>,
  secrets: Record<string, unknown>,
): {
  secrets: Record<string, unknown>;
  generated: { secrets: Record<string, string>; publicConfig: Record<string, unknown> };
} {
  if (channel === 'webhook' && !secrets.signingSecret) {
    const signingSecret = newWebhookSecret();
    return {
      secrets: { ...secrets, signingSecret },
      generated: { secrets: { signingSecret }, publicConfig: {} },
    };
  }
  if (channel === 'webpush' && !secrets.privateKey && !config.publicKey) {
    const keys = newVapidKeys();
    return {
      secrets: { ...secrets, privateKey: keys.privateKey },
      generated: { secrets: {}, publicConfig: { publicKey: keys.publicKey } },
    };
  }
  return { secrets, generated: { secrets: {}, publicConfig: {} } };
}
