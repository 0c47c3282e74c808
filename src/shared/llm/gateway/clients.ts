import { createAnthropic } from '@ai-sdk/anthropic';
import { createGroq } from '@ai-sdk/groq';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModelV3, LanguageModelV3 } from '@ai-sdk/provider';
import type { KeyRow, ModelRow, ProviderRow } from '../registry/registry.types.js';

/** Keel's own models, which need no key (the offline provider). */
export interface OfflineModels {
  language(modelId: string): LanguageModelV3;
  embedding(modelId: string): EmbeddingModelV3;
}

/**
 * SDK model objects for registry rows, built once per provider, key and model: building a
 * provider client per call would cost more than the gateway is allowed to add.
 */
export interface ModelClients {
  language(
    provider: ProviderRow,
    key: KeyRow | null,
    apiKey: string | null,
    model: ModelRow,
  ): LanguageModelV3;
  embedding(
    provider: ProviderRow,
    key: KeyRow | null,
    apiKey: string | null,
    model: ModelRow,
  ): EmbeddingModelV3;
  /** Forget clients of a provider or key whose settings changed. */
  clear(): void;
}

export function createModelClients(offline: OfflineModels): ModelClients {
  const language = new Map<string, LanguageModelV3>();
  const embedding = new Map<string, EmbeddingModelV3>();
  const cacheKey = (provider: ProviderRow, key: KeyRow | null, model: ModelRow) =>
    `${provider.id}|${provider.baseUrl ?? ''}|${key?.id ?? ''}|${model.name}`;

  return {
    language(provider, key, apiKey, model) {
      const id = cacheKey(provider, key, model);
      let client = language.get(id);
      if (!client) {
        client = languageModelOf(provider, apiKey, model.name, offline);
        language.set(id, client);
      }
      return client;
    },
    embedding(provider, key, apiKey, model) {
      const id = cacheKey(provider, key, model);
      let client = embedding.get(id);
      if (!client) {
        client = embeddingModelOf(provider, apiKey, model.name, offline);
        embedding.set(id, client);
      }
      return client;
    },
    clear() {
      language.clear();
      embedding.clear();
    },
  };
}

const baseURL = (provider: ProviderRow) => provider.baseUrl ?? undefined;

function languageModelOf(
  provider: ProviderRow,
  apiKey: string | null,
  modelName: string,
  offline: OfflineModels,
): LanguageModelV3 {
  const key = apiKey ?? '';
  switch (provider.kind) {
    case 'offline':
      return offline.language(modelName);
    case 'openai':
      // Chat Completions, not the Responses API: every OpenAI-compatible server speaks it too.
      return createOpenAI({ apiKey: key, baseURL: baseURL(provider) }).chat(modelName);
    case 'anthropic':
      return createAnthropic({ apiKey: key, baseURL: baseURL(provider) })(modelName);
    case 'groq':
      return createGroq({ apiKey: key, baseURL: baseURL(provider) })(modelName);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: provider.name,
        baseURL: provider.baseUrl ?? 'http://127.0.0.1:11434/v1',
        apiKey: apiKey ?? undefined,
        includeUsage: true,
      }).chatModel(modelName);
  }
}

function embeddingModelOf(
  provider: ProviderRow,
  apiKey: string | null,
  modelName: string,
  offline: OfflineModels,
): EmbeddingModelV3 {
  switch (provider.kind) {
    case 'offline':
      return offline.embedding(modelName);
    case 'openai':
      return createOpenAI({ apiKey: apiKey ?? '', baseURL: baseURL(provider) }).embedding(modelName);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: provider.name,
        baseURL: provider.baseUrl ?? 'http://127.0.0.1:11434/v1',
        apiKey: apiKey ?? undefined,
      }).embeddingModel(modelName);
    default:
      throw new Error(`${provider.kind} serves no embedding models`);
  }
}
