import { type Admin, callApi, type TestKeel } from './keel.js';

/** Enough data for every page to show something real: users, LLM calls, a notice, a key, an inbox item. */
export async function seed(server: TestKeel, admin: Admin): Promise<void> {
  const api = <T = unknown>(method: string, path: string, body?: unknown) =>
    callApi<T>(server, admin, method, path, body);
  await api('PATCH', '/me/settings', { language: 'en' });
  await api('PATCH', '/me/profile', { full_name: 'Root Admin' });

  const people = [
    { username: 'alice', email: 'alice@example.com', full_name: 'Alice Kim' },
    { username: 'bob', email: 'bob@example.com', full_name: 'Bob Lee' },
    { username: 'carol', email: 'carol@example.com', full_name: 'Carol Park', roles: ['org_admin'] },
  ];
  const ids: string[] = [];
  for (const person of people) ids.push((await api<{ id: string }>('POST', '/users/', person)).id);
  await api('PATCH', `/users/${ids[1]}`, { status: 'banned' });
  await api('PUT', `/plans/users/${ids[0]}`, { plan_key: 'basic', trial: true });

  // The offline provider answers: real metered calls for the usage charts.
  const calls = [
    ['commits.draft', 'diff --git a/src/parser.ts b/src/parser.ts\n+export function parse() {}'],
    ['commits.draft', 'diff --git a/README.md b/README.md\n+Install with npm.'],
    ['chat.reply', 'Where should I travel in Jeju in spring?'],
    ['ops.route', 'Why is the checkout service slow since yesterday?'],
    ['chat.reply', 'Recommend a quiet beach near Busan.'],
  ] as const;
  for (const [feature, prompt] of calls) await api('POST', '/llm/generate', { feature, prompt });

  const provider = await api<{ id: string }>('POST', '/llm/providers', {
    name: 'vllm',
    display_name: 'vLLM (GPU box)',
    kind: 'openai-compatible',
    base_url: 'http://gpu-box.internal:8000/v1',
    priority: 5,
  });
  await api('POST', `/llm/providers/${provider.id}/keys`, { name: 'main', key: 'sk-local-0000000000001234' });
  await api('POST', '/llm/models', {
    provider_id: provider.id,
    name: 'llama-3.1-8b-instruct',
    display_name: 'Llama 3.1 8B',
    context_window: 131072,
    input_price_per_mtok: 0.05,
    output_price_per_mtok: 0.08,
    capabilities: ['chat', 'json'],
  });

  await api('POST', '/notify/notices', {
    title: 'Maintenance on Sunday',
    content: 'Keel will be read-only from 02:00 to 03:00 KST while the database is upgraded.',
    notice_type: 'maintenance',
    priority: 'normal',
    is_active: true,
  });
  await api('POST', '/api-keys/', { name: 'ci-deploy', actions: ['me.read'] });
  const me = await api<{ id: string }>('GET', '/me/');
  await api('POST', '/notify/send', {
    to: { user_id: me.id },
    template: 'notify.test',
    channels: ['inapp'],
    data: { message: 'Your weekly usage report is ready.' },
  });
}
