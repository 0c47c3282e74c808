import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';

const missingId = '00000000-0000-4000-8000-000000000000';

describe.each(testDatabases)('organizations and their members ($kind)', (target) => {
  const h = useIdentityHarness(target);

  async function createOrg(user: SignedInUser, payload: Record<string, unknown> = {}): Promise<string> {
    const response = await h.app.inject({
      method: 'POST',
      url: '/orgs',
      headers: user.auth,
      payload: { name: `Org ${Math.random().toString(36).slice(2, 8)}`, ...payload },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  }

  /** A user who created an org and holds a token naming its org_admin role. */
  async function orgAdmin(): Promise<{ user: SignedInUser; orgId: string }> {
    const user = await h.user();
    const orgId = await createOrg(user);
    return { user: await h.refresh(user), orgId };
  }

  it('makes the creator org_admin; the next token carries the role', async () => {
    const user = await h.user();
    const created = await h.app.inject({
      method: 'POST',
      url: '/orgs',
      headers: user.auth,
      payload: { name: '  Acme  ', domain: 'acme-creator.example.com' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      name: 'Acme',
      domain: 'acme-creator.example.com',
      contract_status: 'trial',
      plan_key: 'org',
      active: true,
      owner_id: user.id,
      my_role: 'org_admin',
    });
    const orgId = created.json().id as string;

    const members = await h.app.inject({ method: 'GET', url: `/orgs/${orgId}/members`, headers: user.auth });
    expect(members.json().items).toEqual([expect.objectContaining({ user_id: user.id, role: 'org_admin' })]);
    const mine = await h.app.inject({ method: 'GET', url: '/orgs', headers: user.auth });
    expect(mine.json().items.map((o: { id: string }) => o.id)).toEqual([orgId]);

    // The token signed before the org existed names no org: a request about this org is judged by
    // the role the database holds, so managing does not wait for a refresh.
    const early = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}`,
      headers: user.auth,
      payload: { name: 'Acme Inc' },
    });
    expect(early.statusCode).toBe(200);
    expect(early.json().name).toBe('Acme Inc');
    await h.refresh(user);
    const claims = JSON.parse(Buffer.from(user.accessToken.split('.')[1] as string, 'base64url').toString());
    expect(claims).toMatchObject({ org: orgId, org_role: 'org_admin' });
  });

  it('refuses a taken domain with 409 naming body.domain, and a non-DNS one with 400', async () => {
    const first = await h.user();
    await createOrg(first, { domain: 'taken.example.org' });
    const second = await h.user();
    const taken = await h.app.inject({
      method: 'POST',
      url: '/orgs',
      headers: second.auth,
      payload: { name: 'Copycat', domain: 'taken.example.org' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'conflict', errors: [{ field: 'body.domain' }] });
    for (const domain of ['Taken.Example.org', 'no-dot', '-bad.example.com', 'a..b.com', 'x.com.']) {
      const bad = await h.app.inject({
        method: 'POST',
        url: '/orgs',
        headers: second.auth,
        payload: { name: 'Bad', domain },
      });
      expect(bad.statusCode, domain).toBe(400);
      expect(bad.json().errors[0].field).toBe('body.domain');
    }
    const { user, orgId } = await orgAdmin();
    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}`,
      headers: user.auth,
      payload: { domain: 'taken.example.org' },
    });
    expect(patched.statusCode).toBe(409);
    expect(patched.json().errors[0].field).toBe('body.domain');
    const orgs = await h.services.ctx.db.query<{ n: string }>(
      `select count(*) as n from identity.organizations where lower(domain) = 'taken.example.org'`,
    );
    expect(Number(orgs[0]?.n)).toBe(1);
  });

  it("answers 404 to another org's admin on the org, its members and its teams", async () => {
    const { user: owner, orgId } = await orgAdmin();
    const team = await h.app.inject({
      method: 'POST',
      url: `/orgs/${orgId}/teams`,
      headers: owner.auth,
      payload: { name: 'Core' },
    });
    expect(team.statusCode).toBe(201);
    const teamId = team.json().id as string;
    // An org_admin elsewhere holds orgs.manage and teams.manage: the refusal comes from the scope.
    const { user: stranger } = await orgAdmin();
    const attempts: Array<{
      method: 'GET' | 'PATCH' | 'PUT' | 'DELETE' | 'POST';
      url: string;
      payload?: object;
    }> = [
      { method: 'GET', url: `/orgs/${orgId}` },
      { method: 'PATCH', url: `/orgs/${orgId}`, payload: { name: 'Mine now' } },
      { method: 'GET', url: `/orgs/${orgId}/members` },
      { method: 'PUT', url: `/orgs/${orgId}/members/${stranger.id}`, payload: { role: 'org_admin' } },
      { method: 'DELETE', url: `/orgs/${orgId}/members/${owner.id}` },
      { method: 'GET', url: `/orgs/${orgId}/teams` },
      { method: 'POST', url: `/orgs/${orgId}/teams`, payload: { name: 'Intruders' } },
      { method: 'GET', url: `/orgs/${orgId}/teams/${teamId}` },
      { method: 'PATCH', url: `/orgs/${orgId}/teams/${teamId}`, payload: { name: 'Renamed' } },
      { method: 'DELETE', url: `/orgs/${orgId}/teams/${teamId}` },
      { method: 'GET', url: `/orgs/${orgId}/teams/${teamId}/members` },
      {
        method: 'PUT',
        url: `/orgs/${orgId}/teams/${teamId}/members/${stranger.id}`,
        payload: { role: 'member' },
      },
      { method: 'DELETE', url: `/orgs/${orgId}/teams/${teamId}/members/${owner.id}` },
    ];
    for (const attempt of attempts) {
      const response = await h.app.inject({ ...attempt, headers: stranger.auth });
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
      // Exactly what an org that does not exist answers.
      const missing = await h.app.inject({
        ...attempt,
        url: attempt.url.replace(orgId, missingId),
        headers: stranger.auth,
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe(response.json().code);
    }
    const list = await h.app.inject({ method: 'GET', url: '/orgs', headers: stranger.auth });
    expect(list.json().items.map((o: { id: string }) => o.id)).not.toContain(orgId);
    const after = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams/${teamId}`,
      headers: owner.auth,
    });
    expect(after.json().name).toBe('Core');
  });

  it('lets an org admin add a member, who reads but cannot manage (403)', async () => {
    const { user: admin, orgId } = await orgAdmin();
    const member = await h.user();
    const added = await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${member.id}`,
      headers: admin.auth,
      payload: { role: 'member' },
    });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ user_id: member.id, role: 'member', username: member.username });
    await h.refresh(member);
    const read = await h.app.inject({ method: 'GET', url: `/orgs/${orgId}`, headers: member.auth });
    expect(read.statusCode).toBe(200);
    expect(read.json().my_role).toBe('member');
    const members = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/members`,
      headers: member.auth,
    });
    expect(members.json().items).toHaveLength(2);
    for (const attempt of [
      { method: 'PATCH' as const, url: `/orgs/${orgId}`, payload: { name: 'Coup' } },
      { method: 'PUT' as const, url: `/orgs/${orgId}/members/${member.id}`, payload: { role: 'org_admin' } },
      { method: 'DELETE' as const, url: `/orgs/${orgId}/members/${admin.id}` },
    ]) {
      const response = await h.app.inject({ ...attempt, headers: member.auth });
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(403);
    }
    const unknownUser = await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${missingId}`,
      headers: admin.auth,
      payload: { role: 'member' },
    });
    expect(unknownUser.statusCode).toBe(400);
    expect(unknownUser.json().errors[0].field).toBe('params.userId');

    // Promotion shows in the member's next token; from then on they manage the org.
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${member.id}`,
      headers: admin.auth,
      payload: { role: 'org_admin' },
    });
    await h.refresh(member);
    const managed = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}`,
      headers: member.auth,
      payload: { active: true },
    });
    expect(managed.statusCode).toBe(200);
  });

  it('checks the org role in the database, not the token: a demotion or removal applies at once', async () => {
    const { user: admin, orgId } = await orgAdmin();
    const deputy = await h.user();
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${deputy.id}`,
      headers: admin.auth,
      payload: { role: 'org_admin' },
    });
    await h.refresh(deputy);
    const demoted = await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${deputy.id}`,
      headers: admin.auth,
      payload: { role: 'member' },
    });
    expect(demoted.json().role).toBe('member');
    // The deputy's token still says org_admin; the database no longer does.
    const stale = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}`,
      headers: deputy.auth,
      payload: { name: 'Stale' },
    });
    expect(stale.statusCode).toBe(403);
    const removed = await h.app.inject({
      method: 'DELETE',
      url: `/orgs/${orgId}/members/${deputy.id}`,
      headers: admin.auth,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await h.app.inject({ method: 'GET', url: `/orgs/${orgId}`, headers: deputy.auth });
    expect(gone.statusCode).toBe(404);
    const again = await h.app.inject({
      method: 'DELETE',
      url: `/orgs/${orgId}/members/${deputy.id}`,
      headers: admin.auth,
    });
    expect(again.statusCode).toBe(404);

    // An org_admin of their current org who is only a member of a second org cannot manage the second.
    const { user: other, orgId: secondOrg } = await orgAdmin();
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${secondOrg}/members/${admin.id}`,
      headers: other.auth,
      payload: { role: 'member' },
    });
    const elsewhere = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${secondOrg}`,
      headers: admin.auth,
      payload: { name: 'Not yours' },
    });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('keeps at least one org_admin (409), and lets one go once another exists', async () => {
    const { user: admin, orgId } = await orgAdmin();
    const removeSelf = await h.app.inject({
      method: 'DELETE',
      url: `/orgs/${orgId}/members/${admin.id}`,
      headers: admin.auth,
    });
    expect(removeSelf.statusCode).toBe(409);
    expect(removeSelf.json().code).toBe('conflict');
    const demoteSelf = await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${admin.id}`,
      headers: admin.auth,
      payload: { role: 'member' },
    });
    expect(demoteSelf.statusCode).toBe(409);

    const second = await h.user();
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${second.id}`,
      headers: admin.auth,
      payload: { role: 'org_admin' },
    });
    const leave = await h.app.inject({
      method: 'DELETE',
      url: `/orgs/${orgId}/members/${admin.id}`,
      headers: admin.auth,
    });
    expect(leave.statusCode).toBe(204);
    const rows = await h.services.ctx.db.query<{ user_id: string; role: string }>(
      'select user_id, role from identity.org_memberships where org_id = $1',
      [orgId],
    );
    expect(rows).toEqual([{ user_id: second.id, role: 'org_admin' }]);
  });

  it('lets a platform admin see every org (paged) and alone set contract_status and plan_key', async () => {
    const { user: owner, orgId } = await orgAdmin();
    const forbidden = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}`,
      headers: owner.auth,
      payload: { contract_status: 'active' },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().errors[0].field).toBe('body.contract_status');
    const planForbidden = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}`,
      headers: owner.auth,
      payload: { plan_key: 'enterprise' },
    });
    expect(planForbidden.statusCode).toBe(403);

    const admin = await h.user({ roles: ['admin'] });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await h.app.inject({
        method: 'GET',
        url: `/orgs?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: admin.auth,
      });
      expect(response.statusCode).toBe(200);
      const page = response.json() as { items: Array<{ id: string }>; next_cursor: string | null };
      seen.push(...page.items.map((o) => o.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 100);
    const all = await h.services.ctx.db.query<{ id: string }>('select id from identity.organizations');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all.map((o) => o.id).sort());

    const patched = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}`,
      headers: admin.auth,
      payload: { contract_status: 'active', plan_key: 'enterprise' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      contract_status: 'active',
      plan_key: 'enterprise',
      my_role: null,
    });
    const badCursor = await h.app.inject({ method: 'GET', url: '/orgs?cursor=bm9wZQ', headers: admin.auth });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().errors[0].field).toBe('querystring.cursor');
  });

  it('refuses SQL-injection and 1 MB strings in every org field with 400, storing nothing', async () => {
    const { user: admin, orgId } = await orgAdmin();
    const injection = "x'); drop table identity.organizations; --";
    const huge = 'a'.repeat(1_000_000);
    const before = await h.services.ctx.db.query<{ n: string }>(
      'select count(*) as n from identity.organizations',
    );
    const cases: Array<{ method: 'POST' | 'PATCH' | 'PUT'; url: string; payload: object; field: string }> = [
      { method: 'POST', url: '/orgs', payload: { name: huge }, field: 'body.name' },
      { method: 'POST', url: '/orgs', payload: { name: 'ok', domain: injection }, field: 'body.domain' },
      { method: 'POST', url: '/orgs', payload: { name: 'ok', domain: huge }, field: 'body.domain' },
      { method: 'POST', url: '/orgs', payload: { name: 'nul\u0000byte' }, field: 'body.name' },
      { method: 'PATCH', url: `/orgs/${orgId}`, payload: { name: huge }, field: 'body.name' },
      { method: 'PATCH', url: `/orgs/${orgId}`, payload: { domain: injection }, field: 'body.domain' },
      { method: 'PATCH', url: `/orgs/${orgId}`, payload: { plan_key: injection }, field: 'body.plan_key' },
      { method: 'PATCH', url: `/orgs/${orgId}`, payload: { plan_key: huge }, field: 'body.plan_key' },
      {
        method: 'PATCH',
        url: `/orgs/${orgId}`,
        payload: { contract_status: injection },
        field: 'body.contract_status',
      },
      {
        method: 'PUT',
        url: `/orgs/${orgId}/members/${admin.id}`,
        payload: { role: injection },
        field: 'body.role',
      },
      {
        method: 'PUT',
        url: `/orgs/${orgId}/members/${admin.id}`,
        payload: { role: huge },
        field: 'body.role',
      },
    ];
    for (const c of cases) {
      const response = await h.app.inject({
        method: c.method,
        url: c.url,
        headers: admin.auth,
        payload: c.payload,
      });
      expect(response.statusCode, `${c.method} ${c.url} ${c.field}`).toBe(400);
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(c.field);
    }
    const injectedParam = await h.app.inject({
      method: 'GET',
      url: `/orgs/${encodeURIComponent(injection)}`,
      headers: admin.auth,
    });
    expect(injectedParam.statusCode).toBe(400);
    expect(injectedParam.json().errors[0].field).toBe('params.id');
    const after = await h.services.ctx.db.query<{ n: string }>(
      'select count(*) as n from identity.organizations',
    );
    expect(after[0]?.n).toBe(before[0]?.n);
    const org = await h.app.inject({ method: 'GET', url: `/orgs/${orgId}`, headers: admin.auth });
    expect(org.json()).toMatchObject({ domain: null, plan_key: 'org', contract_status: 'trial' });
  });
});
