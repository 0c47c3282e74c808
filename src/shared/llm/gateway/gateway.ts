import { createHash, randomUUID } from 'node:crypto';
import type { SharedV3ProviderOptions } from '@ai-sdk/provider';
import { generateText, type ModelMessage, Output, streamText, type ToolSet } from 'ai';
import type { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Log } from '../../../kernel/log/index.js';
import { currentTrace } from '../../../kernel/trace/index.js';
import { cacheTenantOf, cacheThresholdFor, type SemanticCache } from '../cache/index.js';
import { costOf, type Meter, monthOf, type Reservation, type TokenUsage } from '../metering/meter.js';
import { countTokens } from '../offline/tokens.js';
import type { RegistryCache } from '../registry/registry.cache.js';
import type { Capability } from '../registry/registry.types.js';
import type { Breakers } from './breaker.js';
import type { ModelClients } from './clients.js';
import { AttemptTimeoutError, type FailureVerdict, judgeFailure } from './failures.js';
import { type Candidate, candidatesFor } from './routing.js';

/** Who a call is for: routing (plan, org overrides), budgets and the request log use it. */
export interface LlmCaller {
  userId: string | null;
  orgId: string | null;
  /** The caller's effective plan (per-plan model defaults). */
  planKey: string | null;
}

export interface LlmRequest {
  /** The feature asking (`commits.draft`, `ops.route`, `chat.reply`): routing and reports use it. */
  feature: string;
  caller: LlmCaller;
  system?: string;
  prompt?: string;
  messages?: ModelMessage[];
  tools?: ToolSet;
  /** Structured output: the answer must parse as this schema. */
  schema?: z.ZodType;
  maxOutputTokens?: number;
  temperature?: number;
  /** Per attempt; default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  providerOptions?: SharedV3ProviderOptions;
  /**
   * The caller's plan quota for this feature (plans' `enforceLimit`), checked and counted before
   * anything else; it throws 429 naming the limit when the plan allows no more.
   */
  quota?: () => Promise<unknown>;
  /**
   * Semantic cache (seed 001 P-6): reuse the answer to a close-enough earlier prompt of the same
   * feature and tenant (org, else user). Only for text answers (no tools, no schema).
   */
  cache?: { ttlSeconds?: number };
}

export interface LlmResult {
  requestId: string;
  text: string;
  /** With `schema`: the parsed object. */
  object: unknown;
  toolCalls: Array<{ toolName: string; input: unknown }>;
  usage: TokenUsage;
  provider: string;
  model: string;
  /** True when Keel's offline provider answered (no neural model). */
  offline: boolean;
  /** True when the answer came from the semantic cache (the model was skipped). */
  cached: boolean;
  costUsd: number;
  /** Attempts made, failed ones included. */
  attempts: number;
}

export type LlmStreamEvent =
  | { type: 'start'; requestId: string; provider: string; model: string; offline: boolean }
  | { type: 'text'; delta: string }
  | { type: 'finish'; requestId: string; usage: TokenUsage; costUsd: number; attempts: number }
  | { type: 'error'; requestId: string; message: string; usage: TokenUsage };

export interface LlmGateway {
  generate(request: LlmRequest): Promise<LlmResult>;
  /** Events as they come; a provider that fails before its first token falls over to the next. */
  stream(request: LlmRequest): AsyncIterable<LlmStreamEvent>;
}

export interface GatewayDeps {
  log: Log;
  registry: RegistryCache;
  clients: ModelClients;
  breakers: Breakers;
  meter: Meter;
  /** Retries of one candidate on 429/5xx/network before falling over; default 2. */
  maxRetries?: number;
  /** Backoff base; default 250 ms, doubled per retry, capped by `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** The semantic cache and the text embedder it compares prompts with. */
  semantic?: SemanticDeps;
}

export interface SemanticDeps {
  cache: SemanticCache;
  embed(text: string, caller: LlmCaller): Promise<{ vector: Float32Array; model: string }>;
}

const defaultCacheTtlSeconds = 7 * 86_400;

const defaultTimeoutMs = 60_000;
/** The most a call may write when the caller sets no limit (for budget holds). */
const defaultMaxOutputTokens = 4_096;

/**
 * The one path every model call in Keel takes: route → hold budget → call with retries, a
 * circuit breaker per provider and fallback by priority → meter every attempt → settle.
 */
