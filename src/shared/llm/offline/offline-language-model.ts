import {
  type JSONObject,
  type LanguageModelV3,
  type LanguageModelV3CallOptions,
  type LanguageModelV3Content,
  type LanguageModelV3FinishReason,
  type LanguageModelV3GenerateResult,
  type LanguageModelV3StreamPart,
  type LanguageModelV3Usage,
  NoSuchModelError,
  type SharedV3ProviderMetadata,
  type SharedV3Warning,
} from '@ai-sdk/provider';
import { generateId, parseProviderOptions } from '@ai-sdk/provider-utils';
import { promptText, readPrompt } from './prompt.js';
import { inferTask, type OfflineTask, offlineOptionsSchema, runTask } from './run-task.js';
import { countTokens, truncateToTokens } from './tokens.js';

export const OFFLINE_PROVIDER = 'keel-offline';
export const OFFLINE_MODEL_ID = 'keel-offline-1';
export type OfflineModelId = typeof OFFLINE_MODEL_ID;

/** What every result of the offline model says about itself in `providerMetadata['keel-offline']`. */
export interface OfflineMetadata extends JSONObject {
  offline: true;
  task: OfflineTask;
  /** `option` when the caller named the task, `inferred` when the prompt decided it. */
  taskSource: 'option' | 'inferred';
  /** The rule set that produced the output (e.g. `diff-rules`, `bm25-sentences`). */
  method: string;
}

interface OfflineResult {
  content: LanguageModelV3Content[];
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
  providerMetadata: SharedV3ProviderMetadata;
  warnings: SharedV3Warning[];
}

/** Sampling settings have no effect on rules: each is reported once as unsupported. */
const samplingSettings = [
  'temperature',
  'topP',
  'topK',
  'presencePenalty',
  'frequencyPenalty',
  'seed',
  'stopSequences',
] as const;

function warningsFor(options: LanguageModelV3CallOptions, fileParts: number): SharedV3Warning[] {
  const warnings: SharedV3Warning[] = [];
  for (const setting of samplingSettings)
    if (options[setting] !== undefined)
      warnings.push({
        type: 'unsupported',
        feature: setting,
        details: 'The offline model is rule-based and deterministic.',
      });
  if (fileParts > 0)
    warnings.push({
      type: 'unsupported',
      feature: 'file parts',
      details: 'The offline model reads text only.',
    });
  for (const tool of options.tools ?? [])
    if (tool.type === 'provider')
      warnings.push({
        type: 'unsupported',
        feature: `provider tool ${tool.name}`,
        details: 'Only function tools are routed.',
      });
  return warnings;
}

export interface OfflineModelSettings {
  /** The clock time ranges are measured from ("last 24 hours"); tests pass a fixed one. */
  now?: () => Date;
}

