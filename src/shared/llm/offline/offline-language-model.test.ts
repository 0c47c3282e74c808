import { readFileSync } from 'node:fs';
import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { generateObject, generateText, Output, streamText, tool } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOfflineLanguageModel, wordChunks } from './offline-language-model.js';
import { countTokens } from './tokens.js';

const now = new Date('2026-03-10T12:00:00Z');
const model = createOfflineLanguageModel('keel-offline-1', { now: () => now });
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const lockout = fixture('synthetic/lockout-feature.diff');

const logTools = {
  search_logs: tool({
    description: 'Search application logs for a text within a time range',
    inputSchema: z.object({
      query: z.string(),
      service: z.string().optional(),
      since: z.string().describe('how far back, e.g. 1h, 24h').optional(),
    }),
  }),
  get_metric: tool({
    description: 'Read a metric (cpu, memory, latency) of a host',
    inputSchema: z.object({ metric: z.string(), host: z.string() }),
  }),
};

describe('generateText with the offline model', () => {
  it('drafts a commit message from a diff and says it is offline', async () => {
    const result = await generateText({ model, system: 'Write a commit message.', prompt: lockout });
    expect(result.text.split('\n')[0]).toBe('feat(identity): add lockout to passwords service');
    expect(result.finishReason).toBe('stop');
    expect(result.providerMetadata?.['keel-offline']).toMatchObject({
      offline: true,
      task: 'commit-message',
      taskSource: 'inferred',
      method: 'diff-rules',
    });
  });

  it('counts usage with cl100k_base', async () => {
    const result = await generateText({ model, prompt: 'hello there' });
    expect(result.usage.outputTokens).toBe(countTokens(result.text));
    expect(result.usage.inputTokens).toBe(countTokens('user: hello there'));
  });

  it('takes the task and the diff from provider options', async () => {
    const result = await generateText({
      model,
      prompt: 'Please describe my change.',
      providerOptions: {
        'keel-offline': { task: 'commit-message', diff: fixture('synthetic/deps-bump.diff') },
      },
    });
    expect(result.text.split('\n')[0]).toBe('build(deps): bump zod from 4.6.6 to 4.6.7');
    expect(result.providerMetadata?.['keel-offline']).toMatchObject({
      task: 'commit-message',
      taskSource: 'option',
    });
  });

  it('respects a convention in the system prompt and says the language rule was not applied', async () => {
    const result = await generateText({
      model,
      system:
        'Commit convention: allowed types: fix, chore, docs. Scopes: auth, billing. Write the subject in Korean.',
      prompt: lockout,
    });
    expect(result.text.split('\n')[0]).toMatch(/^chore: /);
    const metadata = result.providerMetadata?.['keel-offline'];
    expect(metadata?.languageRule).toEqual({ requested: 'Korean', applied: false });
    expect(metadata?.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Korean/),
        expect.stringMatching(/type feat is not allowed/),
      ]),
    );
  });

  it('answers extractively from passages in the prompt', async () => {
    const result = await generateText({
      model,
      system: 'Answer only from the passages.',
      prompt: [
        '[1] Backups run nightly at 02:00 UTC and are kept for 30 days.',
        '[2] The scheduler runs only on the leader node.',
        '',
        'Question: How long are backups kept?',
      ].join('\n'),
    });
    expect(result.text).toBe(
      'From the given context:\n"Backups run nightly at 02:00 UTC and are kept for 30 days." [1]',
    );
    expect(result.providerMetadata?.['keel-offline']).toMatchObject({
      task: 'extractive-answer',
      method: 'bm25-sentences',
      found: true,
      citations: ['1'],
    });
  });

  it('calls the matching tool with arguments read from the question', async () => {
    const result = await generateText({
      model,
      tools: logTools,
      prompt: 'search the logs for "connection refused" on api-gateway from the last 24 hours',
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({
      toolName: 'search_logs',
      input: { query: 'connection refused', service: 'api-gateway', since: '24h' },
    });
    expect(result.providerMetadata?.['keel-offline']).toMatchObject({ task: 'route', route: 'search_logs' });
  });

  it('calls no tool when none matches, unless the call requires one', async () => {
    const auto = await generateText({ model, tools: logTools, prompt: 'Write a haiku about autumn' });
    expect(auto.toolCalls).toEqual([]);
    expect(JSON.parse(auto.text)).toMatchObject({ route: null, confidence: 0 });
    const required = await generateText({
      model,
      tools: logTools,
      toolChoice: { type: 'tool', toolName: 'search_logs' },
      prompt: 'Write a haiku about autumn',
    });
    expect(required.toolCalls[0]).toMatchObject({
      toolName: 'search_logs',
      input: { query: 'Write a haiku about autumn' },
    });
    expect(required.providerMetadata?.['keel-offline']).toMatchObject({
      confidence: 0,
      reason: 'the call asked for search_logs',
    });
  });

  it('routes a Korean question to a tool', async () => {
    const result = await generateText({ model, tools: logTools, prompt: 'web-01 메모리 지표 알려줘' });
    expect(result.toolCalls[0]).toMatchObject({
      toolName: 'get_metric',
      input: { metric: 'memory', host: 'web-01' },
    });
  });

  it('reports tool results in the next step of a tool loop without interpreting them', async () => {
    const result = await generateText({
      model,
      messages: [
        { role: 'user', content: 'CPU of web-01?' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool-call',
              toolCallId: 'c1',
              toolName: 'get_metric',
              input: { metric: 'cpu', host: 'web-01' },
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'c1',
              toolName: 'get_metric',
              output: { type: 'json', value: { cpu: 0.42 } },
            },
          ],
        },
      ],
      tools: logTools,
    });
    expect(result.toolCalls).toEqual([]);
    expect(result.text).toContain('- get_metric: {"cpu":0.42}');
  });

  it('answers {route, confidence, reason} for routes listed in the system prompt', async () => {
    const result = await generateText({
      model,
      system:
        'Routes:\n- billing: invoices, refunds and payments\n- shipping: parcels and delivery times\n- other: anything else',
      prompt: 'Where is my parcel? The delivery is late.',
    });
    const value = JSON.parse(result.text);
    expect(value).toMatchObject({ route: 'shipping' });
    expect(value.confidence).toBeGreaterThan(0.5);
    expect(typeof value.reason).toBe('string');
  });

  it('says what it cannot do for open-ended chat, in the language of the question', async () => {
    const english = await generateText({ model, prompt: 'Recommend three hotels in Lisbon.' });
    expect(english.text).toMatch(/cannot answer open-ended questions/);
    expect(english.text).not.toMatch(/Lisbon/);
    const korean = await generateText({ model, prompt: '부산 여행지 추천해줘' });
    expect(korean.text).toMatch(/오프라인 모델/);
    expect(korean.providerMetadata?.['keel-offline']).toMatchObject({
      task: 'chat',
      method: 'capabilities-notice',
    });
  });

  it('reports sampling settings as unsupported and cuts at maxOutputTokens', async () => {
    // The SDK logs model warnings to the console by default; this test reads them from the result.
    globalThis.AI_SDK_LOG_WARNINGS = false;
    const result = await generateText({
      model,
      prompt: lockout,
      temperature: 0.7,
      maxOutputTokens: 5,
    }).finally(() => {
      globalThis.AI_SDK_LOG_WARNINGS = undefined;
    });
    expect(result.warnings).toEqual([
      expect.objectContaining({ type: 'unsupported', feature: 'temperature' }),
    ]);
    expect(result.finishReason).toBe('length');
    expect(result.usage.outputTokens).toBe(5);
    expect(result.text.startsWith('feat(identity)')).toBe(true);
  });
});

