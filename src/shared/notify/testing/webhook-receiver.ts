import type { IncomingHttpHeaders } from 'node:http';
import { verifyWebhook } from '../channels/webhook-signature.js';
import { type Scriptable, startScriptedServer, withScript } from './scripted-server.js';

/** One webhook request the receiver answered. */
export interface WebhookReceived {
  id: string;
  /** Date.now() when the request was handled. */
  receivedAt: number;
  timestamp: number;
  /** The raw body, as signed. */
  body: string;
  verified: boolean;
  /** Why verification failed, when it did. */
  reason?: string;
  headers: IncomingHttpHeaders;
}

export interface WebhookReceiver extends Scriptable {
  /** `http://127.0.0.1:<port>/hooks` */
  url: string;
  secret: string;
  /** Every request answered (verified or not); empty when `record: false`. */
  received: WebhookReceived[];
  /** Verified requests answered 2xx, per `webhook-id`: a message delivered once shows 1. */
  deliveries(id: string): number;
  /** Verified requests answered 2xx, in all. */
  readonly delivered: number;
  close(): Promise<void>;
}

export interface WebhookReceiverOptions {
  secret: string;
  /** Timestamp tolerance (default 300 s). */
  toleranceS?: number;
  /** Keep `received` (default true). Counts are kept either way; benchmarks pass false. */
  record?: boolean;
}

/**
 * Test support: a loopback receiver that checks Standard Webhooks signatures with
 * `verifyWebhook` and answers 204 (401 with the reason when the check fails). Counts deliveries
 * per `webhook-id`. A request held with `script({ hang: true })` whose client gives up is
 * dropped without counting, like a real receiver that never finished; after `release()` a held
 * request is handled normally. Per request: one HMAC and a map update, so it keeps up with
 * benchmarks.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const record = options.record ?? true;
  const received: WebhookReceived[] = [];
  const counts = new Map<string, number>();
  let delivered = 0;

  const server = await startScriptedServer({
    handle(request, reply) {
      if (request.method !== 'POST' || request.path !== '/hooks') return reply.send(404, 'not found');
      const body = request.body.toString('utf8');
      const check = verifyWebhook(options.secret, request.headers, body, {
        ...(options.toleranceS === undefined ? {} : { toleranceS: options.toleranceS }),
      });
      if (record) {
        received.push({
          id: String(request.headers['webhook-id'] ?? ''),
          receivedAt: Date.now(),
          timestamp: Number(request.headers['webhook-timestamp'] ?? 0),
          body,
          verified: check.ok,
          ...(check.ok ? {} : { reason: check.reason }),
          headers: request.headers,
        });
      }
      if (!check.ok) return reply.send(401, check.reason);
      counts.set(check.id, (counts.get(check.id) ?? 0) + 1);
      delivered++;
      return reply.send(204, '');
    },
  });

  return withScript(server, {
    url: `${server.origin}/hooks`,
    secret: options.secret,
    received,
    deliveries: (id: string) => counts.get(id) ?? 0,
    get delivered() {
      return delivered;
    },
  });
}
