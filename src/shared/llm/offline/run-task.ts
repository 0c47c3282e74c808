import type { JSONObject, JSONSchema7, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { z } from 'zod';
import { chatFallback } from './chat.js';
import { draftCommitMessage, parseConvention } from './commit-message.js';
import { extractDiff } from './diff.js';
import { shapeForSchema } from './json-output.js';
import type { PromptView } from './prompt.js';

export const offlineTasks = ['commit-message', 'extractive-answer', 'route', 'chat'] as const;
export type OfflineTask = (typeof offlineTasks)[number];

/** `providerOptions['keel-offline']`: the task, and inputs given apart from the prompt. */
export const offlineOptionsSchema = z.object({
  task: z.enum(offlineTasks).optional(),
  /** A unified diff for `commit-message` (else read from the last user message). */
  diff: z.string().optional(),
});
export type OfflineOptions = z.infer<typeof offlineOptionsSchema>;

/** What a task produced: text, or a tool call; how (method); details for the metadata. */
export interface TaskOutput {
  text?: string;
  toolCall?: { toolName: string; input: JSONObject };
  method: string;
  details: JSONObject;
}

interface TaskInput {
  view: PromptView;
  options: OfflineOptions;
  call: LanguageModelV3CallOptions;
}

/** The task the prompt asks for, when the caller did not name one. */
export function inferTask({ view, options }: TaskInput): OfflineTask {
  if (options.diff || extractDiff(view.lastUser)) return 'commit-message';
  return 'chat';
}

function jsonSchemaOf(call: LanguageModelV3CallOptions): JSONSchema7 | undefined | false {
  return call.responseFormat?.type === 'json' ? (call.responseFormat.schema ?? undefined) : false;
}

function commitMessage({ view, options, call }: TaskInput): TaskOutput {
  const diff = options.diff ?? extractDiff(view.lastUser) ?? '';
  const draft = draftCommitMessage(diff, parseConvention(view.system));
  const details: JSONObject = {
    rule: draft.rule,
    inferred: { type: draft.inferred.type, scope: draft.inferred.scope },
    notes: draft.notes,
    languageRule: draft.languageRule,
  };
  const schema = jsonSchemaOf(call);
  if (schema === false) return { text: draft.message, method: 'diff-rules', details };
  const json = shapeForSchema(
    {
      type: draft.type,
      scope: draft.scope,
      subject: draft.subject,
      body: draft.body,
      breaking: draft.breaking,
      breakingNote: draft.breakingNote,
      footer: draft.breakingNote ? `BREAKING CHANGE: ${draft.breakingNote}` : null,
      message: draft.message,
    },
    schema,
  );
  return { text: JSON.stringify(json), method: 'diff-rules', details };
}

function chat({ view, call }: TaskInput): TaskOutput {
  const reply = chatFallback(view.lastUser);
  const details: JSONObject = { language: reply.language };
  const schema = jsonSchemaOf(call);
  if (schema === false) return { text: reply.text, method: 'capabilities-notice', details };
  // Only text-like fields can be filled honestly; anything else stays out.
  const json = shapeForSchema(
    { reply: reply.text, answer: reply.text, message: reply.text, text: reply.text, offline: true },
    schema ?? { type: 'object', properties: { reply: { type: 'string' }, offline: { type: 'boolean' } } },
  );
  return { text: JSON.stringify(json), method: 'capabilities-notice', details };
}

export function runTask(task: OfflineTask, input: TaskInput): TaskOutput {
  switch (task) {
    case 'commit-message':
      return commitMessage(input);
    default:
      return chat(input);
  }
}