describe('structured output', () => {
  const commitSchema = z.object({
    type: z.string(),
    scope: z.string().nullable(),
    subject: z.string(),
    body: z.string(),
    breaking: z.boolean(),
  });

  it('generateObject returns the commit fields as JSON matching the schema', async () => {
    const { object, providerMetadata } = await generateObject({
      model,
      schema: commitSchema,
      prompt: fixture('synthetic/breaking-removal.diff'),
    });
    expect(object).toMatchObject({
      type: 'refactor',
      scope: 'identity',
      subject: 'remove legacyToken from access token',
      breaking: true,
    });
    expect(object.body).toContain('src/shared/identity/tokens/access-token.ts');
    expect(providerMetadata?.['keel-offline']?.offline).toBe(true);
  });

  it('fills only the properties a schema declares (Output.object through generateText)', async () => {
    const { output } = await generateText({
      model,
      output: Output.object({ schema: z.object({ type: z.string(), subject: z.string() }) }),
      prompt: lockout,
    });
    expect(output).toEqual({ type: 'feat', subject: 'add lockout to passwords service' });
  });

  it('generateObject answers extractively and routes', async () => {
    const answer = await generateObject({
      model,
      schema: z.object({
        answer: z.string(),
        found: z.boolean(),
        citations: z.array(z.object({ passage: z.number(), quote: z.string() })),
      }),
      prompt:
        '[1] Refunds take five business days.\n[2] Invoices are sent monthly.\n\nHow long do refunds take?',
    });
    expect(answer.object.found).toBe(true);
    expect(answer.object.citations).toEqual([{ passage: 1, quote: 'Refunds take five business days.' }]);
    const routed = await generateObject({
      model,
      schema: z.object({ route: z.string().nullable(), confidence: z.number(), reason: z.string() }),
      system: 'Routes:\n- billing: invoices and refunds\n- shipping: parcels',
      prompt: '환불은 언제 되나요? refund status',
    });
    expect(routed.object.route).toBe('billing');
  });
});

