import { randomBytes } from 'node:crypto';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import { parseConfig } from '../src/kernel/config/index.js';
import { createKeyRing, hmacKeyFrom } from '../src/kernel/crypto/index.js';
import { migrate, openPglite, readMigrations } from '../src/kernel/db/index.js';
import { createLog } from '../src/kernel/log/index.js';
import { allModules, migrationSources, moduleContextOf } from '../src/modules.js';
import { llmServices } from '../src/shared/llm/llm.context.js';
import { startFakeOpenAI } from '../src/shared/llm/testing/fake-openai.js';
import { type BenchResult, median } from './support.js';

const calls = 400;
const rounds = 3;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * The gateway's own cost: the same non-streaming call to a loopback OpenAI-compatible server,
 * made by the AI SDK directly and through Keel's gateway (routing, budget hold, retries and
 * fallback machinery, metering into the database), alternating in one process.
 */
export async function llmBench(): Promise<BenchResult> {
  const fake = await startFakeOpenAI({ apiKeys: ['sk-bench-key-0000'], record: false });
  const db = await openPglite(null);
  try {
    const log = createLog({ svc: 'bench-llm', level: 'warn' });
    await migrate(db, readMigrations(migrationSources(allModules)), log);
    const secrets = {
      ring: createKeyRing([{ id: 'b1', key: randomBytes(32) }]),
      hmacKey: hmacKeyFrom(randomBytes(32)),
      source: 'env' as const,
    };
    const ctx = moduleContextOf(allModules, {
      config: parseConfig({ DATABASE_URL: 'memory://' }),
      db,
      log,
      secrets,
    });
    const llm = llmServices(ctx);
    const provider = await llm.registry.createProvider({
      name: 'bench-openai',
      displayName: 'Bench',
      kind: 'openai-compatible',
      baseUrl: fake.url,
      priority: 1,
    });
    await llm.registry.addKey(provider.id, {
      name: 'k',
      key: 'sk-bench-key-0000',
      priority: 1,
      monthlyBudgetUsd: null,
    });
    const model = await llm.registry.createModel({
      providerId: provider.id,
      name: 'gpt-4o-mini',
      displayName: 'bench',
      contextWindow: null,
      inputPricePerMtok: 0.15,
      outputPricePerMtok: 0.6,
      cachedInputPricePerMtok: null,
      capabilities: ['chat'],
      embeddingDims: null,
    });
    await llm.registry.createRule({
      feature: 'bench',
      planKey: null,
      orgId: null,
      modelId: model.id,
      priority: 1,
      weight: 100,
      experiment: null,
    });

    const direct = createOpenAI({ apiKey: 'sk-bench-key-0000', baseURL: fake.url }).chat('gpt-4o-mini');
    const viaSdk = async () => {
      const started = performance.now();
      await generateText({ model: direct, prompt: 'Say hello', maxRetries: 0 });
      return performance.now() - started;
    };
    const viaKeel = async () => {
      const started = performance.now();
      await llm.gateway.generate({
        feature: 'bench',
        caller: { userId: '00000000-0000-4000-8000-0000000000b1', orgId: null, planKey: 'free' },
        prompt: 'Say hello',
      });
      return performance.now() - started;
    };
    for (let i = 0; i < 100; i++) {
      await viaSdk();
      await viaKeel();
    }
    const added: number[] = [];
    const sdkP50: number[] = [];
    const keelP50: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const sdk: number[] = [];
      const keel: number[] = [];
      for (let i = 0; i < calls; i++) {
        sdk.push(await viaSdk());
        keel.push(await viaKeel());
      }
      sdkP50.push(percentile(sdk, 50));
      keelP50.push(percentile(keel, 50));
      added.push(percentile(keel, 50) - percentile(sdk, 50));
    }
    await llm.meter.flush();
    const overhead = median(added);
    return {
      name: 'LLM gateway overhead',
      method: `A loopback OpenAI-compatible server (src/shared/llm/testing/fake-openai.ts); the same non-streaming call made ${calls} times per round by the AI SDK directly and through Keel's gateway (routing, budget hold, retry/fallback machinery, metering into an in-memory PGlite), alternating call by call, ${rounds} rounds after 100 warm-up pairs. Added latency = p50(Keel) − p50(SDK) per round; the median of rounds.`,
      rows: [
        { measure: 'SDK direct, p50', value: `${median(sdkP50).toFixed(2)} ms` },
        { measure: 'through the gateway, p50', value: `${median(keelP50).toFixed(2)} ms` },
        {
          measure: 'added by the gateway, p50',
          value: `${overhead.toFixed(2)} ms (rounds: ${added.map((a) => a.toFixed(2)).join(', ')})`,
          target: '< 2 ms',
          pass: overhead < 2,
        },
      ],
    };
  } finally {
    await fake.close();
    await db.close();
  }
}
