import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import type { LlmServices } from '../llm.context.js';
import type { KeyView } from './registry.service.js';
import type { ModelRow, ProviderRow, RoutingRule } from './registry.types.js';

const admin = { action: 'llm.admin' };
const idParams = z.object({ id: z.uuid() });
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'must be a lowercase slug such as openai or ollama-lab');
const displayName = z.string().trim().min(1).max(100);
const money = z.number().min(0).max(1_000_000);
const baseUrl = z.url({ protocol: /^https?$/ }).max(500);
const kind = z.enum(['openai', 'anthropic', 'groq', 'openai-compatible']);
const capability = z.enum(['chat', 'tools', 'json', 'embeddings']);

const providerSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  display_name: z.string(),
  kind: z.enum(['openai', 'anthropic', 'groq', 'openai-compatible', 'offline']),
  base_url: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  priority: z.number().int(),
  circuit: z.enum(['closed', 'open', 'half-open']),
});
const keySchema = z.object({
  id: z.uuid(),
  provider_id: z.uuid(),
  name: z.string(),
  last4: z.string().describe('The only part of a key ever shown'),
  priority: z.number().int(),
  monthly_budget_usd: z.number().nullable(),
  current_usage_usd: z.number(),
  usage_month: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  last_used_at: z.iso.datetime().nullable(),
});
const modelSchema = z.object({
  id: z.uuid(),
  provider_id: z.uuid(),
  name: z.string(),
  display_name: z.string(),
  context_window: z.number().int().nullable(),
  input_price_per_mtok: z.number(),
  output_price_per_mtok: z.number(),
  cached_input_price_per_mtok: z.number().nullable(),
  capabilities: z.array(capability),
  embedding_dims: z.number().int().nullable(),
  available: z.boolean(),
});
const ruleSchema = z.object({
  id: z.uuid(),
  feature: z.string(),
  plan_key: z.string().nullable(),
  org_id: z.uuid().nullable(),
  model_id: z.uuid(),
  priority: z.number().int(),
  weight: z.number().int(),
  experiment: z.string().nullable(),
});

