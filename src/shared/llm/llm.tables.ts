import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, updatedAtColumn } from '../../kernel/db/columns.js';

/**
 * The LLM gateway's registry and meter (seeds 000 `02_llm`, 004 `llm_providers`, `llm_api_keys`,
 * `llm_models`, `llm_conversations_log`, `llm_daily_usage`; 001 §3 `@track_tokens`).
 */
export const llmSchema = pgSchema('llm');

const created = createdAtColumn;
const updated = updatedAtColumn;
const usd = (name: string) => numeric(name, { precision: 14, scale: 6 });

export const providers = llmSchema.table(
  'providers',
  {
    id: uuid('id').primaryKey(),
    /** A slug: `openai`, `anthropic`, `groq`, `ollama-lab`, `keel-offline`. */
    name: varchar('name', { length: 50 }).notNull(),
    displayName: varchar('display_name', { length: 100 }).notNull(),
    /** openai | anthropic | groq | openai-compatible | offline: which SDK client speaks to it. */
    kind: varchar('kind', { length: 32 }).notNull(),
    baseUrl: varchar('base_url', { length: 500 }),
    /** active | inactive */
    status: varchar('status', { length: 16 }).notNull().default('active'),
    /** Lower first: the order fallbacks try providers in. */
    priority: integer('priority').notNull().default(100),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('providers_name_key').on(t.name),
    check('providers_status_check', sql`${t.status} in ('active', 'inactive')`),
    check(
      'providers_kind_check',
      sql`${t.kind} in ('openai', 'anthropic', 'groq', 'openai-compatible', 'offline')`,
    ),
  ],
);

export const apiKeys = llmSchema.table(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 100 }).notNull(),
    /** kv1 ciphertext of the vendor key (AAD: the row id); only `last4` is ever shown. */
    keyEncrypted: text('key_encrypted').notNull(),
    last4: varchar('last4', { length: 4 }).notNull(),
    /** Lower first among a provider's keys. */
    priority: integer('priority').notNull().default(100),
    monthlyBudgetUsd: usd('monthly_budget_usd'),
    /** Spent in `usage_month` (reset when a call lands in a new month). */
    currentUsageUsd: usd('current_usage_usd').notNull().default('0'),
    usageMonth: date('usage_month', { mode: 'string' }),
    /** active | inactive */
    status: varchar('status', { length: 16 }).notNull().default('active'),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    index('api_keys_provider_idx').on(t.providerId, t.priority),
    check('api_keys_status_check', sql`${t.status} in ('active', 'inactive')`),
  ],
);

