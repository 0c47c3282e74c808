import { createHash, randomUUID } from 'node:crypto';
import { embedMany } from 'ai';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Log } from '../../../kernel/log/index.js';
import { currentTrace } from '../../../kernel/trace/index.js';
import { costOf, type Meter, monthOf } from '../metering/meter.js';
import { countTokens } from '../offline/tokens.js';
import type { RegistryCache } from '../registry/registry.cache.js';
import type { Breakers } from './breaker.js';
import type { ModelClients } from './clients.js';
import { judgeFailure } from './failures.js';
import type { LlmCaller } from './gateway.js';
import { type Candidate, candidatesFor } from './routing.js';

/** Seed 001 §8: code vectors have 512 dimensions, text vectors 1536. */
export const spaceDims = { code: 512, text: 1536 } as const;
export type EmbeddingSpace = keyof typeof spaceDims;

export interface EmbedRequest {
  texts: string[];
  space: EmbeddingSpace;
  caller: LlmCaller;
  /** Routing and reports; default `embed.<space>`. */
  feature?: string;
  signal?: AbortSignal;
}

export interface EmbedResult {
  requestId: string;
  vectors: Float32Array[];
  /** `provider/model` that made the vectors (only vectors of one model are comparable). */
  model: string;
  dims: number;
  /** How many came from the content-hash cache. */
  cached: number;
  offline: boolean;
}

const batchSize = 96;

/**
 * Embeddings through the registry, cached by content hash (seed 001 §8: never embed a text
 * twice). A space keeps to one model: falling over to another model would mix vectors that
 * cannot be compared, so only the same model's other keys are tried.
 */
export function createEmbedder(deps: {
  db: Database;
  log: Log;
  registry: RegistryCache;
  clients: ModelClients;
  breakers: Breakers;
  meter: Meter;
  now?: () => Date;
}) {
  const { db, log, registry, clients, breakers, meter } = deps;
  const now = deps.now ?? (() => new Date());

  return async function embed(request: EmbedRequest): Promise<EmbedResult> {
    const dims = spaceDims[request.space];
    const feature = request.feature ?? `embed.${request.space}`;
    const requestId = randomUUID();
    const candidates = candidatesFor(await registry.snapshot(), {
      feature,
      orgId: request.caller.orgId,
      planKey: request.caller.planKey,
      capability: 'embeddings',
      requestId,
      month: monthOf(now()),
      isOpen: (id) => breakers.isOpen(id),
    }).filter((c) => c.model.embeddingDims === dims);
    const first = candidates[0];
    if (!first) throw new KeelError('unavailable', `No ${dims}-dimension embedding model serves ${feature}.`);
    const sameModel = candidates.filter((c) => c.model.id === first.model.id);
    const modelName = `${first.provider.name}/${first.model.name}`;

    const hashes = request.texts.map((text) => createHash('sha256').update(text).digest('hex'));
    const vectors: Array<Float32Array | undefined> = new Array(request.texts.length);
    const known = await db.query<{ hash: string; vector: string }>(
      `select content_hash as hash, vector from llm.embedding_cache
       where space = $1 and model = $2 and content_hash = any($3::text[])`,
      [request.space, modelName, [...new Set(hashes)]],
    );
    const byHash = new Map(known.map((row) => [row.hash, decodeVector(row.vector)]));
    const missing: number[] = [];
    hashes.forEach((hash, i) => {
      const hit = byHash.get(hash);
      if (hit) vectors[i] = hit;
      else missing.push(i);
    });
    const cached = request.texts.length - missing.length;

    const unique = [...new Set(missing.map((i) => hashes[i] as string))];
    const textOf = new Map(missing.map((i) => [hashes[i] as string, request.texts[i] as string]));
    for (let start = 0; start < unique.length; start += batchSize) {
      const batch = unique.slice(start, start + batchSize);
      const made = await embedBatch(
        sameModel,
        batch.map((h) => textOf.get(h) as string),
        request,
        requestId,
        feature,
      );
      await db.query(
        `insert into llm.embedding_cache (content_hash, space, model, dims, vector)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])
         on conflict do nothing`,
        [
          batch,
          batch.map(() => request.space),
          batch.map(() => modelName),
          batch.map(() => dims),
          made.map(encodeVector),
        ],
      );
      batch.forEach((hash, j) => {
        byHash.set(hash, made[j] as Float32Array);
      });
    }
    for (const i of missing) vectors[i] = byHash.get(hashes[i] as string);
    return {
      requestId,
      vectors: vectors as Float32Array[],
      model: modelName,
      dims,
      cached,
      offline: first.provider.kind === 'offline',
    };
  };

  async function embedBatch(
    candidates: Candidate[],
    texts: string[],
    request: EmbedRequest,
    requestId: string,
    feature: string,
  ): Promise<Float32Array[]> {
    const failures: string[] = [];
    let attempt = 0;
    for (const candidate of candidates) {
      attempt += 1;
      const started = performance.now();
      try {
        const apiKey = candidate.key ? registry.apiKeyOf(candidate.key) : null;
        const model = clients.embedding(candidate.provider, candidate.key, apiKey, candidate.model);
        const result = await embedMany({ model, values: texts, maxRetries: 1, abortSignal: request.signal });
        const inputTokens = result.usage?.tokens ?? texts.reduce((sum, t) => sum + countTokens(t), 0);
        const usage = { inputTokens, outputTokens: 0, cachedInputTokens: 0 };
        meter.record({
          requestId,
          attempt,
          traceUuid: currentTrace()?.traceUuid ?? null,
          userId: request.caller.userId,
          orgId: request.caller.orgId,
          feature,
          operation: 'embed',
          provider: candidate.provider.name,
          model: candidate.model.name,
          keyId: candidate.key?.id ?? null,
          status: 'ok',
          error: null,
          usage,
          tokenSource: result.usage?.tokens === undefined ? 'counted' : 'provider',
          durationMs: performance.now() - started,
          firstTokenMs: null,
          costUsd: costOf(candidate.model, usage),
          cacheHit: false,
          prompt: null,
          response: null,
          storeText: false,
        });
        breakers.success(candidate.provider.id);
        return result.embeddings.map((vector) => Float32Array.from(vector));
      } catch (error) {
        const verdict = judgeFailure(error);
        if (verdict.providerFault) breakers.failure(candidate.provider.id);
        failures.push(`${candidate.provider.name}/${candidate.model.name}: ${verdict.summary}`);
        if (!verdict.fallback) break;
      }
    }
    log.error({ requestId, feature, failures }, 'embedding failed');
    throw new KeelError('unavailable', 'The embedding model could not be reached.', {
      details: { attempts: failures },
    });
  }
}

/** Base64 of little-endian float32s (see llm.embedding_cache.vector). */
export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function decodeVector(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
