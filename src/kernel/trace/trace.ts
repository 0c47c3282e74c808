import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { isUuid } from '../ids.js';

/** What every log line and enqueued job inherits from the request (or job) that caused it. */
export interface TraceContext {
  traceUuid: string;
  /** The acting user's id, once identity knows it (log label `id`). */
  userId?: string;
  /** The repository a request is about (log label `repo`). */
  repoId?: string;
}

const storage = new AsyncLocalStorage<TraceContext>();

export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

export function runWithTrace<T>(context: TraceContext, fn: () => T): T {
  return storage.run(context, fn);
}

// W3C trace-context: version-traceid-parentid-flags; an all-zero trace id is invalid.
const traceparentPattern = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The trace uuid of an incoming request: a W3C `traceparent` trace id (as a uuid) first,
 * then a well-formed `x-trace-uuid`, otherwise a new one. Malformed headers are ignored, not trusted.
 */
export function traceUuidFromHeaders(headers: Record<string, string | string[] | undefined>): string {
  const traceparent = first(headers.traceparent)?.trim().toLowerCase();
  const match = traceparent ? traceparentPattern.exec(traceparent) : null;
  if (match?.[1] && !/^0+$/.test(match[1])) return hexToUuid(match[1]);
  const given = first(headers['x-trace-uuid'])?.trim();
  if (given && isUuid(given)) return given.toLowerCase();
  return randomUUID();
}

export function newTraceUuid(): string {
  return randomUUID();
}

function hexToUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