async function generate(
  options: LanguageModelV3CallOptions,
  settings: OfflineModelSettings,
): Promise<OfflineResult> {
  options.abortSignal?.throwIfAborted();
  const view = readPrompt(options.prompt);
  const parsed =
    (await parseProviderOptions({
      provider: OFFLINE_PROVIDER,
      providerOptions: options.providerOptions,
      schema: offlineOptionsSchema,
    })) ?? {};
  const input = { view, options: parsed, call: options, now: settings.now?.() ?? new Date() };
  const task = parsed.task ?? inferTask(input);
  const output = runTask(task, input);
  const content: LanguageModelV3Content[] = [];
  let finishReason: LanguageModelV3FinishReason = { unified: 'stop', raw: 'stop' };
  let outputText = '';
  if (output.text !== undefined) {
    let text = output.text;
    if (options.maxOutputTokens !== undefined) {
      const cut = truncateToTokens(text, options.maxOutputTokens);
      text = cut.text;
      if (cut.truncated) finishReason = { unified: 'length', raw: 'max-output-tokens' };
    }
    content.push({ type: 'text', text });
    outputText += text;
  }
  if (output.toolCall) {
    const input = JSON.stringify(output.toolCall.input);
    content.push({
      type: 'tool-call',
      toolCallId: `keel-offline-call-${generateId()}`,
      toolName: output.toolCall.toolName,
      input,
    });
    outputText += input;
    finishReason = { unified: 'tool-calls', raw: 'tool-calls' };
  }
  const tools = (options.tools ?? []).map((t) =>
    t.type === 'function' ? `${t.name} ${t.description ?? ''} ${JSON.stringify(t.inputSchema)}` : t.name,
  );
  const inputTokens = countTokens([promptText(options.prompt), ...tools].join('\n'));
  const outputTokens = countTokens(outputText);
  // The task's details first: they can never overwrite what the model says about itself.
  const metadata: OfflineMetadata = {
    ...output.details,
    offline: true,
    task,
    taskSource: parsed.task ? 'option' : 'inferred',
    method: output.method,
  };
  return {
    content,
    finishReason,
    usage: {
      inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
    },
    providerMetadata: { [OFFLINE_PROVIDER]: metadata },
    warnings: warningsFor(options, view.fileParts),
  };
}

/** Word-sized pieces that join back to `text` exactly (each keeps its trailing whitespace). */
export function wordChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

function streamParts(result: OfflineResult, modelId: string): LanguageModelV3StreamPart[] {
  const parts: LanguageModelV3StreamPart[] = [
    { type: 'stream-start', warnings: result.warnings },
    { type: 'response-metadata', modelId, timestamp: new Date() },
  ];
  result.content.forEach((part, index) => {
    const id = String(index);
    if (part.type === 'text') {
      parts.push({ type: 'text-start', id });
      for (const delta of wordChunks(part.text)) parts.push({ type: 'text-delta', id, delta });
      parts.push({ type: 'text-end', id });
    } else if (part.type === 'tool-call') {
      parts.push({ type: 'tool-input-start', id: part.toolCallId, toolName: part.toolName });
      parts.push({ type: 'tool-input-delta', id: part.toolCallId, delta: part.input });
      parts.push({ type: 'tool-input-end', id: part.toolCallId });
      parts.push(part);
    }
  });
  parts.push({
    type: 'finish',
    usage: result.usage,
    finishReason: result.finishReason,
    providerMetadata: result.providerMetadata,
  });
  return parts;
}

/**
 * Keel's offline language model: the `LanguageModelV3` contract answered by rules, with no
 * network and no neural model. It drafts commit messages from diffs, answers extractively from
 * given passages, routes questions to offered tools, and otherwise says what it cannot do.
 * Every result carries `providerMetadata['keel-offline'] = { offline: true, task, method, … }`.
 */
export function createOfflineLanguageModel(
  modelId: string = OFFLINE_MODEL_ID,
  settings: OfflineModelSettings = {},
): LanguageModelV3 {
  if (modelId !== OFFLINE_MODEL_ID)
    throw new NoSuchModelError({
      modelId,
      modelType: 'languageModel',
      message: `keel-offline has one language model, ${OFFLINE_MODEL_ID}; there is no ${modelId}.`,
    });
  return {
    specificationVersion: 'v3',
    provider: OFFLINE_PROVIDER,
    modelId,
    supportedUrls: {},
    async doGenerate(options): Promise<LanguageModelV3GenerateResult> {
      const result = await generate(options, settings);
      return {
        ...result,
        response: { id: `keel-offline-${generateId()}`, modelId, timestamp: new Date() },
      };
    },
    async doStream(options) {
      const result = await generate(options, settings);
      const parts = streamParts(result, modelId);
      let next = 0;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        pull(controller) {
          if (options.abortSignal?.aborted) {
            controller.error(options.abortSignal.reason);
            return;
          }
          const part = parts[next++];
          if (part) controller.enqueue(part);
          else controller.close();
        },
      });
      return { stream };
    },
  };
}
