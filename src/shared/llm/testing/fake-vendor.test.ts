import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.js';
import { chunksOf, embeddingOf, sampleFromSchema, tokensOf } from './fake-vendor.js';

describe('fake vendor helpers', () => {
  it('splits text into word chunks that join back, and counts them as tokens', () => {
    const text = 'echo: hello,  world\nagain';
    expect(chunksOf(text)).toEqual(['echo: ', 'hello,  ', 'world\n', 'again']);
    expect(chunksOf(text).join('')).toBe(text);
    expect(tokensOf(text)).toBe(4);
    expect(tokensOf('')).toBe(0);
    expect(chunksOf('{"a":1,"b":"x y"}')).toEqual(['{"a":1,', '"b":"x ', 'y"}']);
  });

  it('makes up values that satisfy a zod-generated JSON schema', () => {
    const shape = z.object({
      id: z.uuid(),
      name: z.string().min(3),
      age: z.number().int().min(18),
      ratio: z.number().gt(0.5).optional(),
      kind: z.enum(['a', 'b']),
      tags: z.array(z.string()).min(2),
      nested: z.object({ ok: z.boolean(), when: z.iso.datetime() }),
      either: z.union([z.string(), z.number()]),
      nothing: z.null(),
      fixed: z.literal('x'),
    });
    const value = sampleFromSchema(z.toJSONSchema(shape));
    expect(shape.parse(value)).toEqual(value);
  });

  it('embeds deterministically into unit vectors', () => {
    const a = embeddingOf('The cat sat', 16);
    expect(a).toEqual(embeddingOf('the CAT sat!', 16));
    expect(Math.hypot(...a)).toBeCloseTo(1, 12);
    expect(Math.hypot(...embeddingOf('', 16))).toBeCloseTo(1, 12);
    expect(embeddingOf('x', 3)).toHaveLength(3);
  });
});

describe('fake vendor server', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await startFakeOpenAI();
  });
  afterEach(() => fake.close());

  const chat = (content: string, init: RequestInit = {}) =>
    fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
      ...init,
    });
  const replyOf = async (res: Response) =>
    ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content;

  it('consumes the queue one behaviour per call, then the default, then answers normally', async () => {
    fake.enqueue({ reply: 'first' }, { reply: 'second' });
    fake.setDefault({ reply: 'default' });
    expect(fake.queued).toBe(2);
    expect(await replyOf(await chat('a'))).toBe('first');
    expect(await replyOf(await chat('b'))).toBe('second');
    expect(await replyOf(await chat('c'))).toBe('default');
    fake.setDefault();
    expect(await replyOf(await chat('d'))).toBe('echo: d');
    expect(fake.requests.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(fake.requests[0]?.behaviour).toEqual({ reply: 'first' });
  });

  it('truncates the echo of a long message', async () => {
    const long = 'word '.repeat(100);
    const reply = await replyOf(await chat(long));
    expect(reply?.length).toBeLessThan(220);
    expect(reply?.endsWith('…')).toBe(true);
  });

  it('reset() empties the queue, the default and the record', async () => {
    fake.enqueue({ status: 500 });
    fake.setDefault({ status: 503 });
    await chat('x');
    fake.reset();
    expect(fake.queued).toBe(0);
    expect(fake.requests).toHaveLength(0);
    expect((await chat('y')).status).toBe(200);
  });

  it('a client that goes away during a delay ends the exchange (no timer left behind)', async () => {
    fake.enqueue({ delayMs: 60_000 });
    const controller = new AbortController();
    const pending = chat('x', { signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(() => fake.inFlight).toBe(1);
    controller.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });
    await fake.waitForIdle(1_000);
    expect(fake.requests[0]?.outcome).toBe('aborted');
  });

  it('waitForIdle rejects while a request hangs', async () => {
    fake.enqueue({ hang: true });
    const pending = chat('x').catch((e: unknown) => e);
    await expect.poll(() => fake.inFlight).toBe(1);
    await expect(fake.waitForIdle(50)).rejects.toThrow(/1 request\(s\) still in flight/);
    await fake.close();
    expect(await pending).toMatchObject({ name: 'TypeError' });
  });

  it('close() ends hung and stalled connections at once', async () => {
    fake.enqueue({ hang: true }, { stallAfterChunks: 1 });
    const hung = chat('x').catch((e: unknown) => e);
    const stalled = fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}` },
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c' }] }),
    });
    const res = await stalled;
    const reader = res.body?.getReader();
    await reader?.read();
    await expect.poll(() => fake.inFlight).toBe(2);
    const started = Date.now();
    await fake.close();
    // A close that waited for the hung stream would never return; the bound is loose on purpose.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await hung).toMatchObject({ name: 'TypeError' });
    await expect(
      (async () => {
        for (;;) if ((await reader?.read())?.done) return 'ended cleanly';
      })(),
    ).rejects.toThrow();
  });

  it('malformed non-stream bodies are truncated JSON with status 200', async () => {
    fake.enqueue({ malformed: true });
    const res = await chat('x');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.startsWith('{"id":"chatcmpl-fake-1"')).toBe(true);
    expect(() => JSON.parse(body)).toThrow();
  });

  it('cutAfterChunks destroys the socket mid-body', async () => {
    fake.enqueue({ cutAfterChunks: 1 });
    const outcome = await new Promise<string>((resolve) => {
      const req = request(
        `${fake.url}/chat/completions`,
        { method: 'POST', headers: { authorization: `Bearer ${fake.apiKey}` } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve(`ended: ${body}`));
          res.on('error', (e) =>
            resolve(`${e.message}: ${body.split('\n\n').filter(Boolean).length} events`),
          );
        },
      );
      req.end(JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a b c' }] }));
    });
    // The role chunk and one content chunk, then the connection drops.
    expect(outcome).toBe('aborted: 2 events');
    expect(fake.requests[0]?.outcome).toBe('cut');
  });
});
