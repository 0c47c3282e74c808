import { APICallError } from '@ai-sdk/provider';
import { generateText, streamText, type TextStreamPart, type ToolSet } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from './fake-anthropic.js';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.js';
import type { FakeVendor } from './fake-vendor.js';
import { sdkClients } from './sdk-clients.js';

// Every fault, through every real SDK client: what the gateway will see.

let openai: FakeOpenAI;
let anthropic: FakeVendor;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  anthropic = await startFakeAnthropic();
});
afterAll(async () => {
  await openai.close();
  await anthropic.close();
});
afterEach(() => {
  openai.reset();
  anthropic.reset();
});

const names = ['openai.responses', 'openai.chat', 'openai-compatible', 'groq', 'anthropic'] as const;
const client = (name: string) => {
  const found = sdkClients({ openai, anthropic }).find((c) => c.name === name);
  if (!found) throw new Error(name);
  return found;
};

async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Drain a stream: its parts, the text seen, and what the iteration threw. */
async function drain(result: { fullStream: AsyncIterable<TextStreamPart<ToolSet>> }) {
  const parts: TextStreamPart<ToolSet>[] = [];
  let thrown: unknown;
  try {
    for await (const part of result.fullStream) parts.push(part);
  } catch (error) {
    thrown = error;
  }
  const deltas = parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : []));
  return { parts, thrown, deltas, text: deltas.join('') };
}

const quiet = () => {};

