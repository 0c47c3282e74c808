import {
  type EmbeddingModelV3,
  type EmbeddingModelV3CallOptions,
  type EmbeddingModelV3Result,
  type JSONValue,
  NoSuchModelError,
} from '@ai-sdk/provider';
import { CODE_DIMS, CODE_PATHS_VERSION, type CodeEmbedding, embedCode } from './code-paths.js';
import { HASHED_TEXT_VERSION, hashText } from './hashed-text.js';
import { type CodeLanguage, languageOf, languageOfShebang, resolveLanguage } from './languages.js';

/** The provider name in logs, errors and `providerMetadata`. */
export const OFFLINE_PROVIDER = 'keel-offline';

export const OFFLINE_EMBEDDING_MODEL_IDS = ['hashed-text-1536', 'hashed-text-512', 'code-paths-512'] as const;
export type OfflineEmbeddingModelId = (typeof OFFLINE_EMBEDDING_MODEL_IDS)[number];

export interface OfflineCodeModelSettings {
  /** Language of values that name none themselves (see {@link sniffCodeValue}). */
  language?: string;
}

/** Work done between two yields to the event loop, so a large batch does not stall the server. */
const SLICE_MS = 20;

/** The SDK wants `number[]`; an indexed copy is ~10× faster than `Array.from` on a typed array. */
function toNumbers(vector: Float32Array): number[] {
  const numbers = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) numbers[i] = vector[i] as number;
  return numbers;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `embedOne` over the values, yielding to the event loop every {@link SLICE_MS} and
 * stopping with the signal's reason when `abortSignal` fires.
 */
