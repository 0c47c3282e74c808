import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { importJWK, type JWTPayload, jwtVerify } from 'jose';
import { type Scriptable, startScriptedServer, withScript } from './scripted-server.js';

/** A browser's `PushSubscription.toJSON()`. */
export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A subscription and the private half the browser would keep (to decrypt what is pushed). */
export interface TestPushSubscription {
  subscription: PushSubscriptionJson;
  /** The P-256 private key, base64url. */
  privateKey: string;
}

/** One push message the fake accepted, decrypted. */
export interface PushReceived {
  endpoint: string;
  ttl: number;
  urgency: string | undefined;
  /** The decrypted payload as text, and parsed when it is JSON. */
  payload: string;
  json: unknown;
  vapid: { subject: string; audience: string; publicKey: string };
}

export interface FakePushService extends Scriptable {
  /** `http://127.0.0.1:<port>`: the origin every endpoint shares (the VAPID `aud`). */
  origin: string;
  /** A new subscription on this service. `applicationServerKey`: only this VAPID key may push (else 403). */
  subscribe(options?: { applicationServerKey?: string }): TestPushSubscription;
  /** The subscription is gone: pushes now get 410. */
  unsubscribe(endpoint: string): void;
  received: PushReceived[];
  close(): Promise<void>;
}

/** A key pair and auth secret, as a browser makes them, for an endpoint under `endpointBase`. */
export function newPushSubscription(endpointBase: string): TestPushSubscription {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    subscription: {
      endpoint: `${endpointBase.replace(/\/$/, '')}/push/${randomBytes(12).toString('base64url')}`,
      keys: {
        p256dh: ecdh.getPublicKey().toString('base64url'),
        auth: randomBytes(16).toString('base64url'),
      },
    },
    privateKey: ecdh.getPrivateKey().toString('base64url'),
  };
}

/**
 * Decrypts an `aes128gcm` Web Push body (RFC 8188 framing, RFC 8291 keys) with the subscriber's
 * private key; one record, as every push message is. Throws when it does not decrypt.
 */
export function decryptPushPayload(body: Buffer, subscriber: TestPushSubscription): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20] ?? 0;
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(subscriber.privateKey, 'base64url'));
  const shared = ecdh.computeSecret(senderPublic);
  const receiverPublic = Buffer.from(subscriber.subscription.keys.p256dh, 'base64url');
  const authSecret = Buffer.from(subscriber.subscription.keys.auth, 'base64url');
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverPublic, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // Content, then the last-record delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('bad padding delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/**
 * Test support: a loopback push service speaking RFC 8030 as browsers' push services do.
 * `POST /push/{id}` needs `TTL`, `Content-Encoding: aes128gcm` and
 * `Authorization: vapid t=<JWT>, k=<key>`; the JWT's ES256 signature is checked against `k`
 * with jose, its `aud` must be this origin and `exp` within 24 h. The body is decrypted with the
 * subscription's private key. Answers 201 with a `Location`; 400 (no TTL, bad encryption),
 * 401 (bad VAPID), 403 (key not the subscription's), 404 (unknown), 410 (unsubscribed), 413
 * (over 4096 bytes).
 */
export async function startFakePushService(options: { record?: boolean } = {}): Promise<FakePushService> {
  const record = options.record ?? true;
  const subscriptions = new Map<string, TestPushSubscription & { applicationServerKey?: string }>();
  const gone = new Set<string>();
  const keys = new Map<string, ReturnType<typeof importJWK>>();
  const received: PushReceived[] = [];
  let origin = '';
  let seq = 0;

  const keyFor = (k: string) => {
    let key = keys.get(k);
    if (!key) {
      const raw = Buffer.from(k, 'base64url');
      if (raw.length !== 65 || raw[0] !== 4) return null;
      const jwk = {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(1, 33).toString('base64url'),
        y: raw.subarray(33).toString('base64url'),
      };
      key = importJWK(jwk, 'ES256');
      keys.set(k, key);
    }
    return key;
  };

  const server = await startScriptedServer({
    errorBody: (status) => ({
      body: { code: status, errno: 999, error: 'Scripted', message: `scripted ${status}` },
    }),
    handle(request, reply) {
      const fail = (status: number, message: string) =>
        reply.json(status, { code: status, error: message, message });
      void (async () => {
        const id = request.path.match(/^\/push\/([\w-]+)$/)?.[1];
        if (request.method !== 'POST' || !id) return fail(404, 'Not Found');
        if (gone.has(id)) return fail(410, 'Gone');
        const subscriber = subscriptions.get(id);
        if (!subscriber) return fail(404, 'Not Found');
        const ttlText = request.headers.ttl;
        if (typeof ttlText !== 'string' || !/^\d+$/.test(ttlText)) return fail(400, 'Missing TTL header');
        if (request.body.length > 4096) return fail(413, 'Payload Too Large');

        const vapid = String(request.headers.authorization ?? '').match(/^vapid\s+(.+)$/i)?.[1];
        const params = Object.fromEntries(
          (vapid ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]),
        );
        const [token, k] = [params.t, params.k];
        if (!token || !k) return fail(401, 'Missing VAPID authorization');
        const key = keyFor(k);
        if (!key) return fail(401, 'Invalid VAPID key');
        let claims: JWTPayload;
        try {
          ({ payload: claims } = await jwtVerify(token, await key, {
            audience: origin,
            algorithms: ['ES256'],
          }));
        } catch {
          return fail(401, 'Invalid VAPID token');
        }
        const now = Math.floor(Date.now() / 1000);
        if (typeof claims.exp !== 'number' || claims.exp > now + 24 * 3600)
          return fail(401, 'VAPID exp too far');
        if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
          return fail(401, 'VAPID sub');
        if (subscriber.applicationServerKey && subscriber.applicationServerKey !== k) {
          return fail(403, 'VAPID key does not match the subscription');
        }

        let payload = '';
        if (request.body.length > 0) {
          if (request.headers['content-encoding'] !== 'aes128gcm')
            return fail(400, 'Unsupported Content-Encoding');
          try {
            payload = decryptPushPayload(request.body, subscriber);
          } catch {
            return fail(400, 'Could not decrypt');
          }
        }
        if (record) {
          let json: unknown;
          try {
            json = JSON.parse(payload);
          } catch {
            json = undefined;
          }
          received.push({
            endpoint: subscriber.subscription.endpoint,
            ttl: Number(ttlText),
            urgency: request.headers.urgency as string | undefined,
            payload,
            json,
            vapid: { subject: claims.sub, audience: String(claims.aud), publicKey: k },
          });
        }
        seq++;
        reply.send(201, '', { location: `${origin}/m/${id}-${seq}`, ttl: ttlText });
      })();
    },
  });
  origin = server.origin;

  return withScript(server, {
    origin,
    received,
    subscribe(subscribeOptions: { applicationServerKey?: string } = {}) {
      const created = newPushSubscription(origin);
      const id = created.subscription.endpoint.split('/').pop() as string;
      subscriptions.set(id, { ...created, ...subscribeOptions });
      return created;
    },
    unsubscribe(endpoint: string) {
      gone.add(endpoint.split('/').pop() as string);
    },
  });
}