describe.each(names)('%s faults', (name) => {
  it('429 surfaces as a retryable APICallError carrying retry-after', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ status: 429, retryAfterS: 7 });
    const error = await rejection(generateText({ model, prompt: 'hi', maxRetries: 0 }));
    expect(APICallError.isInstance(error)).toBe(true);
    const e = error as APICallError;
    expect(e.statusCode).toBe(429);
    expect(e.isRetryable).toBe(true);
    expect(e.responseHeaders?.['retry-after']).toBe('7');
    expect(e.message).toMatch(/rate limit/i);
  });

  it("429 then success: the SDK's own retry waits for retry-after, not its 2 s backoff", async () => {
    const { fake, model } = client(name);
    fake.enqueue({ status: 429, retryAfterS: 0.05 }, { reply: 'second time lucky' });
    const started = Date.now();
    const result = await generateText({ model, prompt: 'hi', maxRetries: 1 });
    expect(result.text).toBe('second time lucky');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it.each([500, 502, 503])('%i surfaces as a retryable APICallError', async (status) => {
    const { fake, model } = client(name);
    fake.enqueue({ status });
    const error = await rejection(generateText({ model, prompt: 'hi', maxRetries: 0 }));
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(status);
    expect((error as APICallError).isRetryable).toBe(true);
  });

  it('all down: a default status answers every call', async () => {
    const { fake, model } = client(name);
    fake.setDefault({ status: 503 });
    for (let i = 0; i < 3; i++) {
      const error = await rejection(generateText({ model, prompt: `try ${i}`, maxRetries: 0 }));
      expect((error as APICallError).statusCode).toBe(503);
    }
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 503]);
  });

  it('an HTTP error on a stream is an error part, not a throw; usage rejects', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ status: 500 });
    const errors: unknown[] = [];
    const result = streamText({
      model,
      prompt: 'hi',
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    const { parts, thrown } = await drain(result);
    expect(thrown).toBeUndefined();
    const errorPart = parts.find((p) => p.type === 'error');
    expect((errorPart as { error: APICallError } | undefined)?.error.statusCode).toBe(500);
    expect(errors).toHaveLength(1);
    expect(await rejection(result.usage)).toMatchObject({ name: 'AI_NoOutputGeneratedError' });
  });

  it('hang + abort signal: the call rejects with AbortError and the server frees the request', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ hang: true });
    const controller = new AbortController();
    const call = generateText({ model, prompt: 'hi', maxRetries: 0, abortSignal: controller.signal });
    await expect.poll(() => fake.requests[0]?.behaviour).toEqual({ hang: true });
    expect(fake.inFlight).toBe(1);
    controller.abort();
    expect(await rejection(call)).toMatchObject({ name: 'AbortError' });
    await fake.waitForIdle();
    expect(fake.inFlight).toBe(0);
    expect(fake.requests[0]?.outcome).toBe('aborted');
  });

  it('hang + timeout: TimeoutError (a DOMException, not an APICallError), request freed', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ hang: true });
    const error = await rejection(generateText({ model, prompt: 'hi', maxRetries: 0, timeout: 100 }));
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(APICallError.isInstance(error)).toBe(false);
    await fake.waitForIdle();
    expect(fake.requests[0]?.outcome).toBe('aborted');
  });

  it('hang on a stream + timeout: an abort part, usage rejects', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ hang: true });
    const result = streamText({ model, prompt: 'hi', maxRetries: 0, timeout: 100, onError: quiet });
    const { parts, thrown } = await drain(result);
    expect(thrown).toBeUndefined();
    expect(parts.map((p) => p.type)).toContain('abort');
    expect(await rejection(result.usage)).toMatchObject({ name: 'TimeoutError' });
    await fake.waitForIdle();
  });

  it('delayMs: slow headers still answer; past the timeout they abort', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ delayMs: 80 }, { delayMs: 2_000 });
    const started = Date.now();
    const slow = await generateText({ model, prompt: 'slow', maxRetries: 0, timeout: 1_000 });
    expect(slow.text).toBe('echo: slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(
      await rejection(generateText({ model, prompt: 'slower', maxRetries: 0, timeout: 100 })),
    ).toMatchObject({
      name: 'TimeoutError',
    });
    await fake.waitForIdle();
  });

  it('firstTokenDelayMs: headers at once, the first token later', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ firstTokenDelayMs: 80, chunkDelayMs: 5 });
    const started = Date.now();
    const result = streamText({ model, prompt: 'a b c', maxRetries: 0 });
    const { text } = await drain(result);
    expect(text).toBe('echo: a b c');
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('malformed JSON body: an APICallError (status 200, not retryable), not a crash', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ malformed: true });
    const error = await rejection(generateText({ model, prompt: 'hi', maxRetries: 0 }));
    expect(APICallError.isInstance(error)).toBe(true);
    const e = error as APICallError;
    expect(e.message).toBe('Invalid JSON response');
    expect(e.statusCode).toBe(200);
    expect(e.isRetryable).toBe(false);
    expect(e.cause).toMatchObject({ name: 'AI_JSONParseError' });
  });

  it('malformed SSE chunk: an error part in the stream, which then carries on', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ malformed: true });
    const errors: unknown[] = [];
    const result = streamText({
      model,
      prompt: 'x y',
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    const { parts, thrown, text } = await drain(result);
    expect(thrown).toBeUndefined();
    const errorPart = parts.find((p) => p.type === 'error') as { error: Error } | undefined;
    expect(errorPart?.error.name).toBe('AI_JSONParseError');
    expect(errors).toHaveLength(1);
    // The SDKs skip the bad chunk: the rest arrives, finish reason and all.
    expect(text).toBe('echo: x y');
    expect(parts.at(-1)?.type).toBe('finish');
  });

  it('cut stream: the first chunks arrive, then iteration throws a retryable APICallError; no usage', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ cutAfterChunks: 2 });
    const result = streamText({ model, prompt: 'one two three four five', maxRetries: 0, onError: quiet });
    const { deltas, thrown } = await drain(result);
    expect(deltas).toEqual(['echo: ', 'one ']);
    expect(APICallError.isInstance(thrown)).toBe(true);
    const e = thrown as APICallError;
    expect(e.message).toBe('Failed to process successful response');
    expect(e.statusCode).toBe(200);
    expect(e.isRetryable).toBe(true);
    expect(e.cause).toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect(APICallError.isInstance(await rejection(result.usage))).toBe(true);
    await fake.waitForIdle();
    expect(fake.requests[0]?.outcome).toBe('cut');
  });

  it('in-stream error event: an error part holding a plain object (not an Error), finish reason error, no usage', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ streamErrorAfterChunks: 2 });
    const errors: unknown[] = [];
    const result = streamText({
      model,
      prompt: 'one two three',
      maxRetries: 0,
      onError: ({ error }) => void errors.push(error),
    });
    const { parts, thrown, deltas } = await drain(result);
    expect(thrown).toBeUndefined();
    expect(deltas).toEqual(['echo: ', 'one ']);
    const error = (parts.find((p) => p.type === 'error') as { error: unknown } | undefined)?.error;
    expect(error).not.toBeInstanceOf(Error);
    expect(error).toMatchObject({
      message: name === 'anthropic' ? 'Overloaded' : expect.stringMatching(/server had an error/),
    });
    expect(errors).toEqual([error]);
    expect(await result.finishReason).toBe('error');
    expect((await result.usage).outputTokens).toBeUndefined();
  });

  it('stalled stream: timeout.chunkMs ends it with an abort part after the first chunks', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ stallAfterChunks: 2 });
    const result = streamText({
      model,
      prompt: 'one two three',
      maxRetries: 0,
      timeout: { chunkMs: 100 },
      onError: quiet,
    });
    const { parts, deltas } = await drain(result);
    expect(deltas).toEqual(['echo: ', 'one ']);
    expect(parts.at(-1)?.type).toBe('abort');
    expect(await rejection(result.usage)).toMatchObject({
      name: 'TimeoutError',
      message: 'Chunk timeout of 100ms exceeded',
    });
    await fake.waitForIdle();
    expect(fake.requests[0]?.outcome).toBe('aborted');
  });
});
