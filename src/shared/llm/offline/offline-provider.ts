import { type LanguageModelV3, NoSuchModelError, type ProviderV3 } from '@ai-sdk/provider';
import {
  createOfflineLanguageModel,
  OFFLINE_MODEL_ID,
  OFFLINE_PROVIDER,
  type OfflineModelSettings,
} from './offline-language-model.js';

/** The offline provider: `keelOffline('keel-offline-1')` or `keelOffline.languageModel(…)`. */
export interface KeelOfflineProvider extends ProviderV3 {
  (modelId?: string): LanguageModelV3;
  languageModel(modelId?: string): LanguageModelV3;
}

/**
 * Keel's offline provider, the one `npm start` uses with no keys. Language models only: the
 * offline embedding models live in src/shared/llm/embeddings/offline/.
 *
 * @example
 * const keelOffline = createKeelOffline();
 * const { text, providerMetadata } = await generateText({ model: keelOffline('keel-offline-1'), prompt: diff });
 * providerMetadata?.['keel-offline']?.offline; // true
 */
export function createKeelOffline(settings: OfflineModelSettings = {}): KeelOfflineProvider {
  const provider = function keelOffline(modelId: string = OFFLINE_MODEL_ID) {
    return createOfflineLanguageModel(modelId, settings);
  } as KeelOfflineProvider;
  Object.assign(provider, {
    specificationVersion: 'v3' as const,
    languageModel: (modelId: string = OFFLINE_MODEL_ID) => createOfflineLanguageModel(modelId, settings),
    embeddingModel(modelId: string): never {
      throw new NoSuchModelError({
        modelId,
        modelType: 'embeddingModel',
        message: `${OFFLINE_PROVIDER} has no embedding models: the offline embedding models are in src/shared/llm/embeddings/offline (see embeddings/offline).`,
      });
    },
    imageModel(modelId: string): never {
      throw new NoSuchModelError({
        modelId,
        modelType: 'imageModel',
        message: `${OFFLINE_PROVIDER} has no image models.`,
      });
    },
  });
  return provider;
}