describe('streaming', () => {
  it('streamText streams the same text in word-sized deltas with usage and metadata at the end', async () => {
    const whole = await generateText({ model, prompt: lockout });
    const result = streamText({ model, prompt: lockout });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe(whole.text);
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.every((d) => d.trim().split(/\s+/).length === 1)).toBe(true);
    expect(await result.usage).toMatchObject({ outputTokens: whole.usage.outputTokens });
    expect((await result.providerMetadata)?.['keel-offline']).toMatchObject({
      offline: true,
      task: 'commit-message',
    });
  });

  it('doStream emits the v3 parts in order: stream-start, text, finish', async () => {
    const { stream } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
    const parts: LanguageModelV3StreamPart[] = [];
    const reader = stream.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    const types = parts.map((p) => p.type);
    expect(types[0]).toBe('stream-start');
    expect(types).toContain('response-metadata');
    expect(
      types
        .slice(types.indexOf('text-start'), types.indexOf('text-end') + 1)
        .every((t) => t.startsWith('text-')),
    ).toBe(true);
    const finish = parts.at(-1);
    expect(finish?.type).toBe('finish');
    if (finish?.type === 'finish') {
      expect(finish.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
      expect(finish.usage.outputTokens.total).toBeGreaterThan(0);
    }
  });

  it('streams a tool call as tool-input parts and a tool-call', async () => {
    const result = streamText({ model, tools: logTools, prompt: 'CPU of web-01' });
    const calls = await result.toolCalls;
    expect(calls[0]).toMatchObject({ toolName: 'get_metric', input: { metric: 'cpu', host: 'web-01' } });
    expect(await result.finishReason).toBe('tool-calls');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      model.doGenerate({
        prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
        abortSignal: controller.signal,
      }),
    ).rejects.toThrow('stop');
  });
});

describe('wordChunks', () => {
  it('splits into words that keep their whitespace and join back exactly', () => {
    const text = 'feat(db): add x\n\n- a: b  c';
    expect(wordChunks(text).join('')).toBe(text);
    expect(wordChunks(text)[0]).toBe('feat(db): ');
    expect(wordChunks('')).toEqual([]);
  });
});
