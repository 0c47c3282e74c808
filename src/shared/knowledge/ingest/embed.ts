import type { EmbedRequest, EmbedResult } from '../../llm/index.js';

export type Embed = (request: EmbedRequest) => Promise<EmbedResult>;

/** Texts per embedding call: small enough for progress to move, large enough to batch well. */
export const EMBED_BATCH = 64;

/**
 * Embeds `texts` in llm's text space, `EMBED_BATCH` at a time (llm caches each text by content
 * hash, so a retry or a restore pays only for what changed). `onBatch` gets the fraction done.
 */
export async function embedAll(
  embed: Embed,
  texts: readonly string[],
  caller: EmbedRequest['caller'],
  options: { signal?: AbortSignal; onBatch?: (fraction: number) => Promise<void> | void } = {},
): Promise<{ vectors: Float32Array[]; model: string | null; cached: number; offline: boolean }> {
  const vectors: Float32Array[] = [];
  let model: string | null = null;
  let cached = 0;
  let offline = false;
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    options.signal?.throwIfAborted();
    const result = await embed({
      texts: texts.slice(start, start + EMBED_BATCH),
      space: 'text',
      caller,
      signal: options.signal,
    });
    vectors.push(...result.vectors);
    model = result.model;
    cached += result.cached;
    offline = result.offline;
    await options.onBatch?.(Math.min(1, (start + EMBED_BATCH) / texts.length));
  }
  return { vectors, model, cached, offline };
}
