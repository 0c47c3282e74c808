import type {
  JSONObject,
  JSONValue,
  LanguageModelV3CallOptions,
  LanguageModelV3ToolResultOutput,
} from '@ai-sdk/provider';
import { z } from 'zod';
import { chatFallback } from './chat.js';
import { draftCommitMessage, parseConvention } from './commit-message.js';
import { extractDiff } from './diff.js';
import { extractiveAnswer, readPassages, readQuestion } from './extractive-answer.js';
import { shapeForSchema } from './json-output.js';
import type { PromptView } from './prompt.js';
import { chooseRoute, extractArguments, type RouteOption, readRoutes } from './route.js';

export const offlineTasks = ['commit-message', 'extractive-answer', 'route', 'chat'] as const;
export type OfflineTask = (typeof offlineTasks)[number];

/** `providerOptions['keel-offline']`: the task, and inputs given apart from the prompt. */
export const offlineOptionsSchema = z.object({
  task: z.enum(offlineTasks).optional(),
  /** A unified diff for `commit-message` (else read from the last user message). */
  diff: z.string().optional(),
  /** The question for `extractive-answer` and `route` (else read from the last user message). */
  question: z.string().optional(),
  /** Passages for `extractive-answer`, besides those found in the prompt. */
  passages: z
    .array(
      z.union([z.string(), z.object({ id: z.union([z.string(), z.number()]).optional(), text: z.string() })]),
    )
    .optional(),
  /** Routes for `route` (else the call's tools, else a `Routes:` list in the system prompt). */
  routes: z
    .array(
      z.object({
        name: z.string(),
        description: z.string().default(''),
        keywords: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
export type OfflineOptions = z.infer<typeof offlineOptionsSchema>;

/** What a task produced: text and/or a tool call; how (method); details for the metadata. */
export interface TaskOutput {
  text?: string;
  toolCall?: { toolName: string; input: JSONObject };
  method: string;
  details: JSONObject;
}

export interface TaskInput {
  view: PromptView;
  options: OfflineOptions;
  call: LanguageModelV3CallOptions;
  now: Date;
}

function functionTools(call: LanguageModelV3CallOptions): RouteOption[] {
  return (call.tools ?? []).flatMap((tool) =>
    tool.type === 'function'
      ? [{ name: tool.name, description: tool.description ?? '', inputSchema: tool.inputSchema }]
      : [],
  );
}

function toolsCallable(call: LanguageModelV3CallOptions): boolean {
  return functionTools(call).length > 0 && call.toolChoice?.type !== 'none';
}

/**
 * The task the prompt asks for, when the caller did not name one: a diff → commit-message;
 * tool results to report, or tools that may be called → route; passages → extractive-answer;
 * a routes list in the system prompt → route; anything else → chat.
 */
export function inferTask({ view, options, call }: TaskInput): OfflineTask {
  if (options.diff || extractDiff(view.lastUser)) return 'commit-message';
  if (view.toolResults.length > 0 || toolsCallable(call)) return 'route';
  if (
    options.passages?.length ||
    [view.system, ...view.userTexts].some((t) => readPassages(t).passages.length > 0)
  )
    return 'extractive-answer';
  if (options.routes?.length || readRoutes(view.system).length > 0) return 'route';
  return 'chat';
}

/** The schema of a JSON response format (`undefined` without one); `false` for text. */
function jsonFormat(call: LanguageModelV3CallOptions): { schema: unknown } | false {
  return call.responseFormat?.type === 'json' ? { schema: call.responseFormat.schema } : false;
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
  const json = jsonFormat(call);
  if (!json) return { text: draft.message, method: 'diff-rules', details };
  const value = shapeForSchema(
    {
      type: draft.type,
      scope: draft.scope,
      subject: draft.subject,
      body: draft.body,
      breaking: draft.breaking,
      breakingChange: draft.breakingNote,
      footer: draft.breakingNote ? `BREAKING CHANGE: ${draft.breakingNote}` : null,
      message: draft.message,
    },
    json.schema ?? {
      properties: { type: {}, scope: {}, subject: {}, body: {}, breaking: {} },
    },
  );
  return { text: JSON.stringify(value), method: 'diff-rules', details };
}

function extractive({ view, options, call }: TaskInput): TaskOutput {
  const result = extractiveAnswer({
    system: view.system,
    userTexts: view.userTexts,
    question: options.question,
    passages: options.passages,
  });
  const details: JSONObject = {
    found: result.found,
    citations: result.citations.map((c) => c.passage),
    coverage: Math.round(result.coverage * 100) / 100,
    passageCount: result.passageCount,
    language: result.language,
  };
  const json = jsonFormat(call);
  if (!json) return { text: result.answer, method: 'bm25-sentences', details };
  const citations: JSONValue[] = result.citations.map((c) => ({
    passage: /^\d+$/.test(c.passage) ? Number(c.passage) : c.passage,
    quote: c.sentence,
  }));
  const value = shapeForSchema(
    {
      answer: result.answer,
      found: result.found,
      citations,
      sources: result.citations.map((c) => c.passage),
    },
    json.schema ?? { properties: { answer: {}, found: {}, citations: {} } },
  );
  return { text: JSON.stringify(value), method: 'bm25-sentences', details };
}

function renderToolOutput(output: unknown): string {
  const o = output as LanguageModelV3ToolResultOutput;
  const text =
    o.type === 'text' || o.type === 'error-text'
      ? o.value
      : o.type === 'json' || o.type === 'error-json'
        ? JSON.stringify(o.value)
        : JSON.stringify(o);
  return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
}

function route({ view, options, call, now }: TaskInput): TaskOutput {
  // A tool loop's next step: report what the tools returned, without interpreting it.
  if (view.toolResults.length > 0) {
    const text = [
      'Tool results (reported as returned; the offline model does not interpret them):',
      ...view.toolResults.map((r) => `- ${r.toolName}: ${renderToolOutput(r.output)}`),
    ].join('\n');
    return { text, method: 'tool-results', details: { tools: view.toolResults.map((r) => r.toolName) } };
  }
  const question = options.question ?? readQuestion(view.lastUser);
  const tools = functionTools(call);
  const choice = call.toolChoice ?? { type: 'auto' };
  if (tools.length > 0 && choice.type !== 'none') {
    const decision = chooseRoute(question, tools);
    const name =
      choice.type === 'tool'
        ? choice.toolName
        : (decision.route ?? (choice.type === 'required' ? (decision.scores[0]?.route ?? null) : null));
    const tool = tools.find((t) => t.name === name);
    if (tool) {
      const args = extractArguments(question, tool.inputSchema, now);
      return {
        toolCall: { toolName: tool.name, input: args.input },
        method: 'keyword-routing',
        details: {
          route: tool.name,
          confidence: decision.route === tool.name ? decision.confidence : 0,
          reason: choice.type === 'tool' ? `the call asked for ${tool.name}` : decision.reason,
          arguments: args.filledBy,
          missing: args.missing,
        },
      };
    }
  }
  const listed = readRoutes(view.system);
  const routes: RouteOption[] = options.routes ?? (listed.length > 0 ? listed : tools);
  const decision = chooseRoute(question, routes);
  const json = jsonFormat(call);
  const value = shapeForSchema(
    {
      route: decision.route,
      confidence: decision.confidence,
      reason: decision.reason,
      matched: decision.matched,
    },
    json
      ? (json.schema ?? { properties: { route: {}, confidence: {}, reason: {} } })
      : { properties: { route: {}, confidence: {}, reason: {} } },
  );
  return {
    text: JSON.stringify(value),
    method: 'keyword-routing',
    details: { route: decision.route, confidence: decision.confidence, scores: decision.scores },
  };
}

function chat({ view, call }: TaskInput): TaskOutput {
  const reply = chatFallback(view.lastUser);
  const details: JSONObject = { language: reply.language };
  const json = jsonFormat(call);
  if (!json) return { text: reply.text, method: 'capabilities-notice', details };
  // Only text-like fields can be filled honestly; anything else stays out.
  const value = shapeForSchema(
    { reply: reply.text, answer: reply.text, message: reply.text, text: reply.text, offline: true },
    json.schema ?? { properties: { reply: {}, offline: {} } },
  );
  return { text: JSON.stringify(value), method: 'capabilities-notice', details };
}

export function runTask(task: OfflineTask, input: TaskInput): TaskOutput {
  switch (task) {
    case 'commit-message':
      return commitMessage(input);
    case 'extractive-answer':
      return extractive(input);
    case 'route':
      return route(input);
    case 'chat':
      return chat(input);
  }
}
