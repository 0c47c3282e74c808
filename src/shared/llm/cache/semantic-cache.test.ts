import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type LogLine, memoryLog, sleep } from '../../../../test/support/jobs.js';
import type { Database } from '../../../kernel/db/index.js';
import { cosine, embedText } from '../embeddings/offline/index.js';
import { cacheSweepJob } from './cache-sweep.job.js';
import {
  type CachedResponseMeta,
  type CacheEntry,
  cacheTenantOf,
  cacheThresholdFor,
  createSemanticCache,
  eraseSemanticCacheTenant,
  type SemanticCache,
} from './index.js';

const model = 'keel-offline/keel-hashed-text-1';
const prompt = 'Write a commit message for the change that fixes the login timeout on the staging server';
/** Realistic neighbours of `prompt` under the offline text embedder (checked in the first test). */
const near =
  'Please write a commit message for the change that fixes the login timeout on the staging server';
const between = 'Write a commit message for the change that fixes the session timeout on the staging host';
const below = 'Write the commit message for a change that fixes the signup timeout on our staging server';
const unrelated = 'Summarize the quarterly sales report for the marketing team';

const meta: CachedResponseMeta = {
  provider: 'openai-main',
  model: 'gpt-4o-mini',
  usage: { inputTokens: 412, outputTokens: 38 },
  costUsd: 0.000085,
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newTenant = (kind: 'org' | 'user' = 'org') => `${kind}:${randomUUID()}`;

function entry(tenant: string, text: string, overrides: Partial<CacheEntry> = {}): CacheEntry {
  return {
    feature: 'commits.draft',
    tenant,
    embeddingModel: model,
    embedding: embedText(text),
    promptHash: sha256(text),
    response: `fix(auth): answer for "${text}"`,
    meta,
    ttlSeconds: 3_600,
    ...overrides,
  };
}

function ask(tenant: string, text: string, threshold = 0.9) {
  return { feature: 'commits.draft', tenant, embeddingModel: model, embedding: embedText(text), threshold };
}

describe('cacheThresholdFor / cacheTenantOf', () => {
  it('reuses at 0.85 on free and basic, 0.90 on premium, org and anything else', () => {
    expect(cacheThresholdFor('free')).toBe(0.85);
    expect(cacheThresholdFor('basic')).toBe(0.85);
    expect(cacheThresholdFor('premium')).toBe(0.9);
    expect(cacheThresholdFor('org')).toBe(0.9);
    expect(cacheThresholdFor('enterprise-2027')).toBe(0.9);
    expect(cacheThresholdFor(null)).toBe(0.9);
  });

  it('scopes to the org when there is one, else to the user, else refuses to cache', () => {
    const orgId = randomUUID();
    const userId = randomUUID();
    expect(cacheTenantOf({ orgId, userId })).toBe(`org:${orgId}`);
    expect(cacheTenantOf({ orgId: null, userId })).toBe(`user:${userId}`);
    expect(cacheTenantOf({ orgId: null, userId: null })).toBeNull();
  });
});

describe.each(testDatabases)('semantic cache ($kind)', (target) => {
  let db: Database;
  let drop: () => Promise<void>;
  let cache: SemanticCache;
  let lines: LogLine[];
  let on: boolean;
  let hasVector: boolean;

  beforeAll(async () => {
    ({ db, drop } = await target.open());
    const captured = memoryLog('debug');
    lines = captured.lines;
    cache = createSemanticCache({ db, log: captured.log });
    on = await cache.available();
    const [ext] = await db.query<{ n: number }>(
      "select count(*)::int as n from pg_extension where extname = 'vector'",
    );
    hasVector = (ext?.n ?? 0) > 0;
  });
  afterAll(async () => {
    await drop?.();
  });
  beforeEach((ctx) => {
    const offOnly = ctx.task.name.startsWith('without pgvector');
    if (offOnly && on) ctx.skip('pgvector is installed here');
    if (!offOnly && !on)
      ctx.skip('no pgvector on this server: the cache is off (see the "without pgvector" test)');
  });

  it('without pgvector: is off, says so once, and lookups, stores and sweeps do nothing', async () => {
    expect(hasVector).toBe(false);
    const tenant = newTenant();
    expect(await cache.store(entry(tenant, prompt))).toBeNull();
    expect(await cache.lookup(ask(tenant, prompt))).toBeNull();
    expect(await cache.sweep()).toBe(0);
    expect(await cache.available()).toBe(false);
    const [table] = await db.query<{ present: boolean }>(
      "select to_regclass('llm.semantic_cache') is not null as present",
    );
    expect(table?.present).toBe(false);
    expect(lines.filter((l) => String(l.msg).startsWith('semantic cache off'))).toHaveLength(1);
    expect(await eraseSemanticCacheTenant(db, tenant)).toBe(0);
    const job = cacheSweepJob(cache);
    const result = await job.handler({}, jobContext());
    expect(result).toMatchObject({ status: 'skipped' });
  });

  it('is on where pgvector is, and the test texts sit where the thresholds need them', () => {
    expect(hasVector).toBe(true);
    const similarity = (text: string) => cosine(embedText(prompt), embedText(text));
    expect(similarity(near)).toBeGreaterThanOrEqual(0.9);
    expect(similarity(between)).toBeGreaterThanOrEqual(0.85);
    expect(similarity(between)).toBeLessThan(0.9);
    expect(similarity(below)).toBeLessThan(0.85);
  });

  it('returns the cached answer at or above the threshold, counts the hit and logs what it saved', async () => {
    const tenant = newTenant();
    const id = await cache.store(entry(tenant, prompt));
    expect(id).toEqual(expect.any(String));

    const hit = await cache.lookup(ask(tenant, near, cacheThresholdFor('premium')));
    expect(hit).toMatchObject({ id, response: `fix(auth): answer for "${prompt}"`, meta });
    expect(hit?.similarity).toBeCloseTo(cosine(embedText(prompt), embedText(near)), 4);

    // Exactly at the threshold still counts.
    const again = await cache.lookup(ask(tenant, near, Number(hit?.similarity)));
    expect(again?.id).toBe(id);

    const [row] = await db.query<{ hits: number }>('select hits from llm.semantic_cache where id = $1', [id]);
    expect(row?.hits).toBe(2);
    const logged = lines.find((l) => l.msg === 'semantic cache hit: model call skipped' && l.entryId === id);
    expect(logged).toMatchObject({
      feature: 'commits.draft',
      tenant,
      savedInputTokens: 412,
      savedOutputTokens: 38,
      savedCostUsd: 0.000085,
      model: 'gpt-4o-mini',
    });
  });

  it('misses below the threshold: the plan decides between 0.85 and 0.90', async () => {
    const tenant = newTenant();
    await cache.store(entry(tenant, prompt));
    expect(await cache.lookup(ask(tenant, between, cacheThresholdFor('free')))).not.toBeNull();
    expect(await cache.lookup(ask(tenant, between, cacheThresholdFor('premium')))).toBeNull();
    expect(await cache.lookup(ask(tenant, below, cacheThresholdFor('free')))).toBeNull();
    expect(await cache.lookup(ask(tenant, unrelated, cacheThresholdFor('free')))).toBeNull();
  });

  it('never hands a tenant another tenant’s answer, however close', async () => {
    const owner = newTenant('org');
    const other = newTenant('org');
    const user = newTenant('user');
    await cache.store(entry(owner, prompt));
    // The identical request from elsewhere: similarity 1 to the owner's entry.
    expect(await cache.lookup(ask(other, prompt))).toBeNull();
    expect(await cache.lookup(ask(user, prompt))).toBeNull();

    // Even at a threshold any entry passes, the answer comes from the tenant's own entries.
    const own = await cache.store(entry(other, unrelated));
    const answer = await cache.lookup(ask(other, prompt, 0.0001));
    expect(answer?.id).toBe(own);
    expect(answer?.response).toBe(`fix(auth): answer for "${unrelated}"`);
  });

  it('keeps tenants apart on the HNSW path too, among many other tenants’ entries', async () => {
    const hnsw = createSemanticCache({ db, log: memoryLog('warn').log, scopeScanLimit: 0 });
    const crowd = Array.from({ length: 40 }, () => newTenant());
    const variants = [prompt, near, between, below, `${prompt} again`, `${near} today`];
    for (const [i, tenant] of crowd.entries()) {
      for (const text of variants) await hnsw.store(entry(tenant, `${text} #${i}`));
    }
    const small = newTenant();
    const own = await hnsw.store(entry(small, unrelated));
    const answer = await hnsw.lookup(ask(small, prompt, 0.0001));
    expect(answer?.id).toBe(own);

    const owner = crowd[7] as string;
    const hit = await hnsw.lookup(ask(owner, `${prompt} #7`, 0.99));
    const [row] = await db.query<{ tenant: string }>('select tenant from llm.semantic_cache where id = $1', [
      hit?.id,
    ]);
    expect(row?.tenant).toBe(owner);

    expect(await hnsw.lookup(ask(newTenant(), `${prompt} #7`, 0.0001))).toBeNull();
  });

  it('finds the close entry in a scope larger than the candidates it compares by cosine', async () => {
    const tenant = newTenant();
    const scan = createSemanticCache({ db, log: memoryLog('warn').log, candidates: 4 });
    const words = ['deploy', 'invoice', 'queue', 'report', 'token', 'search', 'upload', 'alert', 'cache'];
    for (let i = 0; i < 60; i++) {
      const text = `Explain the ${words[i % 9]} ${words[(i * 7) % 9]} failure seen by team ${i} on the ${words[(i * 5) % 9]} service`;
      await scan.store(entry(tenant, text));
    }
    // Near-misses of the prompt too: they outrank it on sign bits only if the bits lie.
    for (const text of [below, between]) await scan.store(entry(tenant, text));
    const target = await scan.store(entry(tenant, prompt));
    const hit = await scan.lookup(ask(tenant, near));
    expect(hit?.id).toBe(target);
  });

  it('keeps features and embedding models apart', async () => {
    const tenant = newTenant();
    await cache.store(entry(tenant, prompt));
    expect(await cache.lookup({ ...ask(tenant, prompt), feature: 'chat.reply' })).toBeNull();
    expect(
      await cache.lookup({ ...ask(tenant, prompt), embeddingModel: 'openai/text-embedding-3-small' }),
    ).toBeNull();
    expect(await cache.lookup(ask(tenant, prompt))).not.toBeNull();
  });

  it('forgets an entry when its TTL runs out, and the sweep deletes it', async () => {
    const tenant = newTenant();
    const shortLived = await cache.store(entry(tenant, prompt, { ttlSeconds: 0.3 }));
    const kept = await cache.store(entry(tenant, unrelated, { ttlSeconds: 3_600 }));
    expect((await cache.lookup(ask(tenant, prompt)))?.id).toBe(shortLived);
    await sleep(400);
    expect(await cache.lookup(ask(tenant, prompt))).toBeNull();

    const job = cacheSweepJob(cache);
    const result = await job.handler({}, jobContext());
    expect(result).toMatchObject({ status: 'done', deleted: expect.any(Number) });
    expect(result.status === 'done' && Number(result.deleted)).toBeGreaterThanOrEqual(1);
    const rows = await db.query<{ id: string }>('select id from llm.semantic_cache where tenant = $1', [
      tenant,
    ]);
    expect(rows.map((r) => r.id)).toEqual([kept]);
    expect(await cache.sweep()).toBe(0);
    expect((await cache.lookup(ask(tenant, unrelated)))?.id).toBe(kept);
  });

  it('stores a prompt once: the same hash again replaces the answer', async () => {
    const tenant = newTenant();
    const first = await cache.store(entry(tenant, prompt));
    const second = await cache.store(entry(tenant, prompt, { response: 'fix(auth): newer answer' }));
    expect(second).toBe(first);
    expect((await cache.lookup(ask(tenant, prompt)))?.response).toBe('fix(auth): newer answer');
  });

  it('erases a tenant’s entries', async () => {
    const tenant = newTenant('user');
    const other = newTenant('user');
    await cache.store(entry(tenant, prompt));
    await cache.store(entry(other, prompt));
    expect(await eraseSemanticCacheTenant(db, tenant)).toBe(1);
    expect(await cache.lookup(ask(tenant, prompt))).toBeNull();
    expect(await cache.lookup(ask(other, prompt))).not.toBeNull();
  });

  it('skips prompts without a direction and refuses malformed calls', async () => {
    const tenant = newTenant();
    const blank = new Float32Array(1536);
    expect(await cache.store({ ...entry(tenant, prompt), embedding: blank })).toBeNull();
    expect(await cache.lookup({ ...ask(tenant, prompt), embedding: blank })).toBeNull();
    await expect(cache.lookup({ ...ask(tenant, prompt), embedding: new Float32Array(512) })).rejects.toThrow(
      RangeError,
    );
    await expect(cache.lookup(ask('acme', prompt))).rejects.toThrow(/org:<uuid> or user:<uuid>/);
    await expect(cache.lookup(ask(tenant, prompt, 0))).rejects.toThrow(RangeError);
    await expect(cache.store(entry(tenant, prompt, { ttlSeconds: 0 }))).rejects.toThrow(RangeError);
    await expect(cache.store(entry(tenant, prompt, { promptHash: 'abc' }))).rejects.toThrow(RangeError);
  });
});

function jobContext() {
  return {
    jobId: randomUUID(),
    retryCount: 0,
    signal: new AbortController().signal,
    log: memoryLog('warn').log,
  };
}
