import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../test/support/identity.js';
import { eventually, withNotifyOptions } from '../../../test/support/notify.js';
import { notifyServices } from '../../shared/notify/index.js';
import { createTestRepo, type TestRepo } from './capture/test-repo.js';

const HEADER_TS = (guard: string[]) =>
  [
    "import { split } from './split';",
    '',
    'export interface Header {',
    '  name: string;',
    '  value: string;',
    '}',
    '',
    'export function parseHeader(text: string): Header | null {',
    ...guard,
    '  const [name, value] = split(text);',
    '  return { name: name.trim(), value: value.trim() };',
    '}',
    '',
  ].join('\n');

interface Detail {
  id: string;
  status: string;
  files: number;
  drafts: Array<{
    id: string;
    type: string;
    scope: string | null;
    subject: string;
    message: string;
    origin: string;
    notes: string[];
  }>;
  files_changed: Array<{ path: string; elements: Array<{ name: string; top: boolean }> }>;
  scoping: { top: Array<{ name: string; guard_added: boolean }>; type_candidates: Array<{ value: string }> };
  finalized: { message: string; commit_sha: string | null; push_error: string | null } | null;
}

describe.each(testDatabases)('commits API ($kind)', (target) => {
  const h = useIdentityHarness(target, { modules: withNotifyOptions() });
  let owner: SignedInUser;
  let stranger: SignedInUser;
  let repo: TestRepo;
  let diff: string;
  let contents: Record<string, { old: string; new: string }>;

  beforeAll(async () => {
    owner = await h.user();
    stranger = await h.user();
    // Premium: this suite drafts more than the free plan's five commits a day.
    const admin = await h.user({ roles: ['admin'] });
    const plan = await h.app.inject({
      method: 'PUT',
      url: `/plans/users/${owner.id}`,
      headers: admin.auth,
      payload: { plan_key: 'premium' },
    });
    expect(plan.statusCode, plan.body).toBe(200);
    repo = createTestRepo();
    repo.write('src/parser/header.ts', HEADER_TS([]));
    repo.commit('feat(parser): parse headers');
    repo.write('src/parser/header.ts', HEADER_TS(['  if (!text) return null;']));
    diff = `${repo.git('diff')}\n`;
    contents = {
      'src/parser/header.ts': { old: HEADER_TS([]), new: HEADER_TS(['  if (!text) return null;']) },
    };
  });
  afterAll(() => repo?.cleanup());

  const post = (user: SignedInUser, url: string, payload: unknown) =>
    h.app.inject({ method: 'POST', url, headers: user.auth, payload: payload as Record<string, unknown> });

  async function newRepository(user: SignedInUser, body: Record<string, unknown> = {}) {
    const res = await post(user, '/commits/repositories', {
      name: `repo-${Math.random().toString(36).slice(2)}`,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; name: string; access: string };
  }

  async function draft(user: SignedInUser, repositoryId: string, extra: Record<string, unknown> = {}) {
    const res = await post(user, '/commits/requests', {
      repository_id: repositoryId,
      diff,
      contents,
      trigger: 'cli',
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Detail;
  }

  it('registers a repository, and refuses a taken name or a bad convention with the field', async () => {
    const created = await newRepository(owner, { name: 'keel' });
    expect(created).toMatchObject({ name: 'keel', access: 'A' });
    const again = await post(owner, '/commits/repositories', { name: 'keel' });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toMatchObject({ field: 'name' });
    const bad = await post(owner, '/commits/repositories', {
      name: 'other',
      convention: { kind: 'custom', template: '{{#type}}unclosed' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0].field).toBe('convention.template');
    const badRules = await post(owner, '/commits/repositories', {
      name: 'other',
      rules: [{ rule: 'subject-max-length', level: 'block', value: -3 }],
    });
    expect(badRules.statusCode).toBe(400);
    expect(badRules.json().errors[0].field).toMatch(/^rules\[0\]/);
    const list = await h.app.inject({ method: 'GET', url: '/commits/repositories', headers: owner.auth });
    expect(list.json().items.map((r: { name: string }) => r.name)).toEqual(['keel']);
  });

  it('drafts fix(parser) from a guard added to parseHeader, with the scoping and the changed files', async () => {
    const { id } = await newRepository(owner);
    const detail = await draft(owner, id);
    expect(detail.status).toBe('ready');
    expect(detail.files).toBe(1);
    expect(detail.drafts[0]).toMatchObject({
      type: 'fix',
      scope: 'parser',
      subject: 'handle empty text in parseHeader',
      origin: 'offline',
    });
    expect(detail.drafts[0]?.message).toBe('fix(parser): handle empty text in parseHeader');
    expect(detail.scoping.top[0]).toMatchObject({ name: 'parseHeader', guard_added: true });
    expect(detail.files_changed[0]?.elements[0]).toMatchObject({ name: 'parseHeader', top: true });
    const read = await h.app.inject({
      method: 'GET',
      url: `/commits/requests/${detail.id}`,
      headers: owner.auth,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().drafts).toHaveLength(detail.drafts.length);
  });

  it('refuses an empty diff naming the field, and hides a repository from a stranger', async () => {
    const { id } = await newRepository(owner);
    const empty = await post(owner, '/commits/requests', {
      repository_id: id,
      diff: 'no diff here',
      trigger: 'cli',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0]).toMatchObject({ field: 'diff' });
    const detail = await draft(owner, id);
    for (const url of [`/commits/repositories/${id}`, `/commits/requests/${detail.id}`]) {
      const res = await h.app.inject({ method: 'GET', url, headers: stranger.auth });
      expect(res.statusCode).toBe(404);
    }
    const theirs = await post(stranger, '/commits/requests', { repository_id: id, diff, trigger: 'cli' });
    expect(theirs.statusCode).toBe(404);
    const approve = await post(stranger, `/commits/requests/${detail.id}/approve`, {});
    expect(approve.statusCode).toBe(404);
  });

  it('approves once: two approvals at once make one finalized commit, the other is told why', async () => {
    const { id } = await newRepository(owner);
    const detail = await draft(owner, id);
    const [a, b] = await Promise.all([
      post(owner, `/commits/requests/${detail.id}/approve`, { draft_id: detail.drafts[0]?.id }),
      post(owner, `/commits/requests/${detail.id}/approve`, { draft_id: detail.drafts[0]?.id }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const conflict = a.statusCode === 409 ? a : b;
    expect(conflict.json().detail).toContain('already approved');
    const pending = await h.app.inject({
      method: 'GET',
      url: `/commits/repositories/${id}/approved`,
      headers: owner.auth,
    });
    expect(pending.json().items).toEqual([
      expect.objectContaining({ id: detail.id, message: 'fix(parser): handle empty text in parseHeader' }),
    ]);
    const pushed = await post(owner, `/commits/requests/${detail.id}/report`, {
      status: 'pushed',
      commit_sha: 'abc1234',
    });
    expect(pushed.statusCode).toBe(200);
    expect(pushed.json()).toMatchObject({
      status: 'pushed',
      finalized: { commit_sha: 'abc1234', push_error: null },
    });
    const after = await h.app.inject({
      method: 'GET',
      url: `/commits/repositories/${id}/approved`,
      headers: owner.auth,
    });
    expect(after.json().items).toEqual([]);
  });

  it('keeps the draft when a push is rejected, and refuses an edited message that breaks a block rule', async () => {
    const { id } = await newRepository(owner, {
      rules: [
        { rule: 'type-enum', level: 'block', value: ['feat', 'fix', 'docs', 'chore'] },
        { rule: 'subject-full-stop', level: 'warn', autofix: true },
      ],
    });
    const detail = await draft(owner, id);
    const broken = await post(owner, `/commits/requests/${detail.id}/approve`, { message: 'wip: stuff' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0]).toMatchObject({ field: 'message' });
    const approved = await post(owner, `/commits/requests/${detail.id}/approve`, {
      message: 'fix(parser): handle an empty header',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const failed = await post(owner, `/commits/requests/${detail.id}/report`, {
      status: 'push_failed',
      commit_sha: 'def5678',
      error: '! [rejected] main -> main (non-fast-forward)',
    });
    expect(failed.json()).toMatchObject({
      status: 'push_failed',
      finalized: {
        message: 'fix(parser): handle an empty header',
        push_error: expect.stringContaining('non-fast-forward'),
      },
    });
    // Still waiting for a push: the agent may retry.
    const retried = await post(owner, `/commits/requests/${detail.id}/report`, { status: 'pushed' });
    expect(retried.json()).toMatchObject({
      status: 'pushed',
      finalized: { commit_sha: 'def5678', push_error: null },
    });
  });

  it("writes in the team's voice: a Korean history gets Korean subjects", async () => {
    const { id } = await newRepository(owner);
    const korean = [
      'fix(parser): 빈 헤더 처리',
      'feat(parser): 헤더 파서 추가',
      'refactor(parser): split 함수 분리',
      'docs: README 설치 방법 갱신',
      'fix(auth): 토큰 만료 시간 수정',
      'feat(auth): 비밀번호 재설정 추가',
      'test(parser): 헤더 파서 테스트 추가',
    ];
    const recorded = await post(owner, `/commits/repositories/${id}/history`, {
      commits: korean.map((message, i) => ({
        sha: `${i}`.padStart(7, 'a'),
        message,
        committed_at: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
      })),
    });
    expect(recorded.json()).toEqual({ recorded: korean.length });
    const detail = await draft(owner, id);
    expect(detail.drafts[0]?.message).toBe('fix(parser): parseHeader에서 빈 텍스트 처리');
  });

  it('sends a single-use review link: it reads without a session, approves once, then answers 410', async () => {
    const { id } = await newRepository(owner);
    const created = await draft(owner, id);
    const url = (created as unknown as { review: { url: string; notification_id: string | null } }).review
      .url;
    expect(url).toMatch(/\/app\/commits\/review\/[0-9a-f]{32}\.[\w-]+$/);
    const token = url.split('/').at(-1) as string;
    const notify = notifyServices(h.context);
    notify.worker.start();
    try {
      const inbox = await eventually(async () => {
        const res = await h.app.inject({ method: 'GET', url: '/notify/inbox', headers: owner.auth });
        return res.json().unread_count > 0 && res.body;
      });
      expect(inbox).toContain('fix(parser): handle empty text in parseHeader');
      expect(inbox).toContain(token);
    } finally {
      await notify.worker.stop({ graceMs: 1_000 });
    }

    const page = await h.app.inject({ method: 'GET', url: `/commits/review/${token}` });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({
      id: created.id,
      status: 'ready',
      link: { expires_at: expect.any(String) },
    });
    const regenerated = await post(stranger, `/commits/review/${token}/regenerate`, { count: 1 });
    expect(regenerated.statusCode, regenerated.body).toBe(200);
    expect(regenerated.json().drafts.length).toBeGreaterThan(created.drafts.length);

    const [a, b] = await Promise.all([
      h.app.inject({ method: 'POST', url: `/commits/review/${token}/approve`, payload: {} }),
      h.app.inject({ method: 'POST', url: `/commits/review/${token}/approve`, payload: {} }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const used = await h.app.inject({ method: 'GET', url: `/commits/review/${token}` });
    expect(used.statusCode).toBe(410);
    // The phone that approved can still follow the commit and the push.
    const status = await h.app.inject({ method: 'GET', url: `/commits/review/${token}/status` });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({
      id: created.id,
      status: 'approved',
      finalized: { commit_sha: null },
      link: { used_at: expect.any(String) },
    });
    expect(used.headers['content-type']).toContain('application/problem+json');
    const again = await h.app.inject({ method: 'POST', url: `/commits/review/${token}/reject`, payload: {} });
    expect(again.statusCode).toBe(410);

    const forged = await h.app.inject({ method: 'GET', url: `/commits/review/${token.slice(0, -2)}xx` });
    expect(forged.statusCode).toBe(404);
  });

  it('refuses an expired review link with 410 and leaves the request as it was', async () => {
    const { id } = await newRepository(owner);
    const created = await draft(owner, id);
    const token = (created as unknown as { review: { url: string } }).review.url.split('/').at(-1) as string;
    await h.context.db.query("update notify.signed_links set expires_at = now() - interval '1 second'");
    const res = await h.app.inject({ method: 'POST', url: `/commits/review/${token}/approve`, payload: {} });
    expect(res.statusCode).toBe(410);
    const read = await h.app.inject({
      method: 'GET',
      url: `/commits/requests/${created.id}`,
      headers: owner.auth,
    });
    expect(read.json().status).toBe('ready');
  });

  it("counts drafts against the plan: the free plan's sixth request of the day is refused with the limit", async () => {
    const { id } = await newRepository(stranger);
    for (let i = 0; i < 5; i++) {
      const ok = await post(stranger, '/commits/requests', {
        repository_id: id,
        diff,
        trigger: 'cli',
        count: 1,
      });
      expect(ok.statusCode).toBe(201);
    }
    const over = await post(stranger, '/commits/requests', {
      repository_id: id,
      diff,
      trigger: 'cli',
      count: 1,
    });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ feature: 'commits', limit: 5, period: 'day' });
    const list = await h.app.inject({
      method: 'GET',
      url: `/commits/requests?repository_id=${id}`,
      headers: stranger.auth,
    });
    expect(list.json().items).toHaveLength(5);
    expect(list.json().items[0]).toMatchObject({
      repository_name: expect.stringMatching(/^repo-/),
      // Without the files' contents the analysis reads hunks only: no guard is seen.
      message_header: expect.stringMatching(/^fix\(parser\): /),
    });
  });

  it('reuses an approved message for a near-identical change and skips the model (seed P-6)', async () => {
    const { id } = await newRepository(owner);
    const first = await draft(owner, id);
    expect(first.drafts[0]).toMatchObject({ origin: 'offline', reuse: null });
    const approved = await post(owner, `/commits/requests/${first.id}/approve`, {
      message: 'fix(parser): reject an empty header in parseHeader',
    });
    expect(approved.statusCode).toBe(200);

    // The same guard in a function of another name.
    const footer = (guard: string[]) => HEADER_TS(guard).replaceAll('parseHeader', 'parseFooter');
    const other = createTestRepo();
    try {
      other.write('src/parser/header.ts', footer([]));
      other.commit('feat(parser): parse footers');
      other.write('src/parser/header.ts', footer(['  if (!text) return null;']));
      const res = await post(owner, '/commits/requests', {
        repository_id: id,
        diff: `${other.git('diff')}\n`,
        contents: { 'src/parser/header.ts': { old: footer([]), new: footer(['  if (!text) return null;']) } },
        trigger: 'cli',
      });
      expect(res.statusCode, res.body).toBe(201);
      const again = res.json() as Detail & {
        drafts: Array<{ reuse: { request_id: string; similarity: number } | null }>;
      };
      expect(again.drafts).toHaveLength(1);
      expect(again.drafts[0]).toMatchObject({
        origin: 'reuse',
        message: 'fix(parser): reject an empty header in parseFooter',
        reuse: { request_id: first.id, similarity: expect.any(Number) },
      });
      expect(again.drafts[0]?.reuse?.similarity).toBeGreaterThanOrEqual(0.85);
    } finally {
      other.cleanup();
    }
    // A different change in the same repository is drafted, not reused.
    const unrelated = await post(owner, '/commits/requests', {
      repository_id: id,
      diff: 'diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n # parser\n+Parses headers.\n',
      trigger: 'cli',
    });
    expect(unrelated.json().drafts[0].origin).toBe('offline');
  });

  it('writes a pull-request description from the analysis and keeps it when the plan saves them', async () => {
    const { id } = await newRepository(owner);
    const detail = await draft(owner, id);
    const res = await post(owner, `/commits/requests/${detail.id}/describe`, {});
    expect(res.statusCode, res.body).toBe(200);
    const { description, saved } = res.json() as { description: string; saved: boolean };
    expect(saved).toBe(true);
    expect(description).toContain('## fix(parser): handle empty text in parseHeader');
    expect(description).toContain(
      '`parseHeader` (function in `src/parser/header.ts`): changed, +1/−0; a new guard',
    );
    expect(description).toContain('### Files (1, +1/−0)');
    const stranger = await post(owner, '/commits/requests/00000000-0000-4000-8000-000000000000/describe', {});
    expect(stranger.statusCode).toBe(404);
  });
});
