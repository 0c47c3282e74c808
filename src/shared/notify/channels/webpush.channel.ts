import webpush from 'web-push';
import { z } from 'zod';
import { classifyHttp } from '../outbound/classify.js';
import { type ChannelDeps, channelAdapter, httpUrl, parseJson, parseSettings } from './adapter.js';
import type { ChannelAdapter, RenderedMessage } from './channel.types.js';

const base64url = /^[A-Za-z0-9_-]+$/;

/**
 * Web Push with VAPID. `subject` tells push services whom to contact (`mailto:` or an https
 * URL); `publicKey` is what browsers subscribe with (the application server key).
 */
export const webpushSettingsSchemas = {
  config: z.object({
    subject: z.string().regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'a mailto: address or an https:// URL'),
    publicKey: z.string().regex(base64url).length(87, 'a VAPID public key is 65 bytes in base64url'),
    /** How long the push service keeps an undelivered message (default one day). */
    ttlSeconds: z
      .number()
      .int()
      .min(0)
      .max(28 * 24 * 3600)
      .default(24 * 3600),
    urgency: z.enum(['very-low', 'low', 'normal', 'high']).default('normal'),
  }),
  secrets: z.object({
    privateKey: z.string().regex(base64url).length(43, 'a VAPID private key is 32 bytes in base64url'),
  }),
};

/** A new VAPID key pair (base64url): the public key goes to config, the private one to secrets. */
export function newVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}

/** `PushSubscription.toJSON()` as the browser gives it: the destination of a webpush delivery. */
export const pushSubscriptionSchema = z.object({
  endpoint: httpUrl(),
  keys: z.object({ p256dh: z.string().regex(base64url), auth: z.string().regex(base64url) }),
});

// Push services take 4096 bytes of encrypted body; aes128gcm adds 86 + 16 + 1.
const maxPayloadBytes = 3993;

/**
 * web-push encrypts the payload and signs the VAPID JWT (`generateRequestDetails`); the request
 * itself goes through `outbound`, so the SSRF guard applies to the endpoint too. 201 is
 * delivered; 404/410 mean the subscription is gone (`gone: true`: the core deletes it).
 */
export function createWebpushChannel(config: unknown, secrets: unknown, deps: ChannelDeps): ChannelAdapter {
  const { config: c, secrets: s } = parseSettings('webpush', webpushSettingsSchemas, config, secrets);
  const vapidDetails = { subject: c.subject, publicKey: c.publicKey, privateKey: s.privateKey };

  return channelAdapter('webpush', async function deliverWebpush({ destination, message, signal }) {
    const subscription = pushSubscriptionSchema.safeParse(parseJson(destination));
    if (!subscription.success) {
      return {
        status: 'failed',
        reason: 'the push subscription is not valid JSON with endpoint and keys',
        gone: true,
      };
    }
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      details = webpush.generateRequestDetails(subscription.data, pushPayload(message), {
        vapidDetails,
        TTL: c.ttlSeconds,
        urgency: c.urgency,
      });
    } catch {
      // Keys of the wrong size or not on the curve: this subscription can never be pushed to.
      return { status: 'failed', reason: 'the push subscription keys are invalid', gone: true };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(details.headers)) headers[name.toLowerCase()] = String(value);
    delete headers['content-length'];
    const res = await deps.outbound.request(details.endpoint, {
      method: 'POST',
      headers,
      body: details.body ?? Buffer.alloc(0),
      signal,
      what: 'push endpoint',
    });
    if (res.status === 404 || res.status === 410) {
      return {
        status: 'failed',
        reason: `subscription gone (HTTP ${res.status})`,
        httpStatus: res.status,
        gone: true,
      };
    }
    const outcome = classifyHttp(res.status, res.headers, res.body);
    if (outcome.status === 'delivered' && res.headers.location) {
      return { ...outcome, providerMessageId: res.headers.location };
    }
    return outcome;
  });
}

/**
 * `{ title, body, url, data }` for the service worker, within the push size limit: `data` is
 * dropped first, then the body is shortened.
 */
export function pushPayload(message: RenderedMessage): string {
  const base = { title: message.subject, body: message.text, ...(message.url ? { url: message.url } : {}) };
  const full = JSON.stringify({ ...base, data: message.data });
  if (Buffer.byteLength(full) <= maxPayloadBytes) return full;
  const lean = JSON.stringify(base);
  const over = Buffer.byteLength(lean) - maxPayloadBytes;
  if (over <= 0) return lean;
  let body = message.text;
  // Characters can be several bytes, and JSON escapes some: shrink until it fits.
  while (body && Buffer.byteLength(JSON.stringify({ ...base, body: `${body}…` })) > maxPayloadBytes) {
    body = body.slice(0, Math.max(0, body.length - Math.max(16, Math.ceil(over / 4))));
  }
  return JSON.stringify({ ...base, body: `${body}…` });
}