/** `/llm/providers`, `/llm/keys`, `/llm/models`, `/llm/routing-rules`, `/llm/budgets`: admins only. */
export function registryRoutes(services: LlmServices): FastifyPluginAsyncZod {
  const { registry, breakers, ctx } = services;
  const providerDto = (p: ProviderRow) => ({
    id: p.id,
    name: p.name,
    display_name: p.displayName,
    kind: p.kind,
    base_url: p.baseUrl,
    status: p.status,
    priority: p.priority,
    circuit: breakers.state(p.id),
  });
  const keyDto = (k: KeyView) => ({
    id: k.id,
    provider_id: k.providerId,
    name: k.name,
    last4: k.last4,
    priority: k.priority,
    monthly_budget_usd: k.monthlyBudgetUsd,
    current_usage_usd: k.currentUsageUsd,
    usage_month: k.usageMonth,
    status: k.status,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
  });
  const modelDto = (m: ModelRow) => ({
    id: m.id,
    provider_id: m.providerId,
    name: m.name,
    display_name: m.displayName,
    context_window: m.contextWindow,
    input_price_per_mtok: m.inputPricePerMtok,
    output_price_per_mtok: m.outputPricePerMtok,
    cached_input_price_per_mtok: m.cachedInputPricePerMtok,
    capabilities: m.capabilities,
    embedding_dims: m.embeddingDims,
    available: m.available,
  });
  const ruleDto = (r: RoutingRule) => ({
    id: r.id,
    feature: r.feature,
    plan_key: r.planKey,
    org_id: r.orgId,
    model_id: r.modelId,
    priority: r.priority,
    weight: r.weight,
    experiment: r.experiment,
  });

  return async function registryPlugin(app) {
    app.get(
      '/providers',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Providers, with their circuit state',
          response: { 200: z.object({ items: z.array(providerSchema) }) },
        },
      },
      async () => ({ items: (await registry.providers()).map(providerDto) }),
    );
    app.post(
      '/providers',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Add a provider (OpenAI, Anthropic, Groq or any OpenAI-compatible server)',
          body: z
            .object({
              name: slug,
              display_name: displayName,
              kind,
              base_url: baseUrl.optional(),
              priority: z.number().int().min(0).max(10_000).default(100),
            })
            .strict(),
          response: { 201: providerSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        if (b.kind === 'openai-compatible' && !b.base_url)
          throw new KeelError('validation_failed', 'An OpenAI-compatible provider needs its base URL.', {
            details: { errors: [{ field: 'body.base_url', message: 'is required for openai-compatible' }] },
          });
        const created = await registry.createProvider({
          name: b.name,
          displayName: b.display_name,
          kind: b.kind,
          baseUrl: b.base_url ?? null,
          priority: b.priority,
        });
        return reply.code(201).send(providerDto(created));
      },
    );
    app.patch(
      '/providers/:id',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Change a provider (status, priority, base URL, name shown)',
          params: idParams,
          body: z
            .object({
              display_name: displayName,
              base_url: baseUrl.nullable(),
              priority: z.number().int().min(0).max(10_000),
              status: z.enum(['active', 'inactive']),
            })
            .partial()
            .strict(),
          response: { 200: providerSchema },
        },
      },
      async (request) => {
        const b = request.body;
        return providerDto(
          await registry.updateProvider(request.params.id, {
            displayName: b.display_name,
            baseUrl: b.base_url,
            priority: b.priority,
            status: b.status,
          }),
        );
      },
    );
    app.delete(
      '/providers/:id',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Remove a provider with its keys and models',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await registry.deleteProvider(request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/providers/:id/keys',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: "A provider's keys (last four characters only)",
          params: idParams,
          response: { 200: z.object({ items: z.array(keySchema) }) },
        },
      },
      async (request) => ({ items: (await registry.keys(request.params.id)).map(keyDto) }),
    );
    app.post(
      '/providers/:id/keys',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Add a key (stored encrypted; never shown again)',
          params: idParams,
          body: z
            .object({
              name: displayName,
              key: z.string().min(8).max(500).regex(/^\S+$/, 'must not contain spaces'),
              priority: z.number().int().min(0).max(10_000).default(100),
              monthly_budget_usd: money.nullable().default(null),
            })
            .strict(),
          response: { 201: keySchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const created = await registry.addKey(request.params.id, {
          name: b.name,
          key: b.key,
          priority: b.priority,
          monthlyBudgetUsd: b.monthly_budget_usd,
        });
        return reply.code(201).send(keyDto(created));
      },
    );
    app.patch(
      '/keys/:id',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: "Change a key's status, priority or monthly budget",
          params: idParams,
          body: z
            .object({
              status: z.enum(['active', 'inactive']),
              priority: z.number().int().min(0).max(10_000),
              monthly_budget_usd: money.nullable(),
            })
            .partial()
            .strict(),
          response: { 200: keySchema },
        },
      },
      async (request) => {
        const b = request.body;
        return keyDto(
          await registry.updateKey(request.params.id, {
            status: b.status,
            priority: b.priority,
            monthlyBudgetUsd: b.monthly_budget_usd,
          }),
        );
      },
    );
    app.delete(
      '/keys/:id',
      {
        config: admin,
        schema: { tags: ['llm'], summary: 'Remove a key', params: idParams, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await registry.deleteKey(request.params.id);
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/keys/:id/test',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Test a key with a one-token call to its first chat model',
          params: idParams,
          response: {
            200: z.object({
              ok: z.boolean(),
              model: z.string().nullable(),
              latency_ms: z.number(),
              error: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const key = await registry.key(request.params.id);
        const model = (await registry.models()).find(
          (m) => m.providerId === key.providerId && m.capabilities.includes('chat'),
        );
        if (!model)
          return {
            ok: false,
            model: null,
            latency_ms: 0,
            error: 'the provider has no chat model registered',
          };
        const started = performance.now();
        try {
          await services.testKey(key, model);
          return {
            ok: true,
            model: model.name,
            latency_ms: Math.round(performance.now() - started),
            error: null,
          };
        } catch (error) {
          return {
            ok: false,
            model: model.name,
            latency_ms: Math.round(performance.now() - started),
            error: error instanceof Error ? error.message.slice(0, 300) : String(error),
          };
        }
      },
    );

    app.get(
      '/models',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Models',
          response: { 200: z.object({ items: z.array(modelSchema) }) },
        },
      },
      async () => ({ items: (await registry.models()).map(modelDto) }),
    );
    app.post(
      '/models',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Register a model of a provider, with its prices per million tokens',
          body: z
            .object({
              provider_id: z.uuid(),
              name: z.string().trim().min(1).max(100),
              display_name: displayName,
              context_window: z.number().int().min(1).max(10_000_000).nullable().default(null),
              input_price_per_mtok: money.default(0),
              output_price_per_mtok: money.default(0),
              cached_input_price_per_mtok: money.nullable().default(null),
              capabilities: z.array(capability).min(1).max(4),
              embedding_dims: z.number().int().min(1).max(16_384).nullable().default(null),
            })
            .strict(),
          response: { 201: modelSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const created = await registry.createModel({
          providerId: b.provider_id,
          name: b.name,
          displayName: b.display_name,
          contextWindow: b.context_window,
          inputPricePerMtok: b.input_price_per_mtok,
          outputPricePerMtok: b.output_price_per_mtok,
          cachedInputPricePerMtok: b.cached_input_price_per_mtok,
          capabilities: [...new Set(b.capabilities)],
          embeddingDims: b.embedding_dims,
        });
        return reply.code(201).send(modelDto(created));
      },
    );
    app.patch(
      '/models/:id',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Change a model (prices, availability, capabilities)',
          params: idParams,
          body: z
            .object({
              display_name: displayName,
              input_price_per_mtok: money,
              output_price_per_mtok: money,
              available: z.boolean(),
              capabilities: z.array(capability).min(1).max(4),
            })
            .partial()
            .strict(),
          response: { 200: modelSchema },
        },
      },
      async (request) => {
        const b = request.body;
        return modelDto(
          await registry.updateModel(request.params.id, {
            displayName: b.display_name,
            inputPricePerMtok: b.input_price_per_mtok,
            outputPricePerMtok: b.output_price_per_mtok,
            available: b.available,
            capabilities: b.capabilities,
          }),
        );
      },
    );
    app.delete(
      '/models/:id',
      {
        config: admin,
        schema: { tags: ['llm'], summary: 'Remove a model', params: idParams, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await registry.deleteModel(request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/routing-rules',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Which model serves which feature, per org, plan or by default',
          response: { 200: z.object({ items: z.array(ruleSchema) }) },
        },
      },
      async () => ({ items: (await registry.rules()).map(ruleDto) }),
    );
    app.post(
      '/routing-rules',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Route a feature (or every feature: *) to a model for an org, a plan, or everyone',
          description: 'Rules with the same scope and priority are A/B arms, split by weight.',
          body: z
            .object({
              feature: z
                .string()
                .regex(/^(\*|[a-z][a-z0-9_.-]{0,99})$/, 'must be * or a feature name such as chat.reply'),
              plan_key: z
                .string()
                .regex(/^[a-z][a-z0-9_]{0,31}$/)
                .nullable()
                .default(null),
              org_id: z.uuid().nullable().default(null),
              model_id: z.uuid(),
              priority: z.number().int().min(0).max(10_000).default(100),
              weight: z.number().int().min(1).max(10_000).default(100),
              experiment: z.string().trim().min(1).max(100).nullable().default(null),
            })
            .strict()
            .refine((b) => b.plan_key === null || b.org_id === null, {
              message: 'a rule is for an org or a plan, not both',
              path: ['org_id'],
            }),
          response: { 201: ruleSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const created = await registry.createRule({
          feature: b.feature,
          planKey: b.plan_key,
          orgId: b.org_id,
          modelId: b.model_id,
          priority: b.priority,
          weight: b.weight,
          experiment: b.experiment,
        });
        return reply.code(201).send(ruleDto(created));
      },
    );
    app.delete(
      '/routing-rules/:id',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: 'Remove a routing rule',
          params: idParams,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await registry.deleteRule(request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/budgets/:kind/:id',
      {
        config: admin,
        schema: {
          tags: ['llm'],
          summary: "Set an org's or user's monthly LLM budget (and whether prompts may be stored)",
          params: z.object({ kind: z.enum(['org', 'user']), id: z.uuid() }),
          body: z
            .object({
              monthly_limit_usd: money,
              alert_threshold_usd: money.nullable().default(null),
              store_prompts: z.boolean().default(false),
            })
            .strict(),
          response: {
            200: z.object({
              kind: z.enum(['org', 'user']),
              id: z.uuid(),
              monthly_limit_usd: z.number(),
              alert_threshold_usd: z.number().nullable(),
              store_prompts: z.boolean(),
              month: z.string(),
              spent_usd: z.number(),
              reserved_usd: z.number(),
            }),
          },
        },
      },
      async (request) => {
        const { kind: subjectKind, id } = request.params;
        const b = request.body;
        const [row] = await ctx.db.query<{ month: string; spent: number; reserved: number }>(
          `insert into llm.budgets (subject_kind, subject_id, monthly_limit_usd, alert_threshold_usd, store_prompts, month)
           values ($1, $2, $3, $4, $5, date_trunc('month', now())::date)
           on conflict (subject_kind, subject_id) do update set monthly_limit_usd = excluded.monthly_limit_usd,
             alert_threshold_usd = excluded.alert_threshold_usd, store_prompts = excluded.store_prompts, updated_at = now()
           returning month::text as month, spent_usd::float8 as spent, reserved_usd::float8 as reserved`,
          [subjectKind, id, b.monthly_limit_usd, b.alert_threshold_usd, b.store_prompts],
        );
        return {
          kind: subjectKind,
          id,
          monthly_limit_usd: b.monthly_limit_usd,
          alert_threshold_usd: b.alert_threshold_usd,
          store_prompts: b.store_prompts,
          month: row?.month ?? '',
          spent_usd: row?.spent ?? 0,
          reserved_usd: row?.reserved ?? 0,
        };
      },
    );
  };
}
