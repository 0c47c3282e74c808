import { randomUUID } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.js';
import type { Log } from '../../../kernel/log/index.js';
import {
  type CacheScope,
  type CacheStatus,
  countScope,
  deleteExpired,
  type NearestRow,
  nearestByHnsw,
  nearestByScan,
  readStatus,
  upsert,
  vacuumEmbedded,
} from './semantic-cache.repository.js';

/** The text embedding space the table holds (seed 001 §8; `vector(1536)` in migration 0003). */
export const CACHE_DIMS = 1536;

/** What the gateway keeps beside a cached response: who answered it and what it cost. */
export interface CachedResponseMeta {
  provider: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
}

export interface CacheLookup {
  /** The feature asking (`commits.draft`): answers are never shared between features. */
  feature: string;
  /** `org:<uuid>` or `user:<uuid>` ({@link cacheTenantOf}): answers are never shared between tenants. */
  tenant: string;
  /** `provider/model` that made `embedding`: vectors of different models are not comparable. */
  embeddingModel: string;
  /** 1536 dimensions. */
  embedding: Float32Array;
  /** Least cosine similarity that counts as a hit ({@link cacheThresholdFor}). */
  threshold: number;
}

export interface CacheHit {
  id: string;
  response: string;
  meta: CachedResponseMeta;
  /** Cosine similarity to the request, 1 − cosine distance. */
  similarity: number;
}

export interface CacheEntry {
  feature: string;
  tenant: string;
  embeddingModel: string;
  embedding: Float32Array;
  /** sha256 hex of what was embedded: a second store of the same prompt replaces the first. */
  promptHash: string;
  response: string;
  meta: CachedResponseMeta;
  ttlSeconds: number;
}

/**
 * Seed 001 P-6: reuse a model's answer for a request close enough to one already answered, per
 * feature and per tenant. Needs pgvector; without it every call is a no-op.
 *
 * Best effort: a database error is logged and reads as a miss (or a skipped store), so a broken
 * cache never fails a model call. Wrong arguments (dimensions, tenant, threshold) throw.
 *
 * @example
 * const cache = createSemanticCache({ db, log });
 * const tenant = cacheTenantOf(request.caller);
 * const { vectors: [embedding], model } = await embed({ texts: [prompt], space: 'text', caller });
 * const hit = tenant && (await cache.lookup({
 *   feature, tenant, embeddingModel: model, embedding, threshold: cacheThresholdFor(planKey),
 * }));
 * if (hit) return hit.response; // the model is skipped
 * const answer = await callModel();
 * await cache.store({ feature, tenant, embeddingModel: model, embedding, promptHash, response: answer.text,
 *   meta: { provider, model, usage, costUsd }, ttlSeconds: 7 * 86_400 });
 */
export interface SemanticCache {
  /** False when `llm.semantic_cache` is absent (no pgvector); checked once, said once in the log. */
  available(): Promise<boolean>;
  /** The nearest live entry of the scope when it is at least `threshold` similar (its `hits` +1), else null. */
  lookup(request: CacheLookup): Promise<CacheHit | null>;
  /** Keeps `response` for `ttlSeconds`; returns the row id, or null when the cache is off or the store failed. */
  store(entry: CacheEntry): Promise<string | null>;
  /** Deletes expired entries; returns how many. */
  sweep(): Promise<number>;
}

export interface SemanticCacheOptions {
  db: Database;
  log: Log;
  /**
   * Scopes with at most this many live entries are scanned (sign bits of every entry, then the
   * cosine of the best {@link SemanticCacheOptions.candidates}); larger ones are searched
   * through the HNSW index. Default 5 000 (see README.md for the measurements).
   */
  scopeScanLimit?: number;
  /** Entries of a scanned scope compared by cosine after the sign-bit ranking; default 32. */
  candidates?: number;
  /** Rows per DELETE in {@link SemanticCache.sweep}. */
  sweepBatch?: number;
}

const defaultScopeScanLimit = 5_000;
const defaultCandidates = 32;
const defaultSweepBatch = 5_000;
const tenantPattern = /^(org|user):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Seed 001 §8: cos ≥ 0.85 reuses an answer on free/basic, 0.90 on premium/org and any other plan. */
export function cacheThresholdFor(planKey: string | null | undefined): number {
  return planKey === 'free' || planKey === 'basic' ? 0.85 : 0.9;
}

/**
 * The tenant a caller's entries belong to: the org when the call is made for one, else the
 * user; null (do not cache) for a call made for neither.
 */
export function cacheTenantOf(caller: { orgId: string | null; userId: string | null }): string | null {
  if (caller.orgId) return `org:${caller.orgId.toLowerCase()}`;
  if (caller.userId) return `user:${caller.userId.toLowerCase()}`;
  return null;
}

