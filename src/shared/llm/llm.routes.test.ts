import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/db.js';
import { useIdentityHarness } from '../../../test/support/identity.js';
import { type FakeOpenAI, startFakeOpenAI } from './testing/fake-openai.js';

describe.each(testDatabases)('LLM routes ($kind)', (target) => {
  const h = useIdentityHarness(target);
  let openai: FakeOpenAI;

  beforeAll(async () => {
    openai = await startFakeOpenAI({ apiKeys: ['sk-route-test-key-9876'] });
  });
  afterAll(async () => {
    await openai?.close();
  });

  it("answers from Keel's offline provider on a fresh install, and says so", async () => {
    const user = await h.user();
    const response = await h.app.inject({
      method: 'POST',
      url: '/llm/generate',
      headers: user.auth,
      payload: { feature: 'chat.reply', prompt: 'Recommend a city for a weekend trip' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      provider: 'keel-offline',
      model: 'keel-offline-1',
      offline: true,
      attempts: 1,
    });
  });

  it('lets an admin register a provider, key and model, shows only the last four characters, and routes to it', async () => {
    const admin = await h.user({ roles: ['admin'] });
    const provider = await h.app.inject({
      method: 'POST',
      url: '/llm/providers',
      headers: admin.auth,
      payload: {
        name: 'openai-test',
        display_name: 'OpenAI (test)',
        kind: 'openai',
        base_url: openai.url,
        priority: 10,
      },
    });
    expect(provider.statusCode).toBe(201);
    const providerId = provider.json().id as string;
    const key = await h.app.inject({
      method: 'POST',
      url: `/llm/providers/${providerId}/keys`,
      headers: admin.auth,
      payload: { name: 'main', key: 'sk-route-test-key-9876', monthly_budget_usd: 50 },
    });
    expect(key.statusCode).toBe(201);
    expect(key.json()).toMatchObject({ last4: '9876', monthly_budget_usd: 50 });
    expect(key.body).not.toContain('sk-route-test-key');
    const list = await h.app.inject({
      method: 'GET',
      url: `/llm/providers/${providerId}/keys`,
      headers: admin.auth,
    });
    expect(list.body).not.toContain('sk-route-test-key');

    const model = await h.app.inject({
      method: 'POST',
      url: '/llm/models',
      headers: admin.auth,
      payload: {
        provider_id: providerId,
        name: 'gpt-4o-mini',
        display_name: 'GPT-4o mini',
        input_price_per_mtok: 0.15,
        output_price_per_mtok: 0.6,
        capabilities: ['chat', 'json'],
      },
    });
    expect(model.statusCode).toBe(201);
    const rule = await h.app.inject({
      method: 'POST',
      url: '/llm/routing-rules',
      headers: admin.auth,
      payload: { feature: 'chat.reply', model_id: model.json().id, priority: 10 },
    });
    expect(rule.statusCode).toBe(201);

    const tested = await h.app.inject({
      method: 'POST',
      url: `/llm/keys/${key.json().id}/test`,
      headers: admin.auth,
    });
    expect(tested.json()).toMatchObject({ ok: true, model: 'gpt-4o-mini', error: null });

    const user = await h.user();
    openai.enqueue({ reply: 'Try Gyeongju.' });
    const answer = await h.app.inject({
      method: 'POST',
      url: '/llm/generate',
      headers: user.auth,
      payload: { feature: 'chat.reply', prompt: 'Recommend a city' },
    });
    expect(answer.json()).toMatchObject({ text: 'Try Gyeongju.', provider: 'openai-test', offline: false });

    // Server-sent events: start, text deltas, finish.
    openai.enqueue({ reply: 'Busan has beaches.' });
    const stream = await h.app.inject({
      method: 'POST',
      url: '/llm/stream',
      headers: user.auth,
      payload: { feature: 'chat.reply', messages: [{ role: 'user', content: 'And by the sea?' }] },
    });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const events = stream.body
      .trim()
      .split('\n\n')
      .map((block) => {
        const [eventLine, dataLine] = block.split('\n');
        return {
          event: eventLine?.slice('event: '.length),
          data: JSON.parse(dataLine?.slice('data: '.length) ?? '{}'),
        };
      });
    expect(events[0]).toMatchObject({ event: 'start', data: { provider: 'openai-test' } });
    expect(
      events
        .filter((e) => e.event === 'text')
        .map((e) => e.data.delta)
        .join(''),
    ).toBe('Busan has beaches.');
    expect(events.at(-1)?.event).toBe('finish');

    const usage = await h.app.inject({
      method: 'GET',
      url: '/llm/usage?group_by=provider',
      headers: admin.auth,
    });
    expect(usage.statusCode).toBe(200);
    expect(usage.json().rows.map((r: { key: string }) => r.key)).toEqual(
      expect.arrayContaining(['keel-offline', 'openai-test']),
    );
  });

  it("counts plan quotas before calling: the free plan's sixth commit draft of the day is a 429 naming the limit", async () => {
    const user = await h.user();
    const draft = () =>
      h.app.inject({
        method: 'POST',
        url: '/llm/generate',
        headers: user.auth,
        payload: { feature: 'commits.draft', prompt: 'diff --git a/x b/x' },
      });
    for (let i = 0; i < 5; i++) expect((await draft()).statusCode).toBe(200);
    const refused = await draft();
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      code: 'rate_limited',
      feature: 'commits',
      limit: 5,
      period: 'day',
    });
  });

  it('embeds texts and code offline, caching each text by its hash', async () => {
    const user = await h.user();
    const embed = (space: 'text' | 'code', texts: string[]) =>
      h.app.inject({ method: 'POST', url: '/llm/embed', headers: user.auth, payload: { space, texts } });
    const first = await embed('text', ['여행 추천 부탁해요', 'Where to travel in May?']);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      model: 'keel-offline/hashed-text-1536',
      dims: 1536,
      cached: 0,
      offline: true,
    });
    expect(first.json().vectors).toHaveLength(2);
    expect(first.json().vectors[0]).toHaveLength(1536);
    const second = await embed('text', ['Where to travel in May?', 'A new sentence']);
    expect(second.json().cached).toBe(1);
    expect(second.json().vectors[0]).toEqual(first.json().vectors[1]);
    const code = await embed('code', [
      '// path: a.ts\nexport function add(a: number, b: number) { return a + b; }',
    ]);
    expect(code.json()).toMatchObject({ model: 'keel-offline/code-paths-512', dims: 512 });
  });

  it('refuses non-admins, bad input and unknown ids with problems naming the field', async () => {
    const user = await h.user();
    const admin = await h.user({ roles: ['admin'] });
    expect(
      (await h.app.inject({ method: 'GET', url: '/llm/providers', headers: user.auth })).statusCode,
    ).toBe(403);
    const both = await h.app.inject({
      method: 'POST',
      url: '/llm/generate',
      headers: user.auth,
      payload: { prompt: 'x', messages: [{ role: 'user', content: 'y' }] },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('body.prompt');
    const injection = await h.app.inject({
      method: 'POST',
      url: '/llm/providers',
      headers: admin.auth,
      payload: { name: "x'; drop table llm.providers; --", display_name: 'x', kind: 'openai' },
    });
    expect(injection.statusCode).toBe(400);
    expect(injection.json().errors[0].field).toBe('body.name');
    const huge = await h.app.inject({
      method: 'POST',
      url: '/llm/generate',
      headers: user.auth,
      payload: { prompt: 'a'.repeat(300_000) },
    });
    expect(huge.statusCode).toBe(400);
    const compatible = await h.app.inject({
      method: 'POST',
      url: '/llm/providers',
      headers: admin.auth,
      payload: { name: 'vllm', display_name: 'vLLM', kind: 'openai-compatible' },
    });
    expect(compatible.statusCode).toBe(400);
    expect(compatible.json().errors[0].field).toBe('body.base_url');
    const missing = await h.app.inject({
      method: 'POST',
      url: '/llm/keys/00000000-0000-4000-8000-000000000000/test',
      headers: admin.auth,
    });
    expect(missing.statusCode).toBe(404);
  });
});
