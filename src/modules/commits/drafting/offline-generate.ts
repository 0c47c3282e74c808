import { generateText, Output } from 'ai';
import { createKeelOffline } from '../../../shared/llm/index.js';
import type { Generate } from './draft.js';

/**
 * Model calls answered by Keel's offline provider in this process: the CLI drafts without a
 * server, a database or a key. The server goes through the LLM gateway instead.
 */
export function offlineGenerate(): Generate {
  const model = createKeelOffline()('keel-offline-1');
  return async (request) => {
    const result = await generateText({
      model,
      ...(request.system ? { system: request.system } : {}),
      prompt: request.prompt ?? '',
      ...(request.schema ? { output: Output.object({ schema: request.schema }) } : {}),
      ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
      ...(request.providerOptions ? { providerOptions: request.providerOptions } : {}),
      ...(request.signal ? { abortSignal: request.signal } : {}),
    });
    return {
      object: request.schema ? result.output : null,
      offline: true,
      provider: 'keel-offline',
      model: 'keel-offline-1',
      requestId: '',
    };
  };
}
