import { describe, expect, it } from 'vitest';
import { backoffDelay, createRateGate, nextAttemptAt, parseRates } from './backoff.js';

describe('backoff', () => {
  const policy = { baseMs: 1000, maxMs: 8000 };

  it('doubles per attempt within ±20 %, up to the cap', () => {
    expect(backoffDelay(policy, 1, () => 0.5)).toBe(1000);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(4000);
    expect(backoffDelay(policy, 10, () => 0.5)).toBe(8000);
    expect(backoffDelay(policy, 2, () => 0)).toBe(1600);
    expect(backoffDelay(policy, 2, () => 0.999)).toBeLessThanOrEqual(2400);
  });

  it("waits for the provider's Retry-After when it is longer", () => {
    const now = new Date(0);
    expect(nextAttemptAt(now, policy, 1, 30_000, () => 0.5).getTime()).toBe(30_000);
    expect(nextAttemptAt(now, policy, 1, 10, () => 0.5).getTime()).toBe(1000);
  });

  it('spreads sends over a second per channel', () => {
    let t = 0;
    const gate = createRateGate(2, () => t);
    expect([gate.take(), gate.take()]).toEqual([0, 0]);
    expect(gate.take()).toBe(500);
    t = 500;
    expect(gate.take()).toBe(0);
  });

  it('parses NOTIFY_RATES and names a bad entry', () => {
    expect(parseRates('slack=1, email=50')).toMatchObject({ slack: 1, email: 50, sms: 10 });
    expect(() => parseRates('pigeon=3')).toThrow(/"pigeon=3"/);
  });
});