export const models = llmSchema.table(
  'models',
  {
    id: uuid('id').primaryKey(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => providers.id, { onDelete: 'cascade' }),
    /** The vendor's model id (`gpt-4o-mini`, `claude-3-5-haiku-latest`). */
    name: varchar('name', { length: 100 }).notNull(),
    displayName: varchar('display_name', { length: 100 }).notNull(),
    contextWindow: integer('context_window'),
    /** USD per million tokens. */
    inputPricePerMtok: usd('input_price_per_mtok').notNull().default('0'),
    outputPricePerMtok: usd('output_price_per_mtok').notNull().default('0'),
    /** Cached input tokens, when the vendor prices them apart; null: as ordinary input. */
    cachedInputPricePerMtok: usd('cached_input_price_per_mtok'),
    /** chat | tools | json | embeddings */
    capabilities: text('capabilities').array().notNull(),
    /** For embedding models: the vector size. */
    embeddingDims: integer('embedding_dims'),
    available: boolean('available').notNull().default(true),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [uniqueIndex('models_provider_name_key').on(t.providerId, t.name)],
);

/**
 * Which model serves a feature: per org, else per plan, else the default (`plan_key` and
 * `org_id` null). Rules of the same scope are tried by priority (fallback order); rules with
 * the same priority split traffic by weight (an A/B test, named by `experiment`).
 */
export const routingRules = llmSchema.table(
  'routing_rules',
  {
    id: uuid('id').primaryKey(),
    /** A feature name (`commits.draft`) or `*` for every feature. */
    feature: varchar('feature', { length: 100 }).notNull(),
    planKey: varchar('plan_key', { length: 32 }),
    orgId: uuid('org_id'),
    modelId: uuid('model_id')
      .notNull()
      .references(() => models.id, { onDelete: 'cascade' }),
    priority: integer('priority').notNull().default(100),
    weight: integer('weight').notNull().default(100),
    experiment: varchar('experiment', { length: 100 }),
    createdAt: created(),
  },
  (t) => [
    index('routing_rules_feature_idx').on(t.feature),
    check('routing_rules_weight_check', sql`${t.weight} > 0`),
    check('routing_rules_scope_check', sql`num_nonnulls(${t.planKey}, ${t.orgId}) <= 1`),
  ],
);

/**
 * Monthly spending limits per org or user: reserved before a call (by the worst case the call
 * can cost), settled after it, so concurrent calls can never overspend.
 */
export const budgets = llmSchema.table(
  'budgets',
  {
    /** org | user */
    subjectKind: varchar('subject_kind', { length: 8 }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    monthlyLimitUsd: usd('monthly_limit_usd').notNull(),
    /** A cost alert is sent once a month when spending passes this. */
    alertThresholdUsd: usd('alert_threshold_usd'),
    /** Store prompt and response text in the request log (else only a hash and token counts). */
    storePrompts: boolean('store_prompts').notNull().default(false),
    month: date('month', { mode: 'string' }).notNull(),
    /** Settled spending of `month`. */
    spentUsd: usd('spent_usd').notNull().default('0'),
    /** Held by calls in flight. */
    reservedUsd: usd('reserved_usd').notNull().default('0'),
    alertedMonth: date('alerted_month', { mode: 'string' }),
    updatedAt: updated(),
  },
  (t) => [
    primaryKey({ columns: [t.subjectKind, t.subjectId] }),
    check('budgets_kind_check', sql`${t.subjectKind} in ('org', 'user')`),
    check('budgets_amounts_check', sql`${t.spentUsd} >= 0 and ${t.reservedUsd} >= 0`),
  ],
);

/** One row per attempt of every model call (`@track_tokens`). */
export const requests = llmSchema.table(
  'requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** One gateway call; its attempts (fallbacks, retries) share it. */
    requestId: uuid('request_id').notNull(),
    attempt: integer('attempt').notNull().default(1),
    traceUuid: uuid('trace_uuid'),
    userId: uuid('user_id'),
    orgId: uuid('org_id'),
    feature: varchar('feature', { length: 100 }).notNull(),
    /** generate | stream | embed */
    operation: varchar('operation', { length: 16 }).notNull(),
    provider: varchar('provider', { length: 50 }).notNull(),
    model: varchar('model', { length: 100 }).notNull(),
    keyId: uuid('key_id'),
    /** ok | error | cancelled */
    status: varchar('status', { length: 16 }).notNull(),
    error: text('error'),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    cachedTokens: integer('cached_tokens').notNull().default(0),
    /** provider | counted: where the token counts came from. */
    tokenSource: varchar('token_source', { length: 16 }).notNull().default('provider'),
    durationMs: integer('duration_ms').notNull(),
    firstTokenMs: integer('first_token_ms'),
    costUsd: usd('cost_usd').notNull().default('0'),
    cacheHit: boolean('cache_hit').notNull().default(false),
    /** On a semantic-cache hit: what the cached answer cost when it was made (the saving). */
    savedUsd: usd('saved_usd').notNull().default('0'),
    /** The A/B experiment of the routing rule that chose the model, if any. */
    experiment: varchar('experiment', { length: 100 }),
    /** sha256 of the prompt; the text only when the org allows storing it. */
    promptHash: varchar('prompt_hash', { length: 64 }),
    promptText: text('prompt_text'),
    responseText: text('response_text'),
    createdAt: created(),
  },
  (t) => [
    index('requests_created_idx').on(t.createdAt),
    index('requests_org_idx').on(t.orgId, t.createdAt),
    index('requests_user_idx').on(t.userId, t.createdAt),
    index('requests_request_idx').on(t.requestId),
  ],
);

/** Seed 004 `llm_daily_usage`, rolled up by a job from `requests`. */
export const dailyUsage = llmSchema.table(
  'daily_usage',
  {
    usageDate: date('usage_date', { mode: 'string' }).notNull(),
    provider: varchar('provider', { length: 50 }).notNull(),
    model: varchar('model', { length: 100 }).notNull(),
    totalRequests: integer('total_requests').notNull().default(0),
    failedRequests: integer('failed_requests').notNull().default(0),
    cacheHits: integer('cache_hits').notNull().default(0),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    totalTokens: integer('total_tokens').notNull().default(0),
    estimatedCostUsd: usd('estimated_cost_usd').notNull().default('0'),
    updatedAt: updated(),
  },
  (t) => [primaryKey({ columns: [t.usageDate, t.provider, t.model] })],
);

/** Embeddings by content hash (seed 001 §8: never embed the same text twice). */
export const embeddingCache = llmSchema.table(
  'embedding_cache',
  {
    /** sha256 of the text. */
    contentHash: varchar('content_hash', { length: 64 }).notNull(),
    /** text | code */
    space: varchar('space', { length: 8 }).notNull(),
    /** `provider/model` that made it: vectors of different models are not comparable. */
    model: varchar('model', { length: 160 }).notNull(),
    dims: integer('dims').notNull(),
    /** Base64 of the little-endian float32 values: compact, fast to (de)serialize, and portable
     * to servers without pgvector (this cache is found by hash, never searched by distance). */
    vector: text('vector').notNull(),
    createdAt: created(),
  },
  (t) => [primaryKey({ columns: [t.contentHash, t.space, t.model] })],
);
