import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from '../config/index.js';
import { currentTrace } from '../trace/index.js';

export type Log = Logger;

/**
 * Paths pino censors wherever they appear in a log object. Values are replaced, keys kept,
 * so a reader still sees that a header or field was present.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
  '*.api_key',
  '*.secret',
  '*.phone',
  '*.phoneNumber',
  '*.phone_number',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'api_key',
  'secret',
  'phone',
  'phoneNumber',
  'phone_number',
];

/**
 * JSONL logger with the six labels of seed 001 §3: svc, lvl, ts, id (acting user), repo, trace.
 * The trace labels come from the AsyncLocalStorage context, so a job's lines carry the trace
 * of the request that enqueued it.
 */
export function createLog(options: { svc: string; level: LogLevel; destination?: DestinationStream }): Log {
  return pino(
    {
      level: options.level,
      base: { svc: options.svc },
      messageKey: 'msg',
      timestamp: () => `,"ts":"${new Date().toISOString()}"`,
      formatters: {
        level: (label) => ({ lvl: label }),
      },
      mixin() {
        const trace = currentTrace();
        return { id: trace?.userId ?? null, repo: trace?.repoId ?? null, trace: trace?.traceUuid ?? null };
      },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    options.destination,
  );
}
