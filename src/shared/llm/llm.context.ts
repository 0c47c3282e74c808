import { generateText } from 'ai';
import { type ModuleContext, servicesPerContext } from '../../kernel/module/index.js';
import { createSemanticCache, type SemanticCache } from './cache/index.js';
import { offlineEmbeddingModel } from './embeddings/offline/index.js';
import { type Breakers, createBreakers } from './gateway/breaker.js';
import { createModelClients, type ModelClients } from './gateway/clients.js';
import { createEmbedder, type EmbedRequest, type EmbedResult } from './gateway/embed.js';
import { createLlmGateway, type GatewayDeps, type LlmGateway } from './gateway/gateway.js';
import { createMeter, type Meter } from './metering/meter.js';
import { createKeelOffline } from './offline/index.js';
import { createRegistryCache, type RegistryCache } from './registry/registry.cache.js';
import { createRegistryService, type RegistryService } from './registry/registry.service.js';
import type { KeyRow, ModelRow } from './registry/registry.types.js';

/** The LLM module's services, one set per process (the breakers and caches must be shared). */
export interface LlmServices {
  ctx: ModuleContext;
  gateway: LlmGateway;
  registry: RegistryService;
  cache: RegistryCache;
  clients: ModelClients;
  breakers: Breakers;
  meter: Meter;
  /** Seed 001 P-6: answers reused for close-enough prompts, per feature and tenant. */
  semanticCache: SemanticCache;
  /** Embeddings in seed 001 §8's spaces, cached by content hash. */
  embed: (request: EmbedRequest) => Promise<EmbedResult>;
  /** A one-token call through one key, for the admin's "test this key" button. */
  testKey(key: KeyRow, model: ModelRow): Promise<void>;
}

/** Test seams: a fake clock and sleep, quicker breakers. */
export type LlmOptions = Pick<GatewayDeps, 'maxRetries' | 'backoffMs' | 'maxBackoffMs' | 'sleep' | 'now'> & {
  breaker?: Parameters<typeof createBreakers>[0];
};

export const llmServices = servicesPerContext((ctx: ModuleContext, options: LlmOptions = {}): LlmServices => {
  const { db, secrets, log } = ctx;
  const cache = createRegistryCache({ db, secrets });
  const offline = createKeelOffline();
  const clients = createModelClients({
    language: (modelId) => offline.languageModel(modelId),
    embedding: (modelId) => offlineEmbeddingModel(modelId),
  });
  const breakers = createBreakers(options.breaker);
  const meter = createMeter({ db, log });
  const { breaker: _breaker, ...gatewayOptions } = options;
  const embed = createEmbedder({ db, log, registry: cache, clients, breakers, meter, now: options.now });
  const semanticCache = createSemanticCache({ db, log });
  const services: LlmServices = {
    ctx,
    cache,
    clients,
    breakers,
    meter,
    registry: createRegistryService({ db, secrets, cache }),
    semanticCache,
    gateway: createLlmGateway({
      log,
      registry: cache,
      clients,
      breakers,
      meter,
      ...gatewayOptions,
      semantic: {
        cache: semanticCache,
        async embed(text, caller) {
          const result = await embed({ texts: [text], space: 'text', caller });
          return { vector: result.vectors[0] as Float32Array, model: result.model };
        },
      },
    }),
    embed,
    async testKey(key, model) {
      const snapshot = await cache.snapshot();
      const provider = snapshot.providers.get(key.providerId);
      if (!provider) throw new Error('the key has no provider');
      await generateText({
        model: clients.language(provider, key, cache.apiKeyOf(key), model),
        prompt: 'ping',
        maxOutputTokens: 1,
        maxRetries: 0,
        abortSignal: AbortSignal.timeout(15_000),
      });
    },
  };
  return services;
});
