import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError } from '@ai-sdk/provider';
import { cosineSimilarity, embedMany, generateText, streamText } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from './fake-openai.js';
import { record } from './fake-vendor.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

const auth = () => ({ authorization: `Bearer ${fake.apiKey}` });

/** The SSE `data:` payloads of a response body. */
function dataLines(body: string): string[] {
  return body
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => l.slice(6));
}

async function postStream(path: string, body: unknown): Promise<string> {
  const res = await fetch(`${fake.origin}${path}`, {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return res.text();
}

describe('fake OpenAI: wire protocol', () => {
  it('serves the base URL the SDK expects, and the Groq one', () => {
    expect(fake.url).toBe(`${fake.origin}/v1`);
    expect(fake.groqUrl).toBe(`${fake.origin}/openai/v1`);
    expect(fake.apiKey).toBe(DEFAULT_OPENAI_KEY);
  });

  it('GET /v1/models lists the models (and consumes no scripted behaviour)', async () => {
    fake.enqueue({ status: 500 });
    for (const base of [fake.url, fake.groqUrl]) {
      const res = await fetch(`${base}/models`, { headers: auth() });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { object: string; data: { id: string; object: string }[] };
      expect(body.object).toBe('list');
      expect(body.data.map((m) => m.id)).toContain('gpt-4o-mini');
      expect(body.data[0]?.object).toBe('model');
    }
    expect(fake.queued).toBe(1);
  });

  it('answers a missing or wrong key with 401 in OpenAI’s error shape, the key masked', async () => {
    const missing = await fetch(`${fake.url}/models`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/didn't provide an API key/) },
    });

    const wrongKey = 'sk-wrong-key-abcdefghijklmnop-WXYZ';
    const wrong = createOpenAI({ baseURL: fake.url, apiKey: wrongKey });
    const error = await generateText({ model: wrong.chat('gpt-4o-mini'), prompt: 'hi', maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    const e = error as APICallError;
    expect(e.statusCode).toBe(401);
    expect(e.isRetryable).toBe(false);
    expect(e.message).toBe('Incorrect API key provided: sk-***************************WXYZ.');
    expect(JSON.stringify(e)).not.toContain(wrongKey);
    expect(fake.requests[1]?.headers.authorization).toBe(`Bearer ${wrongKey}`);
  });

  it('accepts any of the configured keys; [] turns the check off', async () => {
    const multi = await startFakeOpenAI({ apiKeys: ['k1', 'k2'] });
    const open = await startFakeOpenAI({ apiKeys: [] });
    try {
      expect((await fetch(`${multi.url}/models`, { headers: { authorization: 'Bearer k2' } })).status).toBe(
        200,
      );
      expect((await fetch(`${multi.url}/models`, { headers: { authorization: 'Bearer k3' } })).status).toBe(
        401,
      );
      expect((await fetch(`${open.url}/models`)).status).toBe(200);
      const keyless = createOpenAICompatible({ name: 'local', baseURL: open.url });
      expect((await generateText({ model: keyless('m'), prompt: 'hi', maxRetries: 0 })).text).toBe(
        'echo: hi',
      );
    } finally {
      await multi.close();
      await open.close();
    }
  });

  it('answers unknown paths with 404 and a body that is not JSON with 400', async () => {
    const unknown = await fetch(`${fake.url}/completions/nope`, {
      method: 'POST',
      headers: auth(),
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { message: expect.stringContaining('Unknown request URL') },
    });
    const garbled = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: auth(),
      body: '{"model":',
    });
    expect(garbled.status).toBe(400);
    expect(fake.requests[1]?.body).toBe('{"model":');
  });

  it('chat stream: role chunk, word chunks, finish chunk, usage chunk only when asked, [DONE]', async () => {
    const request = { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'a b' }] };
    const plain = dataLines(await postStream('/v1/chat/completions', request));
    expect(plain.at(-1)).toBe('[DONE]');
    const chunks = plain.slice(0, -1).map((d) => JSON.parse(d) as Record<string, unknown>);
    expect(chunks[0]).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [{ delta: { role: 'assistant' } }],
    });
    expect(chunks.slice(1, 4).map((c) => record(list0(c.choices)).delta)).toEqual([
      { content: 'echo: ' },
      { content: 'a ' },
      { content: 'b' },
    ]);
    expect(chunks.at(-1)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
    expect(chunks.some((c) => c.usage)).toBe(false);

    const withUsage = dataLines(
      await postStream('/v1/chat/completions', { ...request, stream_options: { include_usage: true } }),
    );
    expect(JSON.parse(withUsage.at(-2) ?? '')).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 2,
        completion_tokens: 3,
        total_tokens: 5,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
  });

  it('groq path: usage rides in x_groq on the finish chunk', async () => {
    const lines = dataLines(
      await postStream('/openai/v1/chat/completions', {
        model: 'llama',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    const finish = JSON.parse(lines.at(-2) ?? '') as Record<string, unknown>;
    expect(finish).toMatchObject({
      choices: [{ finish_reason: 'stop' }],
      x_groq: { usage: { prompt_tokens: 1 } },
    });
  });

  it('openai(model) uses the Responses API; openai.chat(model) uses chat completions', async () => {
    const openai = createOpenAI({ baseURL: fake.url, apiKey: fake.apiKey });
    await generateText({ model: openai('gpt-4.1'), prompt: 'via responses', maxRetries: 0 });
    await generateText({ model: openai.chat('gpt-4.1'), prompt: 'via chat', maxRetries: 0 });
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/responses', '/v1/chat/completions']);
    expect(record(fake.requests[0]?.body).input).toEqual([
      { role: 'user', content: [{ type: 'input_text', text: 'via responses' }] },
    ]);
    expect(record(fake.requests[1]?.body).messages).toEqual([{ role: 'user', content: 'via chat' }]);
  });

  it('openai.chat streams ask for usage; openai-compatible only with includeUsage', async () => {
    const openai = createOpenAI({ baseURL: fake.url, apiKey: fake.apiKey });
    const bare = createOpenAICompatible({ name: 'bare', baseURL: fake.url, apiKey: fake.apiKey });
    const withUsage = streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'hi', maxRetries: 0 });
    expect((await withUsage.usage).outputTokens).toBe(2);
    const without = streamText({ model: bare('m'), prompt: 'hi', maxRetries: 0 });
    expect(await without.text).toBe('echo: hi');
    expect((await without.usage).outputTokens).toBeUndefined();
    expect(record(fake.requests[0]?.body).stream_options).toEqual({ include_usage: true });
    expect(record(fake.requests[1]?.body).stream_options).toBeUndefined();
  });

  it('errorType and message override the error body; retryAfterMs sends retry-after-ms', async () => {
    fake.enqueue({
      status: 429,
      errorType: 'insufficient_quota',
      message: 'You exceeded your quota.',
      retryAfterMs: 1500,
    });
    const openai = createOpenAI({ baseURL: fake.url, apiKey: fake.apiKey });
    const error = (await generateText({
      model: openai.chat('gpt-4o-mini'),
      prompt: 'hi',
      maxRetries: 0,
    }).catch((e: unknown) => e)) as APICallError;
    expect(error.message).toBe('You exceeded your quota.');
    expect(error.data).toMatchObject({ error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    // The HTTP path marks every 429 retryable, quota exhaustion included: the gateway must read the code.
    expect(error.isRetryable).toBe(true);
    expect(error.responseHeaders?.['retry-after-ms']).toBe('1500');
  });

  it('an in-stream error before any output: openai.chat turns it into a retryable APICallError', async () => {
    fake.enqueue({ streamErrorAfterChunks: 0, errorType: 'rate_limit_exceeded', message: 'Slow down.' });
    const openai = createOpenAI({ baseURL: fake.url, apiKey: fake.apiKey });
    const errors: unknown[] = [];
    const result = streamText({
      model: openai.chat('gpt-4o-mini'),
      prompt: 'hi',
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    await result.consumeStream();
    expect(errors).toHaveLength(1);
    expect(APICallError.isInstance(errors[0])).toBe(true);
    expect(errors[0]).toMatchObject({ statusCode: 429, isRetryable: true, message: 'Slow down.' });
  });

  it('embeddings: texts sharing words are closer', async () => {
    const openai = createOpenAI({ baseURL: fake.url, apiKey: fake.apiKey });
    const { embeddings } = await embedMany({
      model: openai.embedding('text-embedding-3-small'),
      values: ['red apples', 'green apples', 'tax law'],
      maxRetries: 0,
    });
    const [red, green, tax] = embeddings as [number[], number[], number[]];
    expect(cosineSimilarity(red, green)).toBeGreaterThan(cosineSimilarity(red, tax));
    expect(record(fake.requests[0]?.body)).toMatchObject({
      input: ['red apples', 'green apples', 'tax law'],
    });
  });

  it('embedding faults apply too', async () => {
    fake.enqueue({ status: 503 });
    const openai = createOpenAI({ baseURL: fake.url, apiKey: fake.apiKey });
    const error = await embedMany({
      model: openai.embedding('text-embedding-3-small'),
      values: ['x'],
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect((error as APICallError).statusCode).toBe(503);
  });

  it('record: false keeps no requests (for benchmarks)', async () => {
    const quiet = await startFakeOpenAI({ record: false });
    try {
      const openai = createOpenAI({ baseURL: quiet.url, apiKey: quiet.apiKey });
      await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'hi', maxRetries: 0 });
      expect(quiet.requests).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});

function list0(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined;
}
