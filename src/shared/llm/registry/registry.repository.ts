import type { SqlConnection } from '../../../kernel/db/index.js';
import type { KeyRow, ModelRow, ProviderRow, RegistrySnapshot, RoutingRule } from './registry.types.js';

export const providerColumns = `id, name, display_name as "displayName", kind, base_url as "baseUrl", status, priority`;
export const keyColumns = `id, provider_id as "providerId", name, key_encrypted as "keyEncrypted", last4, priority,
  monthly_budget_usd::float8 as "monthlyBudgetUsd", current_usage_usd::float8 as "currentUsageUsd",
  usage_month::text as "usageMonth", status, last_used_at as "lastUsedAt"`;
export const modelColumns = `id, provider_id as "providerId", name, display_name as "displayName",
  context_window as "contextWindow", input_price_per_mtok::float8 as "inputPricePerMtok",
  output_price_per_mtok::float8 as "outputPricePerMtok",
  cached_input_price_per_mtok::float8 as "cachedInputPricePerMtok", capabilities,
  embedding_dims as "embeddingDims", available`;
export const ruleColumns = `id, feature, plan_key as "planKey", org_id as "orgId", model_id as "modelId", priority,
  weight, experiment`;

/** Everything the gateway routes by, in four queries. */
export async function readSnapshot(db: SqlConnection): Promise<RegistrySnapshot> {
  const [providers, keys, models, rules] = await Promise.all([
    db.query<ProviderRow>(`select ${providerColumns} from llm.providers`),
    db.query<KeyRow>(`select ${keyColumns} from llm.api_keys order by priority, created_at`),
    db.query<ModelRow>(`select ${modelColumns} from llm.models`),
    db.query<RoutingRule>(`select ${ruleColumns} from llm.routing_rules order by priority, created_at`),
  ]);
  const keysByProvider = new Map<string, KeyRow[]>();
  for (const key of keys)
    keysByProvider.set(key.providerId, [...(keysByProvider.get(key.providerId) ?? []), key]);
  return {
    providers: new Map(providers.map((p) => [p.id, p])),
    keysByProvider,
    models: new Map(models.map((m) => [m.id, m])),
    rules,
  };
}
