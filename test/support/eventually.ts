import { waitFor } from './jobs.js';

/** `waitFor` with the check first and a quicker poll (25 ms), for tests waiting on deliveries. */
export function eventually<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  return waitFor(what, check, { timeoutMs, intervalMs: 25 });
}
