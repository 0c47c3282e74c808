import type { IncomingHttpHeaders } from 'node:http';
import { formBody, jsonBody, type Scriptable, startScriptedServer, withScript } from './scripted-server.js';

/** One message the fake Slack accepted. */
export interface SlackReceived {
  via: 'api' | 'webhook';
  /** The `channel` argument (api only). */
  channel?: string;
  text?: string;
  blocks?: unknown[];
  /** Slack's id of the message (api only). */
  ts?: string;
  headers: IncomingHttpHeaders;
}

export interface FakeSlack extends Scriptable {
  /** `http://127.0.0.1:<port>/api`: the bot channel's `apiBaseUrl`. */
  apiBaseUrl: string;
  /** An incoming-webhook URL the fake serves. */
  webhookUrl: string;
  /** The accepted bot token. */
  botToken: string;
  received: SlackReceived[];
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  botToken?: string;
  /** Channel ids that answer `channel_not_found` (api) — e.g. to test a permanent failure. */
  unknownChannels?: string[];
  /** Keep `received` (default true; benchmarks: false). */
  record?: boolean;
}

/**
 * Test support: a loopback server speaking Slack's two ways in. `POST /api/chat.postMessage`
 * like the Web API (HTTP 200 with `{ ok, error }`; the token as `Authorization: Bearer` or a
 * `token` form field; JSON or form bodies, `blocks` as a JSON string in forms) and
 * `POST /services/T…/B…/…` like an incoming webhook (200 `ok`, or 400 `invalid_payload` /
 * `no_text`, 404 `no_service`). Scripted statuses answer in the matching shape.
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = options.botToken ?? 'xoxb-fake-0000-token';
  const webhookPath = '/services/T00000000/B00000000/fakeWebhookSecret000000';
  const unknownChannels = new Set(options.unknownChannels ?? []);
  const record = options.record ?? true;
  const received: SlackReceived[] = [];
  let seq = 0;

  const server = await startScriptedServer({
    errorBody: (status) =>
      status === 429
        ? { body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } }
        : { body: status >= 500 ? 'internal_error' : 'invalid_payload' },
    handle(request, reply) {
      if (request.method !== 'POST') return reply.send(405, 'method_not_allowed');
      if (request.path === webhookPath) {
        const body = jsonBody(request.body) as { text?: string; blocks?: unknown[] } | undefined;
        if (!body || typeof body !== 'object') return reply.send(400, 'invalid_payload');
        if (!body.text && !body.blocks?.length) return reply.send(400, 'no_text');
        if (record)
          received.push({ via: 'webhook', text: body.text, blocks: body.blocks, headers: request.headers });
        return reply.send(200, 'ok');
      }
      if (request.path.startsWith('/services/')) return reply.send(404, 'no_service');
      if (request.path !== '/api/chat.postMessage')
        return reply.json(404, { ok: false, error: 'unknown_method' });

      const form = String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded');
      const args = (form ? formBody(request.body) : jsonBody(request.body)) as
        | Record<string, unknown>
        | undefined;
      if (!args) return reply.json(200, { ok: false, error: 'invalid_json' });
      const auth = request.headers.authorization?.replace(/^Bearer /, '') ?? args.token;
      if (!auth) return reply.json(200, { ok: false, error: 'not_authed' });
      if (auth !== botToken) return reply.json(200, { ok: false, error: 'invalid_auth' });
      const channel = typeof args.channel === 'string' ? args.channel : '';
      if (!channel || unknownChannels.has(channel))
        return reply.json(200, { ok: false, error: 'channel_not_found' });
      let blocks = args.blocks;
      if (typeof blocks === 'string') blocks = jsonBody(Buffer.from(blocks));
      if (blocks !== undefined && !Array.isArray(blocks))
        return reply.json(200, { ok: false, error: 'invalid_blocks' });
      const text = typeof args.text === 'string' ? args.text : undefined;
      if (!text && !blocks?.length) return reply.json(200, { ok: false, error: 'no_text' });
      if (text && text.length > 40_000) return reply.json(200, { ok: false, error: 'msg_too_long' });
      seq++;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
      if (record) received.push({ via: 'api', channel, text, blocks, ts, headers: request.headers });
      // A user id opens (or reuses) the DM; Slack answers with the DM's channel id.
      const answered = channel.startsWith('U') || channel.startsWith('W') ? `D${channel.slice(1)}` : channel;
      return reply.json(200, { ok: true, channel: answered, ts, message: { text, type: 'message', ts } });
    },
  });

  return withScript(server, {
    apiBaseUrl: `${server.origin}/api`,
    webhookUrl: `${server.origin}${webhookPath}`,
    botToken,
    received,
  });
}
