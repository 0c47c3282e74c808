import { embedMany, generateObject, generateText, Output, stepCountIs, streamText, tool } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeAnthropic } from './fake-anthropic.js';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai.js';
import { type FakeVendor, record } from './fake-vendor.js';
import { sdkClients } from './sdk-clients.js';

// The real AI SDK clients (responses, chat, openai-compatible, groq, anthropic) against the fakes.

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

// Started lazily: the describe.each table needs the names before beforeAll runs.
const names = ['openai.responses', 'openai.chat', 'openai-compatible', 'groq', 'anthropic'] as const;
const client = (name: string) => {
  const found = sdkClients({ openai, anthropic }).find((c) => c.name === name);
  if (!found) throw new Error(name);
  return found;
};

const weather = tool({
  description: 'Current weather in a city',
  inputSchema: z.object({ city: z.string(), unit: z.enum(['c', 'f']).optional() }),
  execute: async ({ city }) => `sunny in ${city}`,
});

const cityShape = z.object({ city: z.string(), population: z.number().int(), tags: z.array(z.string()) });

describe.each(names)('%s through the real SDK', (name) => {
  it('generateText: echoes the last user message and reports word-count usage', async () => {
    const { fake, model, path } = client(name);
    const result = await generateText({
      model,
      system: 'be brief',
      prompt: 'hello there world',
      maxRetries: 0,
    });
    expect(result.text).toBe('echo: hello there world');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(5); // "be brief" + "hello there world"
    expect(result.usage.outputTokens).toBe(4);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(path);
    expect(request?.outcome).toBe('completed');
    expect(request?.behaviour).toEqual({});
  });

  it('reports scripted text and usage, cached input tokens included', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ reply: 'Scripted answer.', usage: { input: 120, output: 7, cached: 100 } });
    const result = await generateText({ model, prompt: 'anything', maxRetries: 0 });
    expect(result.text).toBe('Scripted answer.');
    expect(result.usage.inputTokens).toBe(120);
    expect(result.usage.outputTokens).toBe(7);
    expect(result.usage.inputTokenDetails.cacheReadTokens).toBe(100);
    expect(result.usage.inputTokenDetails.noCacheTokens).toBe(20);
  });

  it('streamText: streams word chunks and ends with usage', async () => {
    const { fake, model } = client(name);
    const result = streamText({ model, prompt: 'one two three four', maxRetries: 0 });
    const chunks: string[] = [];
    for await (const chunk of result.textStream) chunks.push(chunk);
    expect(chunks.join('')).toBe('echo: one two three four');
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    const usage = await result.usage;
    expect(usage.inputTokens).toBe(4);
    expect(usage.outputTokens).toBe(5);
    expect(await result.finishReason).toBe('stop');
    expect(record(fake.requests[0]?.body).stream).toBe(true);
  });

  it('generateText with a tool: the call arrives with parsed args, the result goes back', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ toolCall: { name: 'weather', args: { city: 'Paris', unit: 'c' } } });
    const result = await generateText({
      model,
      prompt: 'weather in Paris?',
      tools: { weather },
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.finishReason).toBe('tool-calls');
    expect(result.steps[0]?.toolCalls.map((c) => [c.toolName, c.input])).toEqual([
      ['weather', { city: 'Paris', unit: 'c' }],
    ]);
    expect(result.text).toBe('tool result: sunny in Paris');
    // The second request carried the tool result, the first one the tool definition.
    expect(JSON.stringify(fake.requests[0]?.body)).toContain('"weather"');
    expect(JSON.stringify(fake.requests[1]?.body)).toContain('sunny in Paris');
  });

  it('streamText with a tool: arguments stream in pieces and are assembled', async () => {
    const { fake, model } = client(name);
    fake.enqueue({
      toolCall: [
        { name: 'weather', args: { city: 'Rome' } },
        { name: 'weather', args: { city: 'Oslo', unit: 'f' } },
      ],
    });
    const result = streamText({
      model,
      prompt: 'weather in Rome and Oslo?',
      tools: { weather },
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    const steps = await result.steps;
    expect(steps[0]?.toolCalls.map((c) => c.input)).toEqual([{ city: 'Rome' }, { city: 'Oslo', unit: 'f' }]);
    expect(await result.text).toBe('tool result: sunny in Rome sunny in Oslo');
  });

  it('a forced tool choice is honoured with arguments made up from the schema', async () => {
    const { model } = client(name);
    const result = await generateText({
      model,
      prompt: 'use the tool',
      tools: { weather: tool({ inputSchema: weather.inputSchema }) },
      toolChoice: 'required',
      maxRetries: 0,
    });
    expect(result.toolCalls[0]?.input).toEqual({ city: 'city', unit: 'c' });
  });

  it('Output.object: a schema-conforming object by default, the scripted one when given', async () => {
    const { fake, model } = client(name);
    const made = await generateText({
      model,
      prompt: 'a city',
      output: Output.object({ schema: cityShape }),
      maxRetries: 0,
    });
    expect(cityShape.parse(made.output)).toEqual(made.output);

    fake.enqueue({ json: { city: 'Lyon', population: 522_000, tags: ['food'] } });
    const streamed = streamText({
      model,
      prompt: 'a city',
      output: Output.object({ schema: cityShape }),
      maxRetries: 0,
    });
    expect(await streamed.output).toEqual({ city: 'Lyon', population: 522_000, tags: ['food'] });
  });

  it('generateObject (the older API) gets the scripted object', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ json: { city: 'Turin', population: 848_000, tags: [] } });
    const { object } = await generateObject({ model, schema: cityShape, prompt: 'a city', maxRetries: 0 });
    expect(object).toEqual({ city: 'Turin', population: 848_000, tags: [] });
  });

  it('finish: length surfaces as finishReason length', async () => {
    const { fake, model } = client(name);
    fake.enqueue({ reply: 'cut short', finish: 'length' });
    const result = await generateText({ model, prompt: 'long story', maxRetries: 0 });
    expect(result.finishReason).toBe('length');
  });
});

describe.each(['openai.responses', 'openai-compatible'])('%s embeddings through the real SDK', (name) => {
  it('embedMany: deterministic unit vectors and prompt-token usage', async () => {
    const { embedding } = client(name);
    if (!embedding) throw new Error('no embedding model');
    const first = await embedMany({
      model: embedding,
      values: ['red apples', 'green apples', 'tax law'],
      maxRetries: 0,
    });
    const again = await embedMany({ model: embedding, values: ['red apples'], maxRetries: 0 });
    expect(first.embeddings).toHaveLength(3);
    expect(first.embeddings[0]).toHaveLength(64);
    expect(again.embeddings[0]).toEqual(first.embeddings[0]);
    expect(first.usage.tokens).toBe(6);
    const norm = Math.hypot(...(first.embeddings[0] ?? []));
    expect(norm).toBeCloseTo(1, 10);
  });

  it('honours the dimensions provider option', async () => {
    const { embedding } = client(name);
    if (!embedding) throw new Error('no embedding model');
    const provider = name === 'openai-compatible' ? 'compatible' : 'openai';
    const result = await embedMany({
      model: embedding,
      values: ['x'],
      providerOptions: { [provider]: { dimensions: 8 } },
      maxRetries: 0,
    });
    expect(result.embeddings[0]).toHaveLength(8);
  });
});
