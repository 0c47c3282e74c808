import { z } from 'zod';
import { classifyHttp } from '../outbound/classify.js';
import { type ChannelDeps, channelAdapter, parseSettings } from './adapter.js';
import type { ChannelAdapter } from './channel.types.js';
import { signWebhook } from './webhook-signature.js';

/** Generic webhooks: no config; the signing secret (`whsec_…`, see `newWebhookSecret`). */
export const webhookSettingsSchemas = {
  config: z.object({}),
  secrets: z.object({
    signingSecret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'a signing secret is whsec_ and base64'),
  }),
};

/**
 * POSTs JSON `{ type, timestamp, data, subject, text, url }` to the destination URL, signed per
 * Standard Webhooks: `webhook-id` is the delivery id (the same on every retry, so receivers can
 * drop duplicates), `webhook-timestamp` the attempt's time, `webhook-signature` the HMAC. Any
 * 2xx is delivered; the rest is classified like every HTTP answer.
 */
export function createWebhookChannel(config: unknown, secrets: unknown, deps: ChannelDeps): ChannelAdapter {
  const { secrets: s } = parseSettings('webhook', webhookSettingsSchemas, config, secrets);
  const now = deps.now ?? Date.now;

  return channelAdapter(
    'webhook',
    async function deliverWebhook({ deliveryId, destination, message, signal }) {
      const at = now();
      const body = JSON.stringify({
        type: message.template.name,
        timestamp: new Date(at).toISOString(),
        data: message.data,
        subject: message.subject,
        text: message.text,
        ...(message.url ? { url: message.url } : {}),
      });
      const timestamp = Math.floor(at / 1000);
      const res = await deps.outbound.request(destination, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Keel-Webhooks/1',
          'webhook-id': deliveryId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(s.signingSecret, deliveryId, timestamp, body),
        },
        body,
        signal,
        what: 'webhook URL',
      });
      // The receiver's own words help whoever runs it; classifyHttp cuts and redacts them.
      return classifyHttp(res.status, res.headers, res.body);
    },
  );
}
