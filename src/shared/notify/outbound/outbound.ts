import type { LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  type CheckedDestination,
  checkDestination,
  checkHost,
  type IsAllowed,
  type Resolve,
} from './destination.js';
import { OutboundError } from './outbound.errors.js';

export interface OutboundOptions {
  /** The admin allowlist (see `allowlistFrom`); everything else outside the public internet is refused. */
  isAllowed: IsAllowed;
  /** Per request, from the first byte to the last (default 10 s). */
  timeoutMs?: number;
  /** How much of a response body is read (default 64 KiB). */
  maxBodyBytes?: number;
  /** Replaces `dns.lookup` (tests: point a made-up host name at loopback). */
  resolve?: Resolve;
}

export interface OutboundRequestInit {
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** How the destination is named in a refusal: `webhook URL`, `push endpoint` (default `URL`). */
  what?: string;
}

export interface OutboundResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /**
   * The body as UTF-8, cut at `maxBodyBytes`: notify reads answers only for ids and error
   * messages, so a provider (or a hostile webhook receiver) cannot make it buffer megabytes.
   */
  body: string;
  truncated: boolean;
}

/**
 * The one way notify makes an outbound HTTP request. Each request re-checks its destination
 * (`checkDestination`) and then connects to exactly the addresses that passed, through a custom
 * `lookup`, so a DNS answer that changes between the check and the connect (rebinding) cannot
 * redirect it; SNI and Host still carry the original host name. Redirects are never followed: a
 * 3xx comes back as-is (its target was never checked).
 *
 * @example
 * const outbound = createOutbound({ isAllowed: allowlistFrom(settings.allowlist) });
 * const res = await outbound.request(url, { method: 'POST', headers, body, signal });
 */
export interface Outbound {
  request(url: string, init: OutboundRequestInit): Promise<OutboundResponse>;
  /** Resolves and checks a bare host (an SMTP server) by the same rules; connect only to the result. */
  checkHost(hostname: string, what?: string): Promise<LookupAddress[]>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

export function createOutbound(options: OutboundOptions): Outbound {
  const defaultTimeoutMs = options.timeoutMs ?? 10_000;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  // Keep-alive matters for bursts to one receiver; sockets in the pool were connected to checked
  // addresses, and the pool is keyed by host and port, so reuse never crosses hosts.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: 30_000 }),
    'https:': new https.Agent({ keepAlive: true, timeout: 30_000 }),
  };

  return {
    async request(url, init) {
      const timeoutMs = init.timeoutMs ?? defaultTimeoutMs;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const onAbort = () => controller.abort();
      init.signal?.addEventListener('abort', onAbort, { once: true });
      let host = 'the host';
      try {
        host = new URL(url).host;
      } catch {
        // checkDestination says why.
      }
      try {
        if (init.signal?.aborted)
          throw new OutboundError('aborted', 'the request was aborted before it started');
        const destination = await untilAborted(
          checkDestination(url, options.isAllowed, {
            ...(init.what === undefined ? {} : { what: init.what }),
            ...(options.resolve ? { resolve: options.resolve } : {}),
          }),
          controller.signal,
        );
        return await send(destination, init, controller.signal, agents, maxBodyBytes);
      } catch (error) {
        if (error instanceof OutboundError && error.kind !== 'network') throw error;
        if (timedOut) {
          throw new OutboundError('timeout', `no answer from ${host} within ${timeoutMs} ms`, {
            cause: error,
          });
        }
        if (init.signal?.aborted)
          throw new OutboundError('aborted', 'the request was aborted', { cause: error });
        throw error;
      } finally {
        clearTimeout(timer);
        init.signal?.removeEventListener('abort', onAbort);
      }
    },
    checkHost(hostname, what) {
      return checkHost(hostname, options.isAllowed, {
        ...(what === undefined ? {} : { what }),
        ...(options.resolve ? { resolve: options.resolve } : {}),
      });
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function send(
  { url, hostname, addresses }: CheckedDestination,
  init: OutboundRequestInit,
  signal: AbortSignal,
  agents: { 'http:': http.Agent; 'https:': https.Agent },
  maxBodyBytes: number,
): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    const request = (secure ? https : http).request(
      {
        protocol: url.protocol,
        hostname,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: init.method,
        headers,
        agent: secure ? agents['https:'] : agents['http:'],
        lookup: pinnedLookup(addresses),
        signal,
      },
      (response) => {
        readCapped(response, maxBodyBytes).then(({ body, truncated }) => {
          resolve({ status: response.statusCode ?? 0, headers: flatHeaders(response), body, truncated });
        }, reject);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new OutboundError('network', `request to ${url.host} failed: ${error.code ?? error.message}`, {
          cause: error,
        }),
      );
    });
    request.end(init.body);
  });
}

/** A `lookup` that answers with the addresses already checked, whatever DNS says now. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    const matching = family ? addresses.filter((a) => a.family === family) : addresses;
    const first = matching[0];
    if (!first) {
      const error: NodeJS.ErrnoException = new Error(`no checked IPv${family} address`);
      error.code = 'ENOTFOUND';
      callback(error, '');
    } else if (options.all) {
      callback(null, matching);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

function readCapped(response: IncomingMessage, max: number): Promise<{ body: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size >= max) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) {
        resolve({ body: Buffer.concat(chunks).subarray(0, max).toString('utf8'), truncated: true });
        response.destroy();
      }
    });
    response.on('end', () => resolve({ body: Buffer.concat(chunks).toString('utf8'), truncated: false }));
    response.on('error', reject);
    response.on('aborted', () => reject(new OutboundError('network', 'the connection closed mid-answer')));
  });
}

function flatHeaders(response: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new OutboundError('network', 'aborted'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new OutboundError('network', 'aborted while resolving the host'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
