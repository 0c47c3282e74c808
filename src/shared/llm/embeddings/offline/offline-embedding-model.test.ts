import { NoSuchModelError } from '@ai-sdk/provider';
import { cosineSimilarity, embed, embedMany } from 'ai';
import { describe, expect, it } from 'vitest';
import { embedCode } from './code-paths.js';
import { embedText } from './hashed-text.js';
import { offlineEmbeddingModel, sniffCodeValue } from './offline-embedding-model.js';

const PY_ADD = 'def add(a, b):\n    return a + b\n';

describe('offline embedding models through the AI SDK', () => {
  it('embedMany with hashed-text-1536 returns the embedText vectors, in order, with usage and metadata', async () => {
    const values = ['배포가 실패했습니다', 'The deployment failed', ''];
    const result = await embedMany({ model: offlineEmbeddingModel('hashed-text-1536'), values });
    expect(result.embeddings).toHaveLength(3);
    result.embeddings.forEach((embedding, i) => {
      expect(embedding).toEqual(Array.from(embedText(values[i] ?? '')));
    });
    expect(result.usage.tokens).toBe(5);
    expect(result.providerMetadata?.['keel-offline']).toMatchObject({ offline: true, method: 'hashed-text' });
  });

  it('hashed-text-512 embeds into 512 dims', async () => {
    const { embedding } = await embed({ model: offlineEmbeddingModel('hashed-text-512'), value: 'hello' });
    expect(embedding).toHaveLength(512);
  });

  it('code-paths-512 reads each value’s language from its header and reports the method per value', async () => {
    const values = [
      `// path: src/add.ts\nexport const add = (a: number, b: number) => a + b;`,
      `# language: python\n${PY_ADD}`,
      'plain words, no language',
    ];
    const result = await embedMany({ model: offlineEmbeddingModel('code-paths-512'), values });
    expect(result.embeddings.map((e) => e.length)).toEqual([512, 512, 512]);
    expect(result.embeddings[1]).toEqual(Array.from((await embedCode(PY_ADD, 'python')).vector));
    expect(result.providerMetadata?.['keel-offline']).toMatchObject({
      offline: true,
      method: 'mixed',
      methods: ['ast-paths', 'ast-paths', 'text-fallback'],
      languages: ['typescript', 'python', null],
      fallbacks: [{ index: 2, reason: 'unknown-language', language: null }],
    });
  });

  it('code-paths-512 takes the language from the call’s provider options, then from the model settings', async () => {
    const fromCall = await embedMany({
      model: offlineEmbeddingModel('code-paths-512'),
      values: [PY_ADD],
      providerOptions: { 'keel-offline': { language: 'python' } },
    });
    expect(fromCall.providerMetadata?.['keel-offline']).toMatchObject({ method: 'ast-paths' });
    const fromSettings = await embed({
      model: offlineEmbeddingModel('code-paths-512', { language: 'py' }),
      value: PY_ADD,
    });
    expect(fromSettings.embedding).toEqual(fromCall.embeddings[0]);
    expect(cosineSimilarity(fromSettings.embedding, fromSettings.embedding)).toBeCloseTo(1, 5);
  });

  it('stops when the call is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const model = offlineEmbeddingModel('hashed-text-1536');
    await expect(model.doEmbed({ values: ['a'], abortSignal: controller.signal })).rejects.toThrow('stop');
  });

  it('has the v3 shape and refuses unknown model ids', () => {
    const model = offlineEmbeddingModel('code-paths-512');
    expect(model).toMatchObject({
      specificationVersion: 'v3',
      provider: 'keel-offline',
      modelId: 'code-paths-512',
    });
    expect(() => offlineEmbeddingModel('hashed-text-768')).toThrow(NoSuchModelError);
  });
});

describe('sniffCodeValue', () => {
  it('reads and removes a path or language header', () => {
    expect(sniffCodeValue('// path: lib/x.go\npackage x')).toEqual({
      source: 'package x',
      language: 'go',
      header: true,
    });
    expect(sniffCodeValue('/* file: A.java */\nclass A {}')).toMatchObject({
      language: 'java',
      source: 'class A {}',
    });
    expect(sniffCodeValue('-- lang: ts\r\nlet a = 1')).toMatchObject({
      language: 'typescript',
      source: 'let a = 1',
    });
  });

  it('treats a header naming no language as "not code" and keeps a shebang line', () => {
    expect(sniffCodeValue('# path: README.md\n# Title')).toEqual({ source: '# Title', header: true });
    expect(sniffCodeValue('#!/usr/bin/env ruby\nputs 1')).toEqual({
      source: '#!/usr/bin/env ruby\nputs 1',
      language: 'ruby',
      header: false,
    });
    expect(sniffCodeValue('x = 1')).toEqual({ source: 'x = 1', header: false });
  });
});
