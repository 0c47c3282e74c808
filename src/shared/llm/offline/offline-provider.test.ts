import { NoSuchModelError } from '@ai-sdk/provider';
import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createKeelOffline } from './offline-provider.js';

describe('createKeelOffline', () => {
  const keelOffline = createKeelOffline();

  it('returns the offline language model by call or by languageModel()', () => {
    for (const model of [
      keelOffline('keel-offline-1'),
      keelOffline(),
      keelOffline.languageModel('keel-offline-1'),
    ]) {
      expect(model).toMatchObject({
        specificationVersion: 'v3',
        provider: 'keel-offline',
        modelId: 'keel-offline-1',
      });
    }
    expect(keelOffline.specificationVersion).toBe('v3');
  });

  it('refuses unknown models and points embeddings to embeddings/offline', () => {
    expect(() => keelOffline('gpt-4o')).toThrow(NoSuchModelError);
    expect(() => keelOffline.embeddingModel('keel-offline-embed')).toThrow(/embeddings\/offline/);
    expect(() => keelOffline.imageModel('x')).toThrow(NoSuchModelError);
  });

  it('answers through the SDK without a network and says it is offline', async () => {
    const result = await generateText({
      model: keelOffline('keel-offline-1'),
      prompt: 'Where should I travel in May?',
    });
    expect(result.text).toMatch(/offline model/);
    expect(result.providerMetadata?.['keel-offline']).toMatchObject({ offline: true, task: 'chat' });
  });
});
