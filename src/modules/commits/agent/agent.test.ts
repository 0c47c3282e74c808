import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';
import { createTestRepo, type TestRepo } from '../capture/test-repo.js';
import { createAgent } from './agent.js';

const header = (guard: string) =>
  `export function parseHeader(text: string) {\n${guard}  const [name, value] = text.split(':');\n  return { name, value };\n}\n`;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Other', '-c', 'user.email=o@x', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: 'pipe',
  }).trim();

// One database is enough: the agent talks HTTP to the same API the routes test covers on both.
describe.each(testDatabases.slice(0, 1))('keel watch agent ($kind)', (target) => {
  const h = useIdentityHarness(target);
  let owner: SignedInUser;
  let server: string;
  let remote: string;
  let repo: TestRepo;
  let repositoryId: string;

  beforeAll(async () => {
    owner = await h.user();
    const admin = await h.user({ roles: ['admin'] });
    await h.app.inject({
      method: 'PUT',
      url: `/plans/users/${owner.id}`,
      headers: admin.auth,
      payload: { plan_key: 'premium' },
    });
    server = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const created = await h.app.inject({
      method: 'POST',
      url: '/commits/repositories',
      headers: owner.auth,
      payload: { name: 'agent' },
    });
    repositoryId = created.json().id;
  });

  beforeEach(() => {
    remote = mkdtempSync(join(tmpdir(), 'keel-remote-'));
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    repo = createTestRepo();
    repo.git('config', 'user.name', 'Dev');
    repo.git('config', 'user.email', 'dev@example.com');
    repo.write('src/parser/header.ts', header(''));
    repo.commit('feat(parser): parse headers');
    repo.git('remote', 'add', 'origin', remote);
    repo.git('push', '-q', 'origin', 'HEAD:main');
    repo.git('branch', '--set-upstream-to=origin/main');
  });
  afterAll(() => {
    repo?.cleanup();
    rmSync(remote, { recursive: true, force: true });
  });

  const agentFor = (extra: Partial<Parameters<typeof createAgent>[0]> = {}) =>
    createAgent({
      repoDir: repo.dir,
      server,
      token: owner.accessToken,
      repositoryId,
      retryDelayMs: 5,
      ...extra,
    });

  async function approveByLink(reviewUrl: string | null, message?: string) {
    const token = (reviewUrl ?? '').split('/').at(-1);
    const res = await h.app.inject({
      method: 'POST',
      url: `/commits/review/${token}/approve`,
      payload: message ? { message } : {},
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('drafts, and after the approval commits exactly the change and pushes it to the remote', async () => {
    const agent = agentFor();
    expect(await agent.requestDraft()).toBeNull(); // nothing changed yet
    repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
    repo.write('notes.txt', 'not part of the change\n');
    const drafted = await agent.requestDraft();
    expect(drafted?.message.split('\n')[0]).toBe('fix(parser): handle empty text in parseHeader');
    repo.write('later.txt', 'written after the draft\n');
    await approveByLink(drafted?.reviewUrl ?? null, 'fix(parser): reject an empty header');

    const applied = await agent.applyApproved();
    expect(applied).toEqual([
      { requestId: drafted?.requestId, status: 'pushed', commitSha: expect.stringMatching(/^[0-9a-f]{40}$/) },
    ]);
    expect(git(remote, 'log', '-1', '--format=%s', 'main')).toBe('fix(parser): reject an empty header');
    expect(git(remote, 'show', '--name-only', '--format=', 'main').split('\n').sort()).toEqual([
      'notes.txt',
      'src/parser/header.ts',
    ]);
    // What came after the draft is not committed.
    expect(repo.git('status', '--porcelain')).toBe('?? later.txt');
    const detail = await h.app.inject({
      method: 'GET',
      url: `/commits/requests/${drafted?.requestId}`,
      headers: owner.auth,
    });
    expect(detail.json()).toMatchObject({
      status: 'pushed',
      finalized: { commit_sha: applied[0]?.commitSha, push_error: null },
    });
    expect(await agent.applyApproved()).toEqual([]); // once
  });

  it('reports a rejected push with git’s reason and keeps the commit and the working tree', async () => {
    const other = mkdtempSync(join(tmpdir(), 'keel-other-'));
    try {
      git(other, 'clone', '-q', remote, '.');
      execFileSync('sh', ['-c', 'echo upstream > upstream.txt'], { cwd: other });
      git(other, 'add', '-A');
      git(other, 'commit', '-qm', 'docs: upstream');
      git(other, 'push', '-q', 'origin', 'HEAD:main');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    const agent = agentFor();
    repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
    const drafted = await agent.requestDraft();
    await approveByLink(drafted?.reviewUrl ?? null);
    const [applied] = await agent.applyApproved();
    expect(applied).toMatchObject({
      status: 'push_failed',
      error: expect.stringMatching(/rejected|fetch first/),
    });
    expect(repo.git('log', '-1', '--format=%s')).toBe('fix(parser): handle empty text in parseHeader');
    const detail = await h.app.inject({
      method: 'GET',
      url: `/commits/requests/${drafted?.requestId}`,
      headers: owner.auth,
    });
    expect(detail.json()).toMatchObject({
      status: 'push_failed',
      finalized: {
        message: 'fix(parser): handle empty text in parseHeader',
        push_error: expect.stringMatching(/rejected/),
      },
    });
  });

  it('commits nothing when HEAD moved after the draft, and says so', async () => {
    const agent = agentFor();
    repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
    const drafted = await agent.requestDraft();
    repo.write('other.txt', 'x\n');
    repo.git('add', 'other.txt');
    repo.git('commit', '-qm', 'chore: by hand');
    await approveByLink(drafted?.reviewUrl ?? null);
    const [applied] = await agent.applyApproved();
    expect(applied).toMatchObject({
      status: 'push_failed',
      commitSha: null,
      error: expect.stringContaining('HEAD moved'),
    });
    expect(repo.git('log', '-1', '--format=%s')).toBe('chore: by hand');
    expect(repo.git('status', '--porcelain')).toBe('M src/parser/header.ts');
  });

  it('retries the server when the network drops between the approval and the report', async () => {
    let failures = 2;
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/report') && failures-- > 0) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const agent = agentFor({ fetch: flaky });
    repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
    const drafted = await agent.requestDraft();
    await approveByLink(drafted?.reviewUrl ?? null);
    const [applied] = await agent.applyApproved();
    expect(applied?.status).toBe('pushed');
    const detail = await h.app.inject({
      method: 'GET',
      url: `/commits/requests/${drafted?.requestId}`,
      headers: owner.auth,
    });
    expect(detail.json().status).toBe('pushed');
  });

  it('watches: drafts once the files have been quiet for the idle time', async () => {
    const agent = agentFor();
    const controller = new AbortController();
    const running = agent.watch({ idleMs: 300, pollMs: 60_000, signal: controller.signal });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
      const deadline = Date.now() + 15_000;
      let items: unknown[] = [];
      while (Date.now() < deadline && items.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const list = await h.app.inject({
          method: 'GET',
          url: `/commits/requests?repository_id=${repositoryId}&status=ready`,
          headers: owner.auth,
        });
        items = (list.json().items as Array<{ trigger: string; created_at: string }>).filter(
          (r) => r.trigger === 'watch' && Date.parse(r.created_at) > deadline - 16_000,
        );
      }
      expect(items).toHaveLength(1);
    } finally {
      controller.abort();
      await running;
    }
  });
});