export function createSemanticCache(options: SemanticCacheOptions): SemanticCache {
  const { db, log } = options;
  const scopeScanLimit = options.scopeScanLimit ?? defaultScopeScanLimit;
  const candidates = options.candidates ?? defaultCandidates;
  const sweepBatch = options.sweepBatch ?? defaultSweepBatch;
  let status: Promise<CacheStatus | null> | undefined;

  /** The status once per process (the migrations ran before any service started); null = off. */
  function state(): Promise<CacheStatus | null> {
    status ??= readStatus(db).then(
      (found) => {
        if (found.table) return found;
        if (found.vector === null) {
          log.info('semantic cache off: pgvector is not installed on this PostgreSQL server');
        } else if (!versionAtLeast(found.vector, 0, 7)) {
          log.warn({ pgvector: found.vector }, 'semantic cache off: it needs pgvector 0.7 or later');
        } else {
          log.warn(
            { pgvector: found.vector },
            'semantic cache off: pgvector was installed after the llm migrations ran, so llm.semantic_cache is missing (see src/shared/llm/cache/README.md)',
          );
        }
        return null;
      },
      (error: unknown) => {
        // Asked again next time: a database that was down at start-up may come back.
        status = undefined;
        log.warn({ err: error }, 'semantic cache status could not be read');
        return null;
      },
    );
    return status;
  }

  return {
    async available() {
      return (await state()) !== null;
    },

    async lookup(request) {
      const scope = checkScope(request);
      const vector = vectorText(request.embedding);
      checkThreshold(request.threshold);
      const found = await state();
      if (!found || vector === null) return null;
      let row: NearestRow | null;
      let path: 'scan' | 'hnsw';
      try {
        const small = (await countScope(db, scope, scopeScanLimit + 1)) <= scopeScanLimit;
        path = small ? 'scan' : 'hnsw';
        row = small
          ? await nearestByScan(db, scope, vector, request.threshold, candidates)
          : await nearestByHnsw(db, scope, vector, request.threshold, {
              iterativeScan: versionAtLeast(found.vector, 0, 8),
            });
      } catch (error) {
        log.warn({ err: error, feature: scope.feature }, 'semantic cache lookup failed; treated as a miss');
        return null;
      }
      if (!row?.hit) {
        log.debug(
          {
            feature: scope.feature,
            nearest: row ? round(row.similarity) : null,
            threshold: request.threshold,
            path,
          },
          'semantic cache miss',
        );
        return null;
      }
      const meta = row.response_meta as CachedResponseMeta;
      const similarity = Number(row.similarity);
      // Debug: the gateway logs each hit at info with its request id and what it saved.
      log.debug(
        {
          feature: scope.feature,
          tenant: scope.tenant,
          entryId: row.id,
          similarity: round(similarity),
          threshold: request.threshold,
          path,
          provider: meta.provider,
          model: meta.model,
          savedInputTokens: meta.usage.inputTokens,
          savedOutputTokens: meta.usage.outputTokens,
          savedCostUsd: meta.costUsd,
        },
        'semantic cache hit: model call skipped',
      );
      return { id: row.id, response: row.response ?? '', meta, similarity };
    },

    async store(entry) {
      const scope = checkScope(entry);
      const vector = vectorText(entry.embedding);
      if (!Number.isFinite(entry.ttlSeconds) || entry.ttlSeconds <= 0) {
        throw new RangeError(`semantic cache ttlSeconds must be positive, got ${entry.ttlSeconds}`);
      }
      if (!/^[0-9a-f]{64}$/.test(entry.promptHash)) {
        throw new RangeError('semantic cache promptHash must be a sha256 hex digest');
      }
      // A vector of zeros (a prompt without a letter or digit) has no direction to compare.
      if (!(await state()) || vector === null) return null;
      try {
        return await upsert(db, {
          id: randomUUID(),
          ...scope,
          embedding: vector,
          promptHash: entry.promptHash,
          response: entry.response,
          responseMeta: entry.meta,
          ttlSeconds: entry.ttlSeconds,
        });
      } catch (error) {
        log.warn(
          { err: error, feature: scope.feature },
          'semantic cache store failed; the answer is not cached',
        );
        return null;
      }
    },

    async sweep() {
      if (!(await state())) return 0;
      let deleted = 0;
      for (;;) {
        const n = await deleteExpired(db, sweepBatch);
        deleted += n;
        if (n < sweepBatch) break;
      }
      if (deleted > 0) await vacuumEmbedded(db);
      return deleted;
    },
  };
}

function checkScope(request: { tenant: string; feature: string; embeddingModel: string }): CacheScope {
  if (!tenantPattern.test(request.tenant)) {
    throw new RangeError(`semantic cache tenant must be org:<uuid> or user:<uuid>, got ${request.tenant}`);
  }
  if (request.feature.length === 0 || request.feature.length > 100) {
    throw new RangeError('semantic cache feature must be 1–100 characters');
  }
  if (request.embeddingModel.length === 0 || request.embeddingModel.length > 160) {
    throw new RangeError('semantic cache embeddingModel must be 1–160 characters');
  }
  return { tenant: request.tenant, feature: request.feature, embeddingModel: request.embeddingModel };
}

function checkThreshold(threshold: number): void {
  if (!(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`semantic cache threshold must be in (0, 1], got ${threshold}`);
  }
}

/**
 * pgvector's text form. Nine significant digits give back the same float32; zeros are written
 * `0` (hashed and sparse vectors are mostly zeros). Null for the zero vector.
 */
export function vectorText(vector: Float32Array): string | null {
  if (vector.length !== CACHE_DIMS) {
    throw new RangeError(`semantic cache embeddings have ${CACHE_DIMS} dimensions, got ${vector.length}`);
  }
  const parts = new Array<string>(vector.length);
  let nonZero = false;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i] as number;
    if (!Number.isFinite(x)) throw new RangeError('semantic cache embedding holds a non-finite value');
    if (x === 0) parts[i] = '0';
    else {
      parts[i] = x.toPrecision(9);
      nonZero = true;
    }
  }
  return nonZero ? `[${parts.join(',')}]` : null;
}

/** `binary_quantize()` came with pgvector 0.7, iterative index scans (`hnsw.iterative_scan`) with 0.8. */
function versionAtLeast(version: string | null, major: number, minor: number): boolean {
  const [actualMajor = 0, actualMinor = 0] = (version ?? '0').split(/[.-]/).map(Number);
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
}

function round(x: number): number {
  return Math.round(Number(x) * 10_000) / 10_000;
}
