import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../kernel/errors/index.js';
import type { Principal } from '../../kernel/http/index.js';
import type { LlmCaller, LlmRequest, LlmStreamEvent } from './gateway/gateway.js';
import type { LlmServices } from './llm.context.js';
import { registryRoutes } from './registry/registry.routes.js';
import { usageRoutes } from './reports/usage.routes.js';

/** Free text sizes: a prompt can be long, never unbounded. */
const maxPromptChars = 200_000;

const messageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string().min(1).max(maxPromptChars),
});

const callBody = z
  .object({
    feature: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'must be a feature name such as chat.reply')
      .default('api.generate'),
    system: z.string().max(maxPromptChars).optional(),
    prompt: z.string().min(1).max(maxPromptChars).optional(),
    messages: z.array(messageSchema).min(1).max(200).optional(),
    max_output_tokens: z.number().int().min(1).max(100_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    timeout_ms: z.number().int().min(100).max(600_000).optional(),
    cache: z
      .boolean()
      .default(false)
      .describe(
        'Reuse the answer to a close-enough earlier prompt of this feature and tenant (semantic cache)',
      ),
  })
  .strict()
  .refine((body) => (body.prompt === undefined) !== (body.messages === undefined), {
    message: 'give either prompt or messages',
    path: ['prompt'],
  });

const usageSchema = z.object({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cached_input_tokens: z.number().int(),
});

export const llmActionCodes = {
  use: 'llm.use',
  admin: 'llm.admin',
  usage: 'llm.usage.read',
} as const;

/** `/llm`: calling models, the provider registry (admins) and usage reports. */
export function llmRoutes(services: LlmServices): FastifyPluginAsyncZod {
  const { gateway } = services;
  return async function llmPlugin(app) {
    app.addHook('onClose', () => services.meter.flush());
    app.post(
      '/generate',
      {
        config: { action: llmActionCodes.use },
        schema: {
          tags: ['llm'],
          summary: 'Call a model through the gateway (routing, budgets, retries, fallback, metering)',
          body: callBody,
          response: {
            200: z.object({
              request_id: z.uuid(),
              text: z.string(),
              provider: z.string(),
              model: z.string(),
              offline: z.boolean().describe("True when Keel's offline provider answered (no neural model)"),
              cached: z.boolean().describe('True when the answer came from the semantic cache'),
              usage: usageSchema,
              cost_usd: z.number(),
              attempts: z.number().int(),
            }),
          },
        },
      },
      async (request) => {
        const result = await gateway.generate(await callOf(request, request.body));
        return {
          request_id: result.requestId,
          text: result.text,
          provider: result.provider,
          model: result.model,
          offline: result.offline,
          cached: result.cached,
          usage: usageDto(result.usage),
          cost_usd: result.costUsd,
          attempts: result.attempts,
        };
      },
    );

    app.post(
      '/stream',
      {
        config: { action: llmActionCodes.use },
        schema: {
          tags: ['llm'],
          summary: 'Stream a model answer as server-sent events (start, text, finish | error)',
          description:
            'A provider that fails before its first token falls over to the next; one that fails mid-stream ends the stream with an `error` event carrying the tokens seen.',
          body: callBody,
        },
      },
      async (request, reply) => {
        const call = await callOf(request, request.body);
        const abort = new AbortController();
        request.raw.on('close', () => abort.abort());
        const events = gateway.stream({ ...call, signal: abort.signal });
        // Budget and routing errors surface before any byte is sent, as ordinary problems.
        const iterator = events[Symbol.asyncIterator]();
        const first = await iterator.next();
        reply.hijack();
        reply.raw.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          'x-accel-buffering': 'no',
        });
        const send = (event: LlmStreamEvent) => {
          reply.raw.write(`event: ${event.type}\ndata: ${JSON.stringify(eventDto(event))}\n\n`);
        };
        try {
          if (!first.done) send(first.value);
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) send(next.value);
        } catch (error) {
          const message = error instanceof KeelError ? error.message : 'The stream failed.';
          if (!(error instanceof KeelError)) request.log.error({ err: error }, 'LLM stream failed');
          reply.raw.write(`event: error\ndata: ${JSON.stringify({ message })}\n\n`);
        }
        reply.raw.end();
      },
    );

    app.post(
      '/embed',
      {
        config: { action: llmActionCodes.use },
        schema: {
          tags: ['llm'],
          summary: 'Embed texts in the text (1536) or code (512) space, cached by content hash',
          body: z
            .object({
              space: z.enum(['text', 'code']).default('text'),
              texts: z.array(z.string().min(1).max(100_000)).min(1).max(512),
            })
            .strict(),
          response: {
            200: z.object({
              request_id: z.uuid(),
              model: z.string(),
              dims: z.number().int(),
              cached: z.number().int(),
              offline: z.boolean(),
              vectors: z.array(z.array(z.number())),
            }),
          },
        },
      },
      async (request) => {
        const result = await services.embed({
          texts: request.body.texts,
          space: request.body.space,
          caller: await callerOf(request),
        });
        return {
          request_id: result.requestId,
          model: result.model,
          dims: result.dims,
          cached: result.cached,
          offline: result.offline,
          vectors: result.vectors.map((v) => Array.from(v)),
        };
      },
    );

    await app.register(registryRoutes(services));
    await app.register(usageRoutes(services));
  };
}

/** LLM features that count against a plan quota (seed 001 §6): the feature's plan counter. */
const planQuotas: Record<string, 'commits' | 'describes'> = {
  'commits.draft': 'commits',
  'commits.describe': 'describes',
};

async function callOf(request: FastifyRequest, body: z.infer<typeof callBody>): Promise<LlmRequest> {
  const caller = await callerOf(request);
  const quotaFeature = planQuotas[body.feature];
  const plans = request.server.plans;
  return {
    feature: body.feature,
    caller,
    quota:
      quotaFeature && plans
        ? () => plans.enforceLimit({ userId: caller.userId ?? '', orgId: caller.orgId }, quotaFeature)
        : undefined,
    system: body.system,
    prompt: body.prompt,
    messages: body.messages,
    maxOutputTokens: body.max_output_tokens,
    temperature: body.temperature,
    timeoutMs: body.timeout_ms,
    cache: body.cache ? {} : undefined,
  };
}

/** The caller's ids and effective plan (org plans apply to members). */
export async function callerOf(request: FastifyRequest): Promise<LlmCaller> {
  const principal = request.principal as Principal | null;
  if (!principal) throw new KeelError('unauthorized', 'Sign-in is required.');
  const plans = request.server.plans;
  const planKey = plans
    ? (await plans.effectivePlan({ userId: principal.userId, orgId: principal.orgId })).plan.plan_key
    : null;
  return { userId: principal.userId, orgId: principal.orgId, planKey };
}

function usageDto(usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number }) {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cached_input_tokens: usage.cachedInputTokens,
  };
}

function eventDto(event: LlmStreamEvent): Record<string, unknown> {
  switch (event.type) {
    case 'start':
      return {
        request_id: event.requestId,
        provider: event.provider,
        model: event.model,
        offline: event.offline,
      };
    case 'text':
      return { delta: event.delta };
    case 'finish':
      return {
        request_id: event.requestId,
        usage: usageDto(event.usage),
        cost_usd: event.costUsd,
        attempts: event.attempts,
      };
    case 'error':
      return { request_id: event.requestId, message: event.message, usage: usageDto(event.usage) };
  }
}
