import { tool } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testSecrets } from '../../../../test/support/app.js';
import { testDatabases } from '../../../../test/support/db.js';
import { type LogLine, memoryLog } from '../../../../test/support/jobs.js';
import { parseConfig } from '../../../kernel/config/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { allModules, moduleContextOf } from '../../../modules.js';
import { rollUpUsage } from '../jobs/usage-rollup.job.js';
import { type LlmServices, llmServices } from '../llm.context.js';
import { countTokens } from '../offline/tokens.js';
import type { ProviderRow } from '../registry/registry.types.js';
import { startFakeAnthropic } from '../testing/fake-anthropic.js';
import { type FakeOpenAI, startFakeOpenAI } from '../testing/fake-openai.js';
import type { FakeVendor } from '../testing/fake-vendor.js';
import type { LlmRequest, LlmStreamEvent } from './gateway.js';

const collect = async (events: AsyncIterable<LlmStreamEvent>) => {
  const out: LlmStreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
};

const offlineProviderId = '00000000-0000-4000-8000-00000000f001';

describe.each(testDatabases)('LLM gateway ($kind)', (target) => {
  let db: Database;
  let drop: () => Promise<void>;
  let llm: LlmServices;
  let openai: FakeOpenAI;
  let anthropic: FakeVendor;
  let primary: ProviderRow;
  let lines: LogLine[];
  const keys: Record<string, string> = {};

  const call = (overrides: Partial<LlmRequest> = {}): LlmRequest => ({
    feature: 'test.chat',
    caller: { userId: null, orgId: null, planKey: 'free' },
    prompt: 'Say hello',
    timeoutMs: 5_000,
    ...overrides,
  });
  const rows = async (requestId: string) => {
    await llm.meter.flush();
    return db.query<{
      provider: string;
      status: string;
      error: string | null;
      prompt_tokens: number;
      completion_tokens: number;
      cost_usd: string;
      key_id: string | null;
    }>(
      `select provider, status, error, prompt_tokens, completion_tokens, cost_usd::text, key_id from llm.requests
       where request_id = $1 order by attempt`,
      [requestId],
    );
  };

  beforeAll(async () => {
    const opened = await target.open();
    db = opened.db;
    drop = opened.drop;
    openai = await startFakeOpenAI({ apiKeys: ['sk-openai-primary-1111', 'sk-openai-second-2222'] });
    anthropic = await startFakeAnthropic({ apiKeys: ['sk-ant-backup-3333'] });
    const captured = memoryLog('debug');
    lines = captured.lines;
    const ctx = moduleContextOf(allModules, {
      config: parseConfig({ DATABASE_URL: 'memory://' }),
      db,
      log: captured.log,
      secrets: testSecrets(),
    });
    llm = llmServices(ctx, { backoffMs: 1, maxBackoffMs: 20, breaker: { threshold: 50 } });
    primary = await llm.registry.createProvider({
      name: 'openai-main',
      displayName: 'OpenAI',
      kind: 'openai',
      baseUrl: openai.url,
      priority: 10,
    });
    const backup = await llm.registry.createProvider({
      name: 'anthropic-backup',
      displayName: 'Anthropic',
      kind: 'anthropic',
      baseUrl: anthropic.url,
      priority: 20,
    });
    keys.first = (
      await llm.registry.addKey(primary.id, {
        name: 'first',
        key: 'sk-openai-primary-1111',
        priority: 1,
        monthlyBudgetUsd: null,
      })
    ).id;
    keys.second = (
      await llm.registry.addKey(primary.id, {
        name: 'second',
        key: 'sk-openai-second-2222',
        priority: 2,
        monthlyBudgetUsd: null,
      })
    ).id;
    await llm.registry.addKey(backup.id, {
      name: 'backup',
      key: 'sk-ant-backup-3333',
      priority: 1,
      monthlyBudgetUsd: null,
    });
    const gpt = await llm.registry.createModel({
      providerId: primary.id,
      name: 'gpt-4o-mini',
      displayName: 'GPT-4o mini',
      contextWindow: 128_000,
      inputPricePerMtok: 0.15,
      outputPricePerMtok: 0.6,
      cachedInputPricePerMtok: 0.075,
      capabilities: ['chat', 'tools', 'json'],
      embeddingDims: null,
    });
    const claude = await llm.registry.createModel({
      providerId: backup.id,
      name: 'claude-3-5-haiku-latest',
      displayName: 'Claude Haiku',
      contextWindow: 200_000,
      inputPricePerMtok: 0.8,
      outputPricePerMtok: 4,
      cachedInputPricePerMtok: null,
      capabilities: ['chat', 'tools', 'json'],
      embeddingDims: null,
    });
    for (const [model, priority] of [
      [gpt.id, 10],
      [claude.id, 20],
    ] as const) {
      await llm.registry.createRule({
        feature: 'test.chat',
        planKey: null,
        orgId: null,
        modelId: model,
        priority,
        weight: 100,
        experiment: null,
      });
    }
  });
  afterEach(() => {
    openai.reset();
    anthropic.reset();
  });
  afterAll(async () => {
    await openai?.close();
    await anthropic?.close();
    await drop?.();
  });

  it('answers from the first provider and meters the call with the provider usage and its cost', async () => {
    openai.enqueue({ reply: 'Hello there', usage: { input: 1000, output: 200, cached: 400 } });
    const result = await llm.gateway.generate(call());
    expect(result).toMatchObject({
      text: 'Hello there',
      provider: 'openai-main',
      model: 'gpt-4o-mini',
      offline: false,
      attempts: 1,
    });
    expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400 });
    // 600 × 0.15 + 400 × 0.075 + 200 × 0.6, per million
    expect(result.costUsd).toBeCloseTo(0.00024, 10);
    const [row] = await rows(result.requestId);
    expect(row).toMatchObject({
      provider: 'openai-main',
      status: 'ok',
      prompt_tokens: 1000,
      completion_tokens: 200,
      key_id: keys.first,
    });
    expect(Number(row?.cost_usd)).toBeCloseTo(0.00024, 10);
    expect(openai.requests[0]?.headers.authorization).toBe('Bearer sk-openai-primary-1111');
  });

  it('retries a 429 on the same provider, then succeeds', async () => {
    openai.enqueue({ status: 429, retryAfterMs: 5 }, { reply: 'after the wait' });
    const result = await llm.gateway.generate(call());
    expect(result).toMatchObject({ text: 'after the wait', provider: 'openai-main', attempts: 2 });
    expect((await rows(result.requestId)).map((r) => [r.status, r.error])).toEqual([
      ['error', 'rate limited (429)'],
      ['ok', null],
    ]);
  });

  it('falls over to the next provider on 500s, on a timeout, and on a malformed answer', async () => {
    openai.enqueue(
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    );
    const afterErrors = await llm.gateway.generate(call());
    expect(afterErrors.provider).toBe('anthropic-backup');
    // Two keys of the first provider, each tried three times (two retries), then the backup.
    expect(afterErrors.attempts).toBe(7);
    openai.reset();

    openai.enqueue({ hang: true }, { hang: true });
    const afterTimeout = await llm.gateway.generate(call({ timeoutMs: 300 }));
    expect(afterTimeout.provider).toBe('anthropic-backup');
    expect((await rows(afterTimeout.requestId)).filter((r) => r.error === 'timeout')).toHaveLength(2);
    await openai.waitForIdle();
    openai.reset();

    openai.enqueue({ malformed: true }, { malformed: true });
    const afterMalformed = await llm.gateway.generate(call());
    expect(afterMalformed.provider).toBe('anthropic-backup');
  });

  it('skips a key over its monthly budget', async () => {
    await llm.registry.updateKey(keys.first as string, { monthlyBudgetUsd: 0.000001 });
    await db.query(
      `update llm.api_keys set current_usage_usd = 1, usage_month = date_trunc('month', now())::date where id = $1`,
      [keys.first],
    );
    llm.cache.invalidate();
    try {
      const result = await llm.gateway.generate(call());
      expect((await rows(result.requestId))[0]?.key_id).toBe(keys.second);
      expect(openai.requests[0]?.headers.authorization).toBe('Bearer sk-openai-second-2222');
    } finally {
      await llm.registry.updateKey(keys.first as string, { monthlyBudgetUsd: null });
    }
  });

  it('answers 503 and logs the failure when every provider is down', async () => {
    await llm.registry.updateProvider(offlineProviderId, { status: 'inactive' });
    try {
      openai.setDefault({ status: 503 });
      anthropic.setDefault({ status: 529 });
      const error = await llm.gateway.generate(call()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeelError);
      expect((error as KeelError).status).toBe(503);
      expect((error as KeelError).details?.attempts).toHaveLength(9);
      expect(lines.some((l) => l.msg === 'every LLM provider failed')).toBe(true);
    } finally {
      await llm.registry.updateProvider(offlineProviderId, { status: 'active' });
    }
  });

  it("falls back to Keel's offline provider, which says it is offline", async () => {
    openai.setDefault({ status: 500 });
    anthropic.setDefault({ status: 500 });
    const result = await llm.gateway.generate(call({ prompt: 'What can you do?' }));
    expect(result).toMatchObject({ provider: 'keel-offline', model: 'keel-offline-1', offline: true });
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('streams, falls over before the first token, and ends a stream cut mid-way with the tokens seen', async () => {
    openai.enqueue({ reply: 'one two three four five' });
    const ok = await collect(llm.gateway.stream(call()));
    expect(ok[0]).toMatchObject({ type: 'start', provider: 'openai-main' });
    expect(
      ok
        .filter((e) => e.type === 'text')
        .map((e) => (e.type === 'text' ? e.delta : ''))
        .join(''),
    ).toBe('one two three four five');
    expect(ok.at(-1)).toMatchObject({ type: 'finish' });

    openai.enqueue(
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    );
    const fellOver = await collect(llm.gateway.stream(call()));
    expect(fellOver[0]).toMatchObject({ type: 'start', provider: 'anthropic-backup' });
    expect(fellOver.at(-1)?.type).toBe('finish');
    openai.reset();

    openai.enqueue({ reply: 'alpha beta gamma delta epsilon zeta eta theta', cutAfterChunks: 3 });
    const cut = await collect(llm.gateway.stream(call()));
    const last = cut.at(-1);
    expect(last?.type).toBe('error');
    const seenText = cut
      .filter((e) => e.type === 'text')
      .map((e) => (e.type === 'text' ? e.delta : ''))
      .join('');
    expect(seenText.length).toBeGreaterThan(0);
    if (last?.type !== 'error') throw new Error('expected an error event');
    expect(last.usage.outputTokens).toBe(countTokens(seenText));
    const [row] = await rows(last.requestId);
    expect(row?.status).toBe('error');
    expect(row?.error).toMatch(/^cut after \d+ tokens/);
    expect(lines.some((l) => l.msg === 'LLM stream cut')).toBe(true);
  });

  it('lets a slow but steady stream run past the timeout, and ends one that goes silent', async () => {
    openai.enqueue({ reply: 'a b c d e f g h', chunkDelayMs: 80 });
    const steady = await collect(llm.gateway.stream(call({ timeoutMs: 300 })));
    expect(steady.at(-1)?.type).toBe('finish');
    openai.enqueue({ reply: 'a b c d e f g h', stallAfterChunks: 2 });
    const silent = await collect(llm.gateway.stream(call({ timeoutMs: 300 })));
    const last = silent.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.type === 'error' && last.message).toMatch(/timeout/);
    await openai.waitForIdle();
  });

  it('holds budgets exactly under concurrent calls and refuses with 402 naming the limit', async () => {
    const userId = '11111111-2222-4333-8444-555555555555';
    const prompt = 'Budgeted question';
    const maxOutputTokens = 100;
    // Every call costs exactly its worst case: the prompt's tokens and all 100 output tokens.
    const perCall = (countTokens(prompt) * 0.15 + maxOutputTokens * 0.6) / 1_000_000;
    await db.query(
      `insert into llm.budgets (subject_kind, subject_id, monthly_limit_usd, month)
       values ('user', $1, $2, date_trunc('month', now())::date)`,
      [userId, perCall * 5 + perCall / 2],
    );
    openai.setDefault({ delayMs: 50, usage: { input: countTokens(prompt), output: maxOutputTokens } });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        llm.gateway.generate(
          call({ prompt, maxOutputTokens, caller: { userId, orgId: null, planKey: 'free' } }),
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => (r as PromiseRejectedResult).reason as KeelError);
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(7);
    expect(refused[0]?.status).toBe(402);
    expect(refused[0]?.details).toMatchObject({ limit: 'user_monthly_budget' });
    const [budget] = await db.query<{ spent: number; reserved: number }>(
      `select spent_usd::float8 as spent, reserved_usd::float8 as reserved from llm.budgets where subject_id = $1`,
      [userId],
    );
    expect(budget?.reserved).toBeCloseTo(0, 9);
    // What was booked is what the calls cost, as metered.
    await llm.meter.flush();
    const [metered] = await db.query<{ cost: number }>(
      `select coalesce(sum(cost_usd), 0)::float8 as cost from llm.requests where user_id = $1`,
      [userId],
    );
    expect(budget?.spent).toBeCloseTo(metered?.cost ?? -1, 9);
    expect(budget?.spent).toBeLessThanOrEqual(perCall * 5 + 1e-12);
  });

  it('returns structured output and tool calls through the same path', async () => {
    openai.enqueue({ json: { city: 'Jeonju', days: 2 } });
    const structured = await llm.gateway.generate(
      call({
        schema: z.object({ city: z.string(), days: z.number().int() }),
        prompt: 'Plan a short trip as JSON',
      }),
    );
    expect(structured.object).toEqual({ city: 'Jeonju', days: 2 });

    openai.enqueue({ toolCall: { name: 'weather', args: { city: 'Seoul' } } });
    const withTools = await llm.gateway.generate(
      call({
        prompt: 'What is the weather in Seoul?',
        tools: {
          weather: tool({ description: 'Weather in a city', inputSchema: z.object({ city: z.string() }) }),
        },
      }),
    );
    expect(withTools.toolCalls).toEqual([{ toolName: 'weather', input: { city: 'Seoul' } }]);
  });

  it('stores prompt texts only for orgs that allow it, else a hash and the token counts', async () => {
    const allowing = '22222222-3333-4444-8555-666666666666';
    await db.query(
      `insert into llm.budgets (subject_kind, subject_id, monthly_limit_usd, store_prompts, month)
       values ('org', $1, 100, true, date_trunc('month', now())::date)`,
      [allowing],
    );
    const stored = await llm.gateway.generate(
      call({ prompt: 'Keep this text', caller: { userId: null, orgId: allowing, planKey: 'org' } }),
    );
    const hashed = await llm.gateway.generate(call({ prompt: 'Do not keep this text' }));
    await llm.meter.flush();
    const texts = await db.query<{
      request_id: string;
      prompt_text: string | null;
      prompt_hash: string;
      prompt_tokens: number;
    }>(
      'select request_id, prompt_text, prompt_hash, prompt_tokens from llm.requests where request_id = any($1::uuid[])',
      [[stored.requestId, hashed.requestId]],
    );
    const byId = new Map(texts.map((t) => [t.request_id, t]));
    expect(byId.get(stored.requestId)?.prompt_text).toBe('Keep this text');
    expect(byId.get(hashed.requestId)?.prompt_text).toBeNull();
    expect(byId.get(hashed.requestId)?.prompt_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(byId.get(hashed.requestId)?.prompt_tokens).toBeGreaterThan(0);
  });

  it('rolls the request log up per day, provider and model, and raises one cost alert per month', async () => {
    const org = '33333333-4444-4555-8666-777777777777';
    await db.query(
      `insert into llm.budgets (subject_kind, subject_id, monthly_limit_usd, alert_threshold_usd, month, spent_usd)
       values ('org', $1, 10, 1, date_trunc('month', now())::date, 2)`,
      [org],
    );
    await llm.meter.flush();
    const first = await rollUpUsage(db, llm.ctx.log);
    const again = await rollUpUsage(db, llm.ctx.log);
    expect(first.alerts).toBe(1);
    expect(again.alerts).toBe(0);
    expect(again.rows).toBe(first.rows);
    const [daily] = await db.query<{ requests: number; cost: number }>(
      `select sum(total_requests)::int as requests, sum(estimated_cost_usd)::float8 as cost from llm.daily_usage
       where provider = 'openai-main'`,
    );
    const [direct] = await db.query<{ requests: number; cost: number }>(
      `select count(distinct request_id) filter (where status = 'ok')::int as requests, sum(cost_usd)::float8 as cost
       from llm.requests where provider = 'openai-main'`,
    );
    expect(daily).toEqual(direct);
    expect(lines.some((l) => String(l.msg).startsWith('LLM cost alert'))).toBe(true);
  });

  it('reuses an answer for the same tenant and feature (semantic cache), never across tenants', async () => {
    const orgA = '44444444-5555-4666-8777-888888888888';
    const orgB = '55555555-6666-4777-8888-999999999999';
    const ask = (orgId: string, prompt: string) =>
      llm.gateway.generate(call({ prompt, cache: {}, caller: { userId: null, orgId, planKey: 'free' } }));
    openai.setDefault({ reply: 'Visit Gyeongju in spring.', usage: { input: 50, output: 20 } });
    const first = await ask(orgA, 'Where should I travel in Korea in April?');
    expect(first.cached).toBe(false);
    const again = await ask(orgA, 'Where should I travel in Korea in April?');
    const otherTenant = await ask(orgB, 'Where should I travel in Korea in April?');
    expect(otherTenant.cached).toBe(false);
    if (!(await llm.semanticCache.available())) {
      // A server without pgvector: the cache is off and every call reaches the model.
      expect(again.cached).toBe(false);
      return;
    }
    expect(again).toMatchObject({ cached: true, text: 'Visit Gyeongju in spring.', costUsd: 0, attempts: 0 });
    const [row] = await rows(again.requestId);
    expect(row?.status).toBe('ok');
    const [hit] = await db.query<{ cache_hit: boolean; saved: number }>(
      'select cache_hit, saved_usd::float8 as saved from llm.requests where request_id = $1',
      [again.requestId],
    );
    expect(hit?.cache_hit).toBe(true);
    // numeric(14, 6): the saving is kept to the micro-dollar.
    expect(Math.abs((hit?.saved ?? -1) - first.costUsd)).toBeLessThanOrEqual(0.000_000_5 + 1e-12);
    const unrelated = await ask(orgA, 'How do I rotate the encryption keys?');
    expect(unrelated.cached).toBe(false);
    expect(lines.some((l) => l.msg === 'semantic cache hit')).toBe(true);
  });

  it('never writes a provider key into a log line', () => {
    const text = JSON.stringify(lines);
    for (const key of ['sk-openai-primary-1111', 'sk-openai-second-2222', 'sk-ant-backup-3333'])
      expect(text).not.toContain(key);
  });
});
