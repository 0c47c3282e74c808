import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Test support (never imported by production code): the part every fake provider shares. A real
 * node:http server on 127.0.0.1 with a queue of scripted answers; each fake only says how its
 * provider answers normally and how its error bodies look.
 */

/**
 * What the fake does with the next request instead of answering normally. Fields combine:
 * `{ status: 429, retryAfter: 3 }`, `{ hang: true }` then the normal answer once released.
 */
export interface Scripted {
  /** Answer with this status; the body is the provider's error shape unless `body` is given. */
  status?: number;
  /** Raw text, or an object sent as JSON. */
  body?: string | object;
  headers?: Record<string, string>;
  /** Sets `retry-after` (seconds, or an HTTP-date string). */
  retryAfter?: number | string;
  /** Wait this long first. */
  delayMs?: number;
  /**
   * Hold the request until `release()` (then it is handled as scripted, or normally) or until the
   * client goes away (then it is dropped: not recorded, not answered).
   */
  hang?: boolean;
  /** Destroy the connection without answering. */
  destroy?: boolean;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How a fake answers. `json` is a convenience for `send(status, JSON.stringify(body), json type)`. */
export interface Reply {
  send(status: number, body: string, headers?: Record<string, string>): void;
  json(status: number, body: unknown, headers?: Record<string, string>): void;
}

export interface ScriptedServerOptions {
  /** The normal behaviour: parse the provider's request, record it, answer. */
  handle(request: FakeRequest, reply: Reply): void;
  /** The provider's error body for a scripted status without `body` (default: JSON `{ error }`). */
  errorBody?(status: number): { body: string | object; headers?: Record<string, string> };
}

/** The scripting half of every fake's interface. */
export interface Scriptable {
  /** Queue answers, one per request, consumed in order before normal handling resumes. */
  script(...answers: Scripted[]): void;
  /** Lets every held (`hang`) request go on. */
  release(): void;
  /** Requests currently held. */
  readonly held: number;
  /** Requests the server is working on (held, delayed, being read). */
  readonly inFlight: number;
  /** Clears the queue and releases nothing (held requests stay held). */
  clearScript(): void;
}

export interface ScriptedServer extends Scriptable {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** Destroys every connection, held ones included; idempotent. */
  close(): Promise<void>;
}

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const queue: Scripted[] = [];
  const held = new Set<() => void>();
  let inFlight = 0;

  const server = createServer((req, res) => {
    inFlight++;
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
      };
      void run(request, res, queue.shift());
    });
  });

  async function run(
    request: FakeRequest,
    res: ServerResponse,
    scripted: Scripted | undefined,
  ): Promise<void> {
    if (scripted?.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    if (scripted?.hang) {
      const released = await new Promise<boolean>((resolve) => {
        const go = () => resolve(true);
        held.add(go);
        res.on('close', () => {
          held.delete(go);
          resolve(false);
        });
      });
      if (!released) return;
    }
    // The client may have given up while we waited: a dropped request leaves no trace.
    if (res.destroyed) return;
    if (scripted?.destroy) {
      res.socket?.destroy();
      return;
    }
    const reply = replyTo(res);
    if (scripted?.status !== undefined) {
      const fallback: { body: string | object; headers?: Record<string, string> } = options.errorBody?.(
        scripted.status,
      ) ?? { body: { error: `scripted ${scripted.status}` } };
      const headers = { ...fallback.headers, ...scripted.headers };
      if (scripted.retryAfter !== undefined) headers['retry-after'] = String(scripted.retryAfter);
      const body = scripted.body ?? fallback.body;
      if (typeof body === 'string') reply.send(scripted.status, body, headers);
      else reply.json(scripted.status, body, headers);
      return;
    }
    options.handle(request, reply);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    script(...answers) {
      queue.push(...answers);
    },
    release() {
      const waiting = [...held];
      held.clear();
      for (const go of waiting) go();
    },
    get held() {
      return held.size;
    },
    get inFlight() {
      return inFlight;
    },
    clearScript() {
      queue.length = 0;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

/**
 * A fake's public object: its own `fields` plus the server's `Scriptable` part and `close()`.
 * Property descriptors are copied, so getters in `fields` stay live.
 */
export function withScript<T extends object>(
  server: ScriptedServer,
  fields: T,
): Scriptable & { close(): Promise<void> } & NoInfer<T> {
  const base: Scriptable & { close(): Promise<void> } = {
    script: server.script,
    release: server.release,
    clearScript: server.clearScript,
    get held() {
      return server.held;
    },
    get inFlight() {
      return server.inFlight;
    },
    close: server.close,
  };
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(fields)) as Scriptable & {
    close(): Promise<void>;
  } & T;
}

function replyTo(res: ServerResponse): Reply {
  return {
    send(status, body, headers = {}) {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(body);
    },
    json(status, body, headers = {}) {
      if (res.destroyed) return;
      res
        .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
        .end(JSON.stringify(body));
    },
  };
}

/** `a=1&b=2` bodies, as Slack and Twilio accept them. */
export function formBody(body: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

/** A JSON body, or undefined when it is not JSON. */
export function jsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
