/**
 * A circuit breaker per provider: after `threshold` failures in a row the circuit opens and the
 * provider is skipped for `openMs`; then one call may try it (half-open): success closes the
 * circuit, failure opens it again.
 */
export interface Breakers {
  isOpen(providerId: string): boolean;
  success(providerId: string): void;
  failure(providerId: string): void;
  state(providerId: string): 'closed' | 'open' | 'half-open';
}

export function createBreakers(
  options: { threshold?: number; openMs?: number; now?: () => number } = {},
): Breakers {
  const threshold = options.threshold ?? 5;
  const openMs = options.openMs ?? 30_000;
  const now = options.now ?? Date.now;
  const circuits = new Map<string, { failures: number; openedAt: number | null; trial: boolean }>();
  const circuit = (id: string) => {
    let c = circuits.get(id);
    if (!c) {
      c = { failures: 0, openedAt: null, trial: false };
      circuits.set(id, c);
    }
    return c;
  };
  return {
    isOpen(id) {
      const c = circuits.get(id);
      if (!c || c.openedAt === null) return false;
      if (now() - c.openedAt < openMs) return true;
      // Half-open: let exactly one call through until it reports.
      if (c.trial) return true;
      c.trial = true;
      return false;
    },
    success(id) {
      circuits.set(id, { failures: 0, openedAt: null, trial: false });
    },
    failure(id) {
      const c = circuit(id);
      c.failures += 1;
      c.trial = false;
      if (c.openedAt !== null || c.failures >= threshold) c.openedAt = now();
    },
    state(id) {
      const c = circuits.get(id);
      if (!c || c.openedAt === null) return 'closed';
      return now() - c.openedAt < openMs ? 'open' : 'half-open';
    },
  };
}
