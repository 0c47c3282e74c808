import { createHash } from 'node:crypto';
import type {
  Capability,
  KeyRow,
  ModelRow,
  ProviderRow,
  RegistrySnapshot,
  RoutingRule,
} from '../registry/registry.types.js';

/** One way to serve a call: a model of a provider, through one of its keys (none for offline). */
export interface Candidate {
  provider: ProviderRow;
  model: ModelRow;
  key: KeyRow | null;
  /** The routing rule that chose the model (its experiment, for A/B reports). */
  rule: RoutingRule;
}

export interface RouteRequest {
  feature: string;
  orgId: string | null;
  planKey: string | null;
  capability: Capability;
  /** Splits A/B traffic deterministically: the same request id always lands on the same arm. */
  requestId: string;
  /** `YYYY-MM`-`01` of now: keys' usage of an older month counts as zero. */
  month: string;
  /** Providers whose circuit is open right now. */
  isOpen?: (providerId: string) => boolean;
}

/**
 * The candidates for a call, best first (seed 004's provider priority; the issue's routing):
 * rules of the caller's org beat rules of its plan, which beat the defaults; a rule naming the
 * feature beats `*`; then rule priority. Rules tied on all of that are A/B arms, ordered by a
 * weighted draw seeded with the request id. Each model expands into its provider's usable keys:
 * active, and under their monthly budget. Inactive providers, unavailable models, models without
 * the capability and open circuits are skipped.
 */
export function candidatesFor(snapshot: RegistrySnapshot, request: RouteRequest): Candidate[] {
  const scopeOf = (rule: RoutingRule) =>
    rule.orgId !== null
      ? rule.orgId === request.orgId
        ? 0
        : -1
      : rule.planKey !== null
        ? rule.planKey === request.planKey
          ? 1
          : -1
        : 2;
  const matching = snapshot.rules
    .filter((rule) => (rule.feature === request.feature || rule.feature === '*') && scopeOf(rule) >= 0)
    .map((rule) => ({ rule, scope: scopeOf(rule), generic: rule.feature === '*' ? 1 : 0 }));
  matching.sort((a, b) => a.scope - b.scope || a.generic - b.generic || a.rule.priority - b.rule.priority);

  const ordered: RoutingRule[] = [];
  for (let i = 0; i < matching.length; ) {
    let j = i;
    const head = matching[i] as (typeof matching)[number];
    while (
      j < matching.length &&
      matching[j]?.scope === head.scope &&
      matching[j]?.generic === head.generic &&
      matching[j]?.rule.priority === head.rule.priority
    )
      j++;
    ordered.push(
      ...weightedOrder(
        matching.slice(i, j).map((m) => m.rule),
        request.requestId,
      ),
    );
    i = j;
  }

  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const rule of ordered) {
    const model = snapshot.models.get(rule.modelId);
    if (!model || seen.has(model.id) || !model.available || !model.capabilities.includes(request.capability))
      continue;
    seen.add(model.id);
    const provider = snapshot.providers.get(model.providerId);
    if (provider?.status !== 'active' || request.isOpen?.(provider.id)) continue;
    if (provider.kind === 'offline') {
      candidates.push({ provider, model, key: null, rule });
      continue;
    }
    for (const key of snapshot.keysByProvider.get(provider.id) ?? []) {
      if (key.status !== 'active' || overBudget(key, request.month)) continue;
      candidates.push({ provider, model, key, rule });
    }
  }
  return candidates;
}

export function overBudget(key: KeyRow, month: string): boolean {
  if (key.monthlyBudgetUsd === null) return false;
  const spent = key.usageMonth === month ? key.currentUsageUsd : 0;
  return spent >= key.monthlyBudgetUsd;
}

/** Weighted random order without replacement, seeded by `seed` (stable per request). */
function weightedOrder(rules: RoutingRule[], seed: string): RoutingRule[] {
  if (rules.length < 2) return rules;
  const remaining = [...rules];
  const out: RoutingRule[] = [];
  let round = 0;
  while (remaining.length > 0) {
    const total = remaining.reduce((sum, r) => sum + r.weight, 0);
    const digest = createHash('sha256').update(`${seed}:${round++}`).digest();
    let point = (digest.readUInt32BE(0) / 0x1_0000_0000) * total;
    let index = 0;
    for (; index < remaining.length - 1; index++) {
      point -= (remaining[index] as RoutingRule).weight;
      if (point < 0) break;
    }
    out.push(...remaining.splice(index, 1));
  }
  return out;
}
