import type { DeliveryOutcome } from '../channels/channel.types.js';
import { DestinationRefusedError, OutboundError } from './outbound.errors.js';

/** The longest wait a provider can ask for; beyond it the dispatcher's own backoff is the better guess. */
export const maxRetryAfterMs = 60 * 60 * 1000;

/**
 * The outcome of one HTTP answer, the rules every channel shares: 2xx delivered; 429, 408, 425
 * and 5xx retry (with the provider's `Retry-After` on 429 and 503); 3xx failed (redirects are
 * not followed: their target was never checked); any other 4xx failed. `detail` is the
 * provider's own short description (an error code, a message); it is redacted and cut before it
 * lands in `reason`.
 *
 * @example
 * classifyHttp(429, { 'retry-after': '30' }, 'rate limited');
 * // { status: 'retry', reason: 'HTTP 429: rate limited', retryAfterMs: 30000, httpStatus: 429 }
 */
export function classifyHttp(status: number, headers: Record<string, string>, detail = ''): DeliveryOutcome {
  const said = summarize(detail);
  const reason = said ? `HTTP ${status}: ${said}` : `HTTP ${status}`;
  if (status >= 200 && status < 300) return { status: 'delivered', httpStatus: status };
  if (status >= 300 && status < 400) {
    return { status: 'failed', reason: `redirect not followed (HTTP ${status})`, httpStatus: status };
  }
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    return {
      status: 'retry',
      reason,
      httpStatus: status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (status === 408 || status === 425 || status >= 500)
    return { status: 'retry', reason, httpStatus: status };
  return { status: 'failed', reason, httpStatus: status };
}

/**
 * The outcome of a request that threw: a refused destination is permanent; a timeout, abort,
 * DNS or network error is worth a retry, and so (conservatively) is anything unexpected.
 */
export function classifyError(error: unknown): DeliveryOutcome {
  if (error instanceof DestinationRefusedError) return { status: 'failed', reason: error.message };
  if (error instanceof OutboundError) return { status: 'retry', reason: error.message };
  const name = error instanceof Error ? error.name : typeof error;
  return { status: 'retry', reason: `unexpected error (${name})` };
}

/**
 * `Retry-After` as milliseconds from now: delta-seconds (`120`) or an HTTP-date; clamped to
 * [0, 1 h]; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), maxRetryAfterMs);
}

/**
 * A provider's words made safe for a delivery log: e-mail addresses, phone numbers and URLs
 * (which can echo the recipient or carry tokens) replaced, whitespace collapsed, cut at 200
 * characters.
 */
export function summarize(text: string): string {
  const clean = text
    .replace(/https?:\/\/\S+/gi, '<url>')
    .replace(/[^\s<>@"']+@[^\s<>@"']+/g, '<address>')
    .replace(/\+?\d[\d ()-]{6,}\d/g, '<number>')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}
