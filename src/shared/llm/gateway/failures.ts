import { APICallError } from '@ai-sdk/provider';

/** What to do after an attempt failed. */
export interface FailureVerdict {
  /** Try the same candidate again after `retryAfterMs` (429, 5xx, network). */
  retry: boolean;
  retryAfterMs: number | null;
  /** Move on to the next candidate (anything that another provider might not suffer). */
  fallback: boolean;
  /** Counts against the provider's circuit (its fault, not the request's). */
  providerFault: boolean;
  /** A short, key-free description for the request log. */
  summary: string;
  status: number | null;
}

export class AttemptTimeoutError extends Error {
  override name = 'AttemptTimeoutError';
}

/**
 * Sorts a failed attempt: the caller's own mistakes (400, 413, 422) would fail everywhere, so
 * they neither retry nor fall back; rate limits and server errors retry then fall back;
 * timeouts, network errors and malformed responses fall back at once.
 */
export function judgeFailure(error: unknown): FailureVerdict {
  if (error instanceof AttemptTimeoutError) {
    return {
      retry: false,
      retryAfterMs: null,
      fallback: true,
      providerFault: true,
      summary: 'timeout',
      status: null,
    };
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? null;
    const retryAfterMs = retryAfterOf(error.responseHeaders);
    if (status === 429) {
      return {
        retry: true,
        retryAfterMs,
        fallback: true,
        providerFault: false,
        summary: 'rate limited (429)',
        status,
      };
    }
    if (status !== null && status >= 500) {
      return {
        retry: true,
        retryAfterMs,
        fallback: true,
        providerFault: true,
        summary: `server error (${status})`,
        status,
      };
    }
    if (status === 401 || status === 403) {
      // A bad or revoked key: another key or provider may work.
      return {
        retry: false,
        retryAfterMs: null,
        fallback: true,
        providerFault: true,
        summary: `key refused (${status})`,
        status,
      };
    }
    if (status === 404) {
      return {
        retry: false,
        retryAfterMs: null,
        fallback: true,
        providerFault: false,
        summary: 'model not found (404)',
        status,
      };
    }
    if (status !== null && status < 400) {
      // A success status with a body the client could not read: a malformed response.
      return {
        retry: false,
        retryAfterMs: null,
        fallback: true,
        providerFault: true,
        summary: `malformed response (${status})`,
        status,
      };
    }
    if (status !== null && status >= 400) {
      return {
        retry: false,
        retryAfterMs: null,
        fallback: false,
        providerFault: false,
        summary: `request refused (${status})`,
        status,
      };
    }
    // No status: the connection failed.
    return {
      retry: true,
      retryAfterMs: null,
      fallback: true,
      providerFault: true,
      summary: 'network error',
      status: null,
    };
  }
  const name = error instanceof Error ? error.name : 'Error';
  if (name === 'AbortError') {
    return {
      retry: false,
      retryAfterMs: null,
      fallback: false,
      providerFault: false,
      summary: 'cancelled',
      status: null,
    };
  }
  // Malformed responses (JSON parse, schema), empty bodies, socket resets: the provider's fault.
  return {
    retry: false,
    retryAfterMs: null,
    fallback: true,
    providerFault: true,
    summary: `${name}: ${error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200)}`,
    status: null,
  };
}

function retryAfterOf(headers: Record<string, string> | undefined): number | null {
  const value = headers?.['retry-after-ms'] ?? headers?.['retry-after'];
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return headers?.['retry-after-ms'] ? seconds : seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