export function createLlmGateway(deps: GatewayDeps): LlmGateway {
  const { log, registry, clients, breakers, meter } = deps;
  const maxRetries = deps.maxRetries ?? 2;
  const backoffMs = deps.backoffMs ?? 250;
  const maxBackoffMs = deps.maxBackoffMs ?? 8_000;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = deps.now ?? (() => new Date());

  async function plan(request: LlmRequest, requestId: string, capability: Capability) {
    const snapshot = await registry.snapshot();
    const candidates = candidatesFor(snapshot, {
      feature: request.feature,
      orgId: request.caller.orgId,
      planKey: request.caller.planKey,
      capability,
      requestId,
      month: monthOf(now()),
      isOpen: (id) => breakers.isOpen(id),
    });
    if (candidates.length === 0) {
      throw new KeelError('unavailable', `No model can serve ${request.feature} right now.`, {
        details: { feature: request.feature, reason: 'no available provider, key or model' },
      });
    }
    return candidates;
  }

  /** The worst case of the first candidate, held against the caller's budgets. */
  async function hold(request: LlmRequest, candidate: Candidate): Promise<Reservation> {
    const promptText = promptOf(request);
    const worst = costOf(candidate.model, {
      inputTokens: countTokens(promptText),
      outputTokens: request.maxOutputTokens ?? defaultMaxOutputTokens,
      cachedInputTokens: 0,
    });
    return meter.reserve(request.caller, worst, now());
  }

  function callSettings(request: LlmRequest, candidate: Candidate, signal: AbortSignal) {
    const apiKey = candidate.key ? registry.apiKeyOf(candidate.key) : null;
    const model = clients.language(candidate.provider, candidate.key, apiKey, candidate.model);
    const prompt = request.messages ? { messages: request.messages } : { prompt: request.prompt ?? '' };
    return {
      model,
      system: request.system,
      ...prompt,
      tools: request.tools,
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature,
      providerOptions: request.providerOptions,
      // Keel retries and falls over itself: the SDK's own retries would hide failures from it.
      maxRetries: 0,
      abortSignal: signal,
      ...(request.schema ? { output: Output.object({ schema: request.schema }) } : {}),
    };
  }

  /**
   * One attempt's abort signal: the caller's, or a timer. For streams the timer measures silence
   * (`touch()` restarts it on every chunk), so a long answer that keeps coming is never cut.
   */
  function attemptSignal(request: LlmRequest) {
    const controller = new AbortController();
    const limitMs = request.timeoutMs ?? defaultTimeoutMs;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new AttemptTimeoutError('the provider did not answer in time'));
      }, limitMs);
      timer.unref?.();
    };
    arm();
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    return {
      signal,
      touch: arm,
      done: () => clearTimeout(timer),
      /** The SDK reports our timeout as an abort; tell the two apart. */
      explain(error: unknown): unknown {
        return timedOut && !request.signal?.aborted
          ? new AttemptTimeoutError('the provider did not answer in time')
          : error;
      },
    };
  }

  function backoff(retry: number, verdict: FailureVerdict): number {
    const exponential = Math.min(maxBackoffMs, backoffMs * 2 ** retry);
    return verdict.retryAfterMs !== null ? Math.min(maxBackoffMs, verdict.retryAfterMs) : exponential;
  }

  function recordAttempt(
    request: LlmRequest,
    requestId: string,
    attempt: number,
    candidate: Candidate,
    outcome: {
      operation: 'generate' | 'stream';
      status: 'ok' | 'error' | 'cancelled';
      error: string | null;
      usage: TokenUsage;
      tokenSource: 'provider' | 'counted';
      durationMs: number;
      firstTokenMs: number | null;
      response: string | null;
      storeText: boolean;
    },
  ): number {
    const costUsd = costOf(candidate.model, outcome.usage);
    meter.record({
      requestId,
      attempt,
      traceUuid: currentTrace()?.traceUuid ?? null,
      userId: request.caller.userId,
      orgId: request.caller.orgId,
      feature: request.feature,
      provider: candidate.provider.name,
      model: candidate.model.name,
      keyId: candidate.key?.id ?? null,
      cacheHit: false,
      prompt: promptOf(request),
      costUsd,
      ...outcome,
    });
    return costUsd;
  }

  return {
    async generate(request) {
      await request.quota?.();
      const scope = semanticScope(request);
      const looked = scope ? await cacheLookup(request, scope) : null;
      if (looked?.hit) return looked.hit;
      const result = await generateUncached(request);
      // The offline provider's answers cost nothing and are made fresh: not worth a cache entry.
      if (scope && looked && !result.offline) await cacheStore(request, scope, looked.embedding, result);
      return result;
    },

    stream(request) {
      return streamCall(request);
    },
  };

  type PromptEmbedding = { vector: Float32Array; model: string };

  /** Where a call may use the semantic cache: its tenant and the prompt's embedding, else null. */
  function semanticScope(request: LlmRequest): { tenant: string; prompt: string } | null {
    if (!deps.semantic || !request.cache || request.tools || request.schema) return null;
    const tenant = cacheTenantOf(request.caller);
    return tenant ? { tenant, prompt: promptOf(request) } : null;
  }

  async function cacheLookup(
    request: LlmRequest,
    scope: { tenant: string; prompt: string },
  ): Promise<{ hit: LlmResult | null; embedding: PromptEmbedding } | null> {
    const semantic = deps.semantic as SemanticDeps;
    if (!(await semantic.cache.available())) return null;
    const started = performance.now();
    let embedding: PromptEmbedding;
    try {
      embedding = await semantic.embed(scope.prompt, request.caller);
    } catch (error) {
      // The cache is an optimisation: failing to embed the prompt is a miss, not a failed call.
      log.warn(
        { err: error, feature: request.feature },
        'semantic cache skipped: the prompt could not be embedded',
      );
      return null;
    }
    const { vector, model: embeddingModel } = embedding;
    const hit = await semantic.cache.lookup({
      feature: request.feature,
      tenant: scope.tenant,
      embeddingModel,
      embedding: vector,
      threshold: cacheThresholdFor(request.caller.planKey),
    });
    if (!hit) return { hit: null, embedding };
    const requestId = randomUUID();
    const usage = {
      inputTokens: hit.meta.usage.inputTokens,
      outputTokens: hit.meta.usage.outputTokens,
      cachedInputTokens: 0,
    };
    meter.record({
      requestId,
      attempt: 1,
      traceUuid: currentTrace()?.traceUuid ?? null,
      userId: request.caller.userId,
      orgId: request.caller.orgId,
      feature: request.feature,
      operation: 'generate',
      provider: hit.meta.provider,
      model: hit.meta.model,
      keyId: null,
      status: 'ok',
      error: null,
      usage,
      tokenSource: 'provider',
      durationMs: performance.now() - started,
      firstTokenMs: null,
      costUsd: 0,
      cacheHit: true,
      savedUsd: hit.meta.costUsd,
      prompt: scope.prompt,
      response: hit.response,
      storeText: await meter.storesPrompts(request.caller),
    });
    log.info(
      {
        requestId,
        feature: request.feature,
        similarity: hit.similarity,
        savedUsd: hit.meta.costUsd,
        tokens: usage,
      },
      'semantic cache hit',
    );
    return {
      embedding,
      hit: {
        requestId,
        text: hit.response,
        object: undefined,
        toolCalls: [],
        usage,
        provider: hit.meta.provider,
        model: hit.meta.model,
        offline: false,
        cached: true,
        costUsd: 0,
        attempts: 0,
      },
    };
  }

  async function cacheStore(
    request: LlmRequest,
    scope: { tenant: string; prompt: string },
    embedding: PromptEmbedding,
    result: LlmResult,
  ) {
    const semantic = deps.semantic as SemanticDeps;
    await semantic.cache.store({
      feature: request.feature,
      tenant: scope.tenant,
      embeddingModel: embedding.model,
      embedding: embedding.vector,
      promptHash: createHash('sha256').update(scope.prompt).digest('hex'),
      response: result.text,
      meta: {
        provider: result.provider,
        model: result.model,
        usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
        costUsd: result.costUsd,
      },
      ttlSeconds: request.cache?.ttlSeconds ?? defaultCacheTtlSeconds,
    });
  }

  async function generateUncached(request: LlmRequest): Promise<LlmResult> {
    {
      const requestId = randomUUID();
      const candidates = await plan(
        request,
        requestId,
        request.tools ? 'tools' : request.schema ? 'json' : 'chat',
      );
      const reservation = await hold(request, candidates[0] as Candidate);
      const storeText = await meter.storesPrompts(request.caller);
      let attempt = 0;
      let spent = 0;
      const failures: string[] = [];
      try {
        for (const candidate of candidates) {
          for (let retry = 0; ; retry++) {
            attempt += 1;
            const started = performance.now();
            const { signal, explain, done } = attemptSignal(request);
            try {
              const result = await generateText(callSettings(request, candidate, signal)).finally(done);
              const { usage, source } = usageOf(result.usage, promptOf(request), result.text);
              spent += recordAttempt(request, requestId, attempt, candidate, {
                operation: 'generate',
                status: 'ok',
                error: null,
                usage,
                tokenSource: source,
                durationMs: performance.now() - started,
                firstTokenMs: null,
                response: result.text,
                storeText,
              });
              breakers.success(candidate.provider.id);
              return {
                requestId,
                text: result.text,
                object: request.schema ? result.output : undefined,
                toolCalls: result.toolCalls.map((call) => ({ toolName: call.toolName, input: call.input })),
                usage,
                provider: candidate.provider.name,
                model: candidate.model.name,
                offline: candidate.provider.kind === 'offline',
                cached: false,
                costUsd: spent,
                attempts: attempt,
              };
            } catch (raw) {
              const error = explain(raw);
              const verdict = judgeFailure(error);
              recordAttempt(request, requestId, attempt, candidate, {
                operation: 'generate',
                status: verdict.summary === 'cancelled' ? 'cancelled' : 'error',
                error: verdict.summary,
                usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
                tokenSource: 'counted',
                durationMs: performance.now() - started,
                firstTokenMs: null,
                response: null,
                storeText: false,
              });
              if (verdict.providerFault) breakers.failure(candidate.provider.id);
              failures.push(`${candidate.provider.name}/${candidate.model.name}: ${verdict.summary}`);
              if (verdict.summary === 'cancelled')
                throw new KeelError('bad_request', 'The call was cancelled.');
              if (verdict.retry && retry < maxRetries && !request.signal?.aborted) {
                await sleep(backoff(retry, verdict));
                continue;
              }
              if (!verdict.fallback) {
                throw new KeelError('upstream_failed', `The model refused the request: ${verdict.summary}.`, {
                  details: {
                    provider: candidate.provider.name,
                    model: candidate.model.name,
                    status: verdict.status,
                  },
                });
              }
              break;
            }
          }
        }
        log.error({ requestId, feature: request.feature, failures }, 'every LLM provider failed');
        throw new KeelError('unavailable', `Every model provider failed for ${request.feature}.`, {
          details: { attempts: failures },
        });
      } finally {
        await meter
          .settle(reservation, spent)
          .catch((error: unknown) =>
            log.error({ err: error, requestId }, 'LLM budget hold could not be settled'),
          );
      }
    }
  }

  async function* streamCall(request: LlmRequest): AsyncGenerator<LlmStreamEvent> {
    await request.quota?.();
    const requestId = randomUUID();
    const candidates = await plan(request, requestId, request.tools ? 'tools' : 'chat');
    const reservation = await hold(request, candidates[0] as Candidate);
    const storeText = await meter.storesPrompts(request.caller);
    let attempt = 0;
    let spent = 0;
    const failures: string[] = [];
    try {
      for (const candidate of candidates) {
        for (let retry = 0; ; retry++) {
          attempt += 1;
          const started = performance.now();
          const { signal, explain, touch, done } = attemptSignal(request);
          let text = '';
          let firstTokenMs: number | null = null;
          let failure: unknown;
          let finalUsage: Parameters<typeof usageOf>[0] | undefined;
          const result = streamText({ ...callSettings(request, candidate, signal), onError: () => {} });
          try {
            for await (const part of result.fullStream) {
              touch();
              if (part.type === 'text-delta') {
                if (firstTokenMs === null) {
                  firstTokenMs = performance.now() - started;
                  yield {
                    type: 'start',
                    requestId,
                    provider: candidate.provider.name,
                    model: candidate.model.name,
                    offline: candidate.provider.kind === 'offline',
                  };
                }
                text += part.text;
                yield { type: 'text', delta: part.text };
              } else if (part.type === 'error') {
                failure = part.error;
                break;
              } else if (part.type === 'abort') {
                // Our timer or the caller's signal; explain() tells which.
                failure = Object.assign(new Error('aborted'), { name: 'AbortError' });
                break;
              } else if (part.type === 'finish') {
                finalUsage = part.totalUsage;
              }
            }
          } catch (error) {
            failure = error;
          } finally {
            done();
          }
          if (failure === undefined) {
            const { usage, source } = usageOf(finalUsage, promptOf(request), text);
            spent += recordAttempt(request, requestId, attempt, candidate, {
              operation: 'stream',
              status: 'ok',
              error: null,
              usage,
              tokenSource: source,
              durationMs: performance.now() - started,
              firstTokenMs,
              response: text,
              storeText,
            });
            breakers.success(candidate.provider.id);
            yield { type: 'finish', requestId, usage, costUsd: spent, attempts: attempt };
            return;
          }
          const verdict = judgeFailure(explain(failure));
          // What was streamed before the cut was paid for: count it.
          const seen = counted(promptOf(request), text);
          spent += recordAttempt(request, requestId, attempt, candidate, {
            operation: 'stream',
            status: verdict.summary === 'cancelled' ? 'cancelled' : 'error',
            error:
              firstTokenMs === null
                ? verdict.summary
                : `cut after ${seen.outputTokens} tokens: ${verdict.summary}`,
            usage: firstTokenMs === null ? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } : seen,
            tokenSource: 'counted',
            durationMs: performance.now() - started,
            firstTokenMs,
            response: firstTokenMs === null ? null : text,
            storeText,
          });
          if (verdict.providerFault) breakers.failure(candidate.provider.id);
          if (firstTokenMs !== null) {
            // Tokens already reached the client: another provider cannot continue the same text.
            log.warn(
              { requestId, provider: candidate.provider.name, tokens: seen.outputTokens },
              'LLM stream cut',
            );
            yield {
              type: 'error',
              requestId,
              message: `The model's stream broke off: ${verdict.summary}.`,
              usage: seen,
            };
            return;
          }
          failures.push(`${candidate.provider.name}/${candidate.model.name}: ${verdict.summary}`);
          if (verdict.summary === 'cancelled') return;
          if (verdict.retry && retry < maxRetries && !request.signal?.aborted) {
            await sleep(backoff(retry, verdict));
            continue;
          }
          if (!verdict.fallback) {
            yield {
              type: 'error',
              requestId,
              message: `The model refused the request: ${verdict.summary}.`,
              usage: seen,
            };
            return;
          }
          break;
        }
      }
      log.error({ requestId, feature: request.feature, failures }, 'every LLM provider failed');
      yield {
        type: 'error',
        requestId,
        message: `Every model provider failed for ${request.feature}.`,
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
      };
    } finally {
      await meter
        .settle(reservation, spent)
        .catch((error: unknown) =>
          log.error({ err: error, requestId }, 'LLM budget hold could not be settled'),
        );
    }
  }
}

