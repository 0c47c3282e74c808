import type { ChannelKind } from '../channels/channel.types.js';

export interface BackoffPolicy {
  /** Delay before the second attempt; doubled for each one after. */
  baseMs: number;
  maxMs: number;
}

/** Exponential backoff with ±20 % jitter, so deliveries that failed together do not retry together. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random = Math.random): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** When to try again: the backoff, or later when the provider asked for it (Retry-After). */
export function nextAttemptAt(
  now: Date,
  policy: BackoffPolicy,
  attempt: number,
  retryAfterMs?: number,
  random?: () => number,
): Date {
  const delay = Math.max(backoffDelay(policy, attempt, random), retryAfterMs ?? 0);
  return new Date(now.getTime() + delay);
}

/**
 * Sends per second per channel in one process: the providers' own limits are per account (Slack
 * about 1 message per second per channel, SMS gateways a few per second), so a burst of ten
 * thousand must be spread out rather than answered with 429s.
 */
export const defaultRatesPerSecond: Record<ChannelKind, number> = {
  slack: 20,
  email: 20,
  sms: 10,
  kakao: 20,
  webhook: 1000,
  webpush: 200,
  inapp: 5000,
};

/** A token bucket holding one second of sends. */
export interface RateGate {
  /** 0 when a send may go now (and takes its token), else the milliseconds until one may. */
  take(): number;
}

export function createRateGate(perSecond: number, now = () => performance.now()): RateGate {
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let last = now();
  return {
    take() {
      const at = now();
      tokens = Math.min(capacity, tokens + ((at - last) / 1000) * perSecond);
      last = at;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil(((1 - tokens) / perSecond) * 1000);
    },
  };
}

/** `slack=5,email=50` → rates over the defaults; throws naming a bad entry. */
export function parseRates(value: string | undefined): Record<ChannelKind, number> {
  const rates = { ...defaultRatesPerSecond };
  if (!value) return rates;
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [kind, rate] = entry.split('=');
    const n = Number(rate);
    if (!kind || !(kind in rates) || !Number.isFinite(n) || n <= 0) {
      throw new Error(
        `NOTIFY_RATES: "${entry}" is not <channel>=<sends per second> (channels: ${Object.keys(rates).join(', ')})`,
      );
    }
    rates[kind as ChannelKind] = n;
  }
  return rates;
}
