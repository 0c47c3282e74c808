import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';
import { waitFor } from '../../../../test/support/jobs.js';

interface AuditItem {
  id: string;
  at: string;
  user_id: string | null;
  org_id: string | null;
  action: string;
  result: string;
  status: number;
  ip?: string | null;
}

describe.each(testDatabases)('reading the action log ($kind)', (target) => {
  const h = useIdentityHarness(target);

  async function orgAdmin(): Promise<{ user: SignedInUser; orgId: string }> {
    const user = await h.user();
    const created = await h.app.inject({
      method: 'POST',
      url: '/orgs',
      headers: user.auth,
      payload: { name: 'Logged' },
    });
    return { user: await h.refresh(user), orgId: created.json().id as string };
  }

  async function read(
    user: SignedInUser,
    query = '',
  ): Promise<{ items: AuditItem[]; next_cursor: string | null }> {
    const response = await h.app.inject({ method: 'GET', url: `/audit${query}`, headers: user.auth });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  /** Audit rows are written once the response is sent: wait until the row is there. */
  const logged = (userId: string, action: string, result: string) =>
    waitFor(`${action} ${result} by ${userId}`, async () => {
      const rows = await h.services.ctx.db.query(
        'select 1 from identity.action_log where user_id = $1 and action = $2 and result = $3',
        [userId, action, result],
      );
      return rows.length > 0;
    });

  it("shows an org admin only their org's rows, without IPs; a platform admin sees all, with IPs", async () => {
    const a = await orgAdmin();
    const b = await orgAdmin();
    const member = await h.user();
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${a.orgId}/members/${member.id}`,
      headers: a.user.auth,
      payload: { role: 'member' },
    });
    await h.refresh(member);
    const started = new Date(Date.now() - 1000).toISOString();
    await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${a.orgId}`,
      headers: a.user.auth,
      payload: { name: 'A2' },
    });
    await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${b.orgId}`,
      headers: b.user.auth,
      payload: { name: 'B2' },
    });
    const denied = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${a.orgId}`,
      headers: member.auth,
      payload: { name: 'mine' },
    });
    expect(denied.statusCode).toBe(403);
    await logged(a.user.id, 'orgs.manage', 'succeeded');
    await logged(b.user.id, 'orgs.manage', 'succeeded');
    await logged(member.id, 'orgs.manage', 'denied');

    const seenByA = await read(a.user, '?limit=200');
    expect(seenByA.items.length).toBeGreaterThan(0);
    expect(seenByA.items.every((row) => row.org_id === a.orgId)).toBe(true);
    expect(seenByA.items.every((row) => !('ip' in row))).toBe(true);
    expect(seenByA.items).toContainEqual(
      expect.objectContaining({ user_id: a.user.id, action: 'orgs.manage', result: 'succeeded' }),
    );
    expect(seenByA.items).toContainEqual(
      expect.objectContaining({ user_id: member.id, action: 'orgs.manage', result: 'denied', status: 403 }),
    );
    expect(seenByA.items.some((row) => row.user_id === b.user.id)).toBe(false);
    // Asking for another org's rows finds nothing: the scope always applies.
    expect((await read(a.user, `?org_id=${b.orgId}`)).items).toEqual([]);

    const admin = await h.user({ roles: ['admin'] });
    const all = await read(admin, '?limit=200');
    const orgs = new Set(all.items.map((row) => row.org_id));
    expect(orgs.has(a.orgId) && orgs.has(b.orgId)).toBe(true);
    expect(all.items.every((row) => 'ip' in row)).toBe(true);
    expect(all.items.some((row) => row.ip === '127.0.0.1')).toBe(true);
    const onlyB = await read(admin, `?org_id=${b.orgId}`);
    expect(onlyB.items.length).toBeGreaterThan(0);
    expect(onlyB.items.every((row) => row.org_id === b.orgId)).toBe(true);

    const filtered = await read(
      admin,
      `?user_id=${member.id}&action=orgs.manage&result=denied&from=${encodeURIComponent(started)}`,
    );
    expect(filtered.items).toEqual([
      expect.objectContaining({ user_id: member.id, action: 'orgs.manage', result: 'denied' }),
    ]);
    const before = await read(admin, `?user_id=${member.id}&to=${encodeURIComponent(started)}`);
    expect(before.items).toEqual([]);

    const plain = await h.user();
    const refused = await h.app.inject({ method: 'GET', url: '/audit', headers: plain.auth });
    expect(refused.statusCode).toBe(403);
    const memberRefused = await h.app.inject({ method: 'GET', url: '/audit', headers: member.auth });
    expect(memberRefused.statusCode).toBe(403);
  });

  it('pages by id, newest first, with no row twice or missed', async () => {
    const admin = await h.user({ roles: ['admin'] });
    for (let i = 0; i < 5; i++) {
      await h.app.inject({
        method: 'PATCH',
        url: '/me/settings',
        headers: admin.auth,
        payload: { language: 'en' },
      });
    }
    const rows = await waitFor('five rows', async () => {
      const found = await h.services.ctx.db.query<{ id: string }>(
        'select l.id::text as id from identity.action_log l where l.user_id = $1 order by l.id desc',
        [admin.id],
      );
      return found.length === 5 && found;
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AuditItem[]; next_cursor: string | null } = await read(
        admin,
        `?user_id=${admin.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((row) => row.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(rows.map((row) => row.id));
  });

  it('refuses an org admin whose role was taken away, before their token expires', async () => {
    const a = await orgAdmin();
    const deputy = await h.user();
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${a.orgId}/members/${deputy.id}`,
      headers: a.user.auth,
      payload: { role: 'org_admin' },
    });
    await h.refresh(deputy);
    expect((await h.app.inject({ method: 'GET', url: '/audit', headers: deputy.auth })).statusCode).toBe(200);
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${a.orgId}/members/${deputy.id}`,
      headers: a.user.auth,
      payload: { role: 'member' },
    });
    expect((await h.app.inject({ method: 'GET', url: '/audit', headers: deputy.auth })).statusCode).toBe(403);
  });

  it('refuses SQL-injection and oversized filters with 400 naming the field', async () => {
    const admin = await h.user({ roles: ['admin'] });
    const injection = "x' or '1'='1";
    const long = 'a'.repeat(5_000);
    const cases: Array<[string, string]> = [
      [`?action=${encodeURIComponent(injection)}`, 'querystring.action'],
      [`?action=${long}`, 'querystring.action'],
      [`?user_id=${encodeURIComponent(injection)}`, 'querystring.user_id'],
      [`?org_id=${encodeURIComponent(injection)}`, 'querystring.org_id'],
      [`?result=${encodeURIComponent(injection)}`, 'querystring.result'],
      [`?from=${encodeURIComponent(injection)}`, 'querystring.from'],
      [`?to=${long}`, 'querystring.to'],
      [`?cursor=${encodeURIComponent(injection)}`, 'querystring.cursor'],
      ['?cursor=99999999999999999999', 'querystring.cursor'],
      ['?limit=100000', 'querystring.limit'],
    ];
    for (const [query, field] of cases) {
      const response = await h.app.inject({ method: 'GET', url: `/audit${query}`, headers: admin.auth });
      expect(response.statusCode, query.slice(0, 80)).toBe(400);
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
