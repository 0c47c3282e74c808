/** The registry as the gateway reads it: one snapshot, refreshed on change. */

export type ProviderKind = 'openai' | 'anthropic' | 'groq' | 'openai-compatible' | 'offline';
export type Capability = 'chat' | 'tools' | 'json' | 'embeddings';

export interface ProviderRow {
  id: string;
  name: string;
  displayName: string;
  kind: ProviderKind;
  baseUrl: string | null;
  status: 'active' | 'inactive';
  priority: number;
}

export interface KeyRow {
  id: string;
  providerId: string;
  name: string;
  keyEncrypted: string;
  last4: string;
  priority: number;
  monthlyBudgetUsd: number | null;
  currentUsageUsd: number;
  usageMonth: string | null;
  status: 'active' | 'inactive';
  lastUsedAt: Date | null;
}

export interface ModelRow {
  id: string;
  providerId: string;
  name: string;
  displayName: string;
  contextWindow: number | null;
  inputPricePerMtok: number;
  outputPricePerMtok: number;
  cachedInputPricePerMtok: number | null;
  capabilities: Capability[];
  embeddingDims: number | null;
  available: boolean;
}

export interface RoutingRule {
  id: string;
  feature: string;
  planKey: string | null;
  orgId: string | null;
  modelId: string;
  priority: number;
  weight: number;
  experiment: string | null;
}

export interface RegistrySnapshot {
  providers: Map<string, ProviderRow>;
  keysByProvider: Map<string, KeyRow[]>;
  models: Map<string, ModelRow>;
  rules: RoutingRule[];
}