/** The prompt as one text (for token counts, hashes and the request log). */
export function promptOf(request: Pick<LlmRequest, 'system' | 'prompt' | 'messages'>): string {
  const parts: string[] = [];
  if (request.system) parts.push(request.system);
  if (request.prompt) parts.push(request.prompt);
  for (const message of request.messages ?? []) {
    if (typeof message.content === 'string') parts.push(message.content);
    else for (const part of message.content) if (part.type === 'text') parts.push(part.text);
  }
  return parts.join('\n');
}

function counted(prompt: string, output: string): TokenUsage {
  return { inputTokens: countTokens(prompt), outputTokens: countTokens(output), cachedInputTokens: 0 };
}

/** The provider's usage when it reported one, else counted with the tokenizer. */
function usageOf(
  usage:
    | {
        inputTokens: number | undefined;
        outputTokens: number | undefined;
        inputTokenDetails?: { cacheReadTokens: number | undefined };
      }
    | undefined,
  prompt: string,
  output: string,
): { usage: TokenUsage; source: 'provider' | 'counted' } {
  if (usage?.inputTokens === undefined || usage.outputTokens === undefined) {
    return { usage: counted(prompt, output), source: 'counted' };
  }
  return {
    usage: {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0,
    },
    source: 'provider',
  };
}
