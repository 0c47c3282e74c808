import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the secret is `whsec_` +
 * base64 key bytes; the signature is `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)),
 * sent in `webhook-signature` next to `webhook-id` and `webhook-timestamp` (unix seconds).
 */

const prefix = 'whsec_';

/** A new signing secret: `whsec_` + 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${prefix}${randomBytes(32).toString('base64')}`;
}

// The last secret's key bytes: a sender or receiver uses one secret for many requests in a row.
let cached: { secret: string; key: Buffer } | null = null;

function keyOf(secret: string): Buffer {
  if (cached?.secret !== secret) {
    cached = {
      secret,
      key: Buffer.from(secret.startsWith(prefix) ? secret.slice(prefix.length) : secret, 'base64'),
    };
  }
  return cached.key;
}

/** The `webhook-signature` value for one attempt. */
export function signWebhook(secret: string, id: string, timestampS: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampS}.${body}`).digest('base64')}`;
}

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | {
      ok: false;
      reason: 'missing headers' | 'bad timestamp' | 'timestamp outside tolerance' | 'bad signature';
    };

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way (default 300 s): older is a replay. */
  toleranceS?: number;
  /** Now, in ms since the epoch (default `Date.now()`). */
  now?: number;
}

/**
 * What a receiver does with a notify webhook: checks the three headers, refuses a timestamp
 * outside the tolerance (a replayed request) and compares each `v1` signature in constant time.
 * `headers` as node:http gives them (lower-case names) or a fetch `Headers`.
 *
 * @example
 * const check = verifyWebhook(secret, req.headers, rawBody);
 * if (!check.ok) return res.writeHead(401).end(check.reason);
 * if (seen.has(check.id)) return res.writeHead(200).end(); // a retry of a delivered message
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined> | Headers,
  body: string,
  options: VerifyOptions = {},
): WebhookVerification {
  const get = (name: string) => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  const id = get('webhook-id');
  const timestampText = get('webhook-timestamp');
  const signatures = get('webhook-signature');
  if (!id || !timestampText || !signatures) return { ok: false, reason: 'missing headers' };
  if (!/^\d+$/.test(timestampText)) return { ok: false, reason: 'bad timestamp' };
  const timestamp = Number(timestampText);
  const nowS = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowS - timestamp) > (options.toleranceS ?? 300)) {
    return { ok: false, reason: 'timestamp outside tolerance' };
  }
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body).slice(3), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected))
      return { ok: true, id, timestamp };
  }
  return { ok: false, reason: 'bad signature' };
}
