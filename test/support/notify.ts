import type { KeelModule } from '../../src/kernel/module/index.js';
import { allModules } from '../../src/modules.js';
import { createNotifyModule, type NotifyOptions } from '../../src/shared/notify/index.js';

export { eventually } from './eventually.js';

/** Quick retries for tests: a run of failures settles in well under a second. */
export const fastNotify: NotifyOptions = {
  pollMs: 50,
  leaseMs: 3_000,
  attemptTimeoutMs: 2_000,
  backoff: { baseMs: 40, maxMs: 200 },
  maxAttempts: 3,
  flushMs: 5,
};

/** Every module of the build, notify built with `options`. */
export function withNotifyOptions(options: NotifyOptions = fastNotify): KeelModule[] {
  return allModules.map((m) => (m.name === 'notify' ? createNotifyModule(options) : m));
}

/** The worker-kill test: a lease short enough that a dead worker's delivery is retried in seconds. */
export const killTestNotifyOptions: NotifyOptions = {
  ...fastNotify,
  leaseMs: 1_500,
  attemptTimeoutMs: 1_000,
};