async function embedAll<T>(
  values: string[],
  abortSignal: AbortSignal | undefined,
  embedOne: (value: string) => T | Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let sliceStart = performance.now();
  for (const value of values) {
    abortSignal?.throwIfAborted();
    results.push(await embedOne(value));
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  abortSignal?.throwIfAborted();
  return results;
}

/**
 * The feature-hashed text embedding as an AI SDK embedding model: `hashed-text-1536` (the text
 * space) or `hashed-text-512`. `usage.tokens` counts words.
 */
export function createHashedTextModel(dims: 1536 | 512): EmbeddingModelV3 {
  const modelId = `hashed-text-${dims}`;
  return {
    specificationVersion: 'v3',
    provider: OFFLINE_PROVIDER,
    modelId,
    maxEmbeddingsPerCall: Number.POSITIVE_INFINITY,
    supportsParallelCalls: true,
    async doEmbed({ values, abortSignal }: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
      let tokens = 0;
      const embeddings = await embedAll(values, abortSignal, (value) => {
        const hashed = hashText(value, dims);
        tokens += hashed.tokens;
        return toNumbers(hashed.vector);
      });
      return {
        embeddings,
        usage: { tokens },
        providerMetadata: {
          [OFFLINE_PROVIDER]: { offline: true, method: 'hashed-text', version: HASHED_TEXT_VERSION, dims },
        },
        warnings: [],
      };
    },
  };
}

/** A code value with its language header removed. */
export interface SniffedCode {
  source: string;
  language?: CodeLanguage;
  /** True when the value had a header line: its answer (even "unknown") is final. */
  header: boolean;
}

const HEADER =
  /^[ \t]*(?:\/\/|#|--|;+|\/\*)[ \t]*(path|file|language|lang)[ \t]*:[ \t]*([^\s*]+)[ \t]*(?:\*\/)?[ \t]*$/i;

/**
 * Reads the language a code value names for itself. A first line `// path: src/app.ts`
 * (`#`, `--`, `;` and `/* … *\/` comments work too; `file:` is the same as `path:`) or
 * `// language: python` (`lang:`; names and aliases as in `resolveLanguage`) is read and
 * removed, so the header never changes the vector; a header naming no known language (`// path:
 * README.md`) means "not code", whatever the call's default. Otherwise a `#!` line names the language
 * (`#!/usr/bin/env python3`) and stays, being a comment in those languages.
 */
export function sniffCodeValue(value: string): SniffedCode {
  const newline = value.indexOf('\n');
  const firstLine = (newline < 0 ? value : value.slice(0, newline)).replace(/\r$/, '');
  const header = HEADER.exec(firstLine);
  if (header) {
    const source = newline < 0 ? '' : value.slice(newline + 1);
    const key = (header[1] as string).toLowerCase();
    const named = header[2] as string;
    const language = key === 'path' || key === 'file' ? languageOf(named) : resolveLanguage(named);
    return language ? { source, language, header: true } : { source, header: true };
  }
  const language = languageOfShebang(firstLine);
  return language ? { source: value, language, header: false } : { source: value, header: false };
}

/**
 * The AST path-context code embedding as an AI SDK embedding model (`code-paths-512`). Each value
 * is source code; its language comes from, in order: a header line in the value
 * ({@link sniffCodeValue}), a `#!` line, `providerOptions['keel-offline'].language` of the call,
 * `settings.language`. A value without a known language, or that does not parse, is embedded
 * as text into the same 512 dims: `providerMetadata['keel-offline'].methods[i]` says which
 * (`'ast-paths'` or `'text-fallback'`), `method` is that method when all values agree and
 * `'mixed'` otherwise. `usage.tokens` counts terminals (or words, for the fallback).
 */
export function createCodePathsModel(settings: OfflineCodeModelSettings = {}): EmbeddingModelV3 {
  return {
    specificationVersion: 'v3',
    provider: OFFLINE_PROVIDER,
    modelId: 'code-paths-512',
    // One call for any batch: `embedMany` merges the metadata of several calls key by key, which
    // would keep only the last call's per-value `methods`.
    maxEmbeddingsPerCall: Number.POSITIVE_INFINITY,
    supportsParallelCalls: true,
    async doEmbed({
      values,
      abortSignal,
      providerOptions,
    }: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
      const option = providerOptions?.[OFFLINE_PROVIDER]?.language;
      const callLanguage = typeof option === 'string' ? option : settings.language;
      const results: CodeEmbedding[] = await embedAll(values, abortSignal, (value) => {
        const sniffed = sniffCodeValue(value);
        const language = sniffed.header ? sniffed.language : (sniffed.language ?? callLanguage);
        return embedCode(sniffed.source, language, CODE_DIMS);
      });
      const methods = results.map((r) => r.method);
      const first = methods[0];
      const method = methods.every((m) => m === first) ? (first ?? 'ast-paths') : 'mixed';
      const fallbacks: JSONValue[] = results.flatMap((r, index) =>
        r.reason
          ? [
              {
                index,
                reason: r.reason,
                language: r.language ?? null,
                ...(r.detail ? { detail: r.detail } : {}),
              },
            ]
          : [],
      );
      return {
        embeddings: results.map((r) => toNumbers(r.vector)),
        usage: { tokens: results.reduce((sum, r) => sum + r.tokens, 0) },
        providerMetadata: {
          [OFFLINE_PROVIDER]: {
            offline: true,
            method,
            methods,
            languages: results.map((r) => r.language ?? null),
            fallbacks,
            version: CODE_PATHS_VERSION,
            dims: CODE_DIMS,
          },
        },
        warnings: [],
      };
    },
  };
}

/**
 * One of Keel's offline embedding models by id; throws `NoSuchModelError` for any other id.
 *
 * @example
 * import { embedMany } from 'ai';
 * const { embeddings } = await embedMany({
 *   model: offlineEmbeddingModel('hashed-text-1536'),
 *   values: ['배포가 실패했습니다', 'deployment failed'],
 * });
 */
export function offlineEmbeddingModel(
  modelId: OfflineEmbeddingModelId | (string & {}),
  settings: OfflineCodeModelSettings = {},
): EmbeddingModelV3 {
  switch (modelId) {
    case 'hashed-text-1536':
      return createHashedTextModel(1536);
    case 'hashed-text-512':
      return createHashedTextModel(512);
    case 'code-paths-512':
      return createCodePathsModel(settings);
    default:
      throw new NoSuchModelError({
        modelId,
        modelType: 'embeddingModel',
        message: `${OFFLINE_PROVIDER} has no embedding model "${modelId}" (it has ${OFFLINE_EMBEDDING_MODEL_IDS.join(', ')})`,
      });
  }
}
