import { createHash, randomUUID } from 'node:crypto';
import { currentTrace, newTraceUuid, type TraceContext } from '../trace/index.js';

/**
 * What Keel stores as a pg-boss job's `data`: the payload plus what travels with it. The id is
 * inside too because pg-boss copies only `data` into the dead-letter queue, and an operator looking
 * at a dead letter wants to find the original job.
 */
export interface JobEnvelope {
  payload: unknown;
  trace: TraceContext;
  jobId: string;
}

export interface OpenedEnvelope {
  payload: unknown;
  trace: TraceContext | null;
  jobId: string | null;
}

/** Wraps `payload` with the caller's trace (or a new one, for work not caused by a request). */
export function sealEnvelope(payload: unknown, jobId: string): JobEnvelope {
  const trace = currentTrace();
  return {
    payload,
    trace: trace ? pickTrace(trace) : { traceUuid: newTraceUuid() },
    jobId,
  };
}

/** Reads a job's data; data that Keel did not write (sent by another tool) is all payload. */
export function openEnvelope(data: unknown): OpenedEnvelope {
  if (!isRecord(data) || !('payload' in data) || !isRecord(data.trace)) {
    return { payload: data, trace: null, jobId: null };
  }
  const trace = data.trace;
  const traceUuid = typeof trace.traceUuid === 'string' ? trace.traceUuid : null;
  return {
    payload: data.payload,
    trace: traceUuid
      ? {
          traceUuid,
          ...(typeof trace.userId === 'string' ? { userId: trace.userId } : {}),
          ...(typeof trace.repoId === 'string' ? { repoId: trace.repoId } : {}),
        }
      : null,
    jobId: typeof data.jobId === 'string' ? data.jobId : null,
  };
}

/** A new job id, or the same id for the same idempotency key in the same queue. */
export function jobIdFor(queue: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  const hex = createHash('sha256').update(`${queue}\u0000${idempotencyKey}`).digest('hex');
  // RFC 9562 version 8 (custom) with the RFC variant bits, so it is a well-formed uuid.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pickTrace(trace: TraceContext): TraceContext {
  return {
    traceUuid: trace.traceUuid,
    ...(trace.userId !== undefined ? { userId: trace.userId } : {}),
    ...(trace.repoId !== undefined ? { repoId: trace.repoId } : {}),
  };
}
