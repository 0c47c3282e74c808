import { createAnthropic } from '@ai-sdk/anthropic';
import { createGroq } from '@ai-sdk/groq';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModel, LanguageModel } from 'ai';
import type { FakeOpenAI } from './fake-openai.js';
import type { FakeVendor } from './fake-vendor.js';

/*
 * Test support: the real AI SDK clients, pointed at the fakes. One entry per way Keel can reach a
 * vendor, so a test can run the same scenario against every protocol flavour.
 */

export interface SdkClient {
  /** `openai.responses`, `openai.chat`, `openai-compatible`, `groq`, `anthropic`. */
  name: string;
  /** The fake this client talks to (enqueue behaviours here). */
  fake: FakeVendor;
  model: LanguageModel;
  /** The path its model calls hit, e.g. `/v1/chat/completions`. */
  path: string;
  embedding?: EmbeddingModel;
}

export function sdkClients(fakes: { openai: FakeOpenAI; anthropic: FakeVendor }): SdkClient[] {
  const { openai: o, anthropic: a } = fakes;
  const openai = createOpenAI({ baseURL: o.url, apiKey: o.apiKey });
  const compatible = createOpenAICompatible({
    name: 'compatible',
    baseURL: o.url,
    apiKey: o.apiKey,
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
  const groq = createGroq({ baseURL: o.groqUrl, apiKey: o.apiKey });
  const anthropic = createAnthropic({ baseURL: a.url, apiKey: a.apiKey });
  return [
    {
      name: 'openai.responses',
      fake: o,
      model: openai('gpt-4.1'),
      path: '/v1/responses',
      embedding: openai.embedding('text-embedding-3-small'),
    },
    { name: 'openai.chat', fake: o, model: openai.chat('gpt-4o-mini'), path: '/v1/chat/completions' },
    {
      name: 'openai-compatible',
      fake: o,
      model: compatible('local-model'),
      path: '/v1/chat/completions',
      embedding: compatible.embeddingModel('local-embed'),
    },
    { name: 'groq', fake: o, model: groq('llama-3.3-70b-versatile'), path: '/openai/v1/chat/completions' },
    { name: 'anthropic', fake: a, model: anthropic('claude-sonnet-4-5'), path: '/v1/messages' },
  ];
}
