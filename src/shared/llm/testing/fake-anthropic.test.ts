import { createAnthropic } from '@ai-sdk/anthropic';
import { APICallError } from '@ai-sdk/provider';
import { generateText, Output, streamText } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_ANTHROPIC_KEY, startFakeAnthropic } from './fake-anthropic.js';
import { type FakeVendor, record } from './fake-vendor.js';

let fake: FakeVendor;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

const anthropic = () => createAnthropic({ baseURL: fake.url, apiKey: fake.apiKey });
const headers = () => ({ 'x-api-key': fake.apiKey, 'anthropic-version': '2023-06-01' });

/** The SSE events of a response body, as [event, parsed data]. */
function events(body: string): [string, Record<string, unknown>][] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
      return [event, JSON.parse(data) as Record<string, unknown>];
    });
}

describe('fake Anthropic: wire protocol', () => {
  it('receives x-api-key and anthropic-version from the SDK', async () => {
    const result = await generateText({
      model: anthropic()('claude-sonnet-4-5'),
      prompt: 'hi',
      maxRetries: 0,
    });
    expect(result.text).toBe('echo: hi');
    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(DEFAULT_ANTHROPIC_KEY);
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(record(request?.body)).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: expect.any(Number),
    });
  });

  it('a wrong key is 401 authentication_error; a missing anthropic-version is 400', async () => {
    const wrong = createAnthropic({ baseURL: fake.url, apiKey: 'sk-ant-wrong' });
    const error = await generateText({
      model: wrong('claude-sonnet-4-5'),
      prompt: 'hi',
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false, message: 'invalid x-api-key' });
    expect((error as APICallError).data).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
    });

    const res = await fetch(`${fake.url}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': fake.apiKey },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
  });

  it('accepts an auth token as Bearer', async () => {
    const viaToken = createAnthropic({ baseURL: fake.url, authToken: fake.apiKey });
    expect(
      (await generateText({ model: viaToken('claude-sonnet-4-5'), prompt: 'hi', maxRetries: 0 })).text,
    ).toBe('echo: hi');
  });

  it('529 overloaded_error is a retryable APICallError', async () => {
    fake.enqueue({ status: 529 });
    const error = await generateText({
      model: anthropic()('claude-sonnet-4-5'),
      prompt: 'hi',
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 529, isRetryable: true, message: 'Overloaded' });
  });

  it('streams the Messages event sequence; input_tokens leaves out cache reads', async () => {
    fake.enqueue({ usage: { input: 50, output: 3, cached: 40 } });
    const res = await fetch(`${fake.url}/messages`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'a b' }],
      }),
    });
    const seen = events(await res.text());
    expect(seen.map(([e]) => e)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(seen[0]?.[1]).toMatchObject({
      message: { usage: { input_tokens: 10, cache_read_input_tokens: 40, cache_creation_input_tokens: 0 } },
    });
    expect(seen[3]?.[1]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'echo: ' },
    });
    expect(seen[7]?.[1]).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } });
  });

  it('tool_use streams as input_json_delta pieces', async () => {
    fake.enqueue({ toolCall: { name: 'lookup', args: { q: 'x', n: 2 }, id: 'toolu_1' } });
    const res = await fetch(`${fake.url}/messages`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({
        model: 'm',
        max_tokens: 10,
        stream: true,
        messages: [{ role: 'user', content: 'go' }],
      }),
    });
    const seen = events(await res.text());
    expect(seen[1]?.[1]).toMatchObject({
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: {} },
    });
    const json = seen
      .filter(([e, d]) => e === 'content_block_delta' && record(d.delta).type === 'input_json_delta')
      .map(([, d]) => record(d.delta).partial_json);
    expect(json.length).toBeGreaterThan(1);
    expect(JSON.parse(json.join(''))).toEqual({ q: 'x', n: 2 });
    expect(seen.find(([e]) => e === 'message_delta')?.[1]).toMatchObject({
      delta: { stop_reason: 'tool_use' },
    });
  });

  it('structured output: output_config.format on newer models, the json tool on older ones', async () => {
    const shape = z.object({ answer: z.string() });
    fake.enqueue({ json: { answer: 'native' } }, { json: { answer: 'via tool' } });
    const native = await generateText({
      model: anthropic()('claude-sonnet-4-5'),
      prompt: 'q',
      output: Output.object({ schema: shape }),
      maxRetries: 0,
    });
    const viaTool = streamText({
      model: anthropic()('claude-3-haiku-20240307'),
      prompt: 'q',
      output: Output.object({ schema: shape }),
      maxRetries: 0,
    });
    expect(native.output).toEqual({ answer: 'native' });
    expect(await viaTool.output).toEqual({ answer: 'via tool' });
    expect(record(record(fake.requests[0]?.body).output_config).format).toMatchObject({
      type: 'json_schema',
    });
    expect(record(fake.requests[1]?.body)).toMatchObject({
      tools: [{ name: 'json' }],
      tool_choice: { type: 'any' },
    });
  });

  it('GET /v1/models lists models', async () => {
    const res = await fetch(`${fake.url}/models`, { headers: headers() });
    const body = (await res.json()) as { data: { type: string; id: string }[]; has_more: boolean };
    expect(body.has_more).toBe(false);
    expect(body.data.map((m) => [m.type, m.id])).toContainEqual(['model', 'claude-sonnet-4-5']);
  });
});
