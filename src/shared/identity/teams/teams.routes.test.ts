import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';

describe.each(testDatabases)('teams ($kind)', (target) => {
  const h = useIdentityHarness(target);

  /** An org with an admin (token current) and a plain member (token current). */
  async function org(): Promise<{ admin: SignedInUser; member: SignedInUser; orgId: string }> {
    const admin = await h.user();
    const created = await h.app.inject({
      method: 'POST',
      url: '/orgs',
      headers: admin.auth,
      payload: { name: 'Teams Org' },
    });
    const orgId = created.json().id as string;
    await h.refresh(admin);
    const member = await h.user();
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${member.id}`,
      headers: admin.auth,
      payload: { role: 'member' },
    });
    return { admin, member: await h.refresh(member), orgId };
  }

  async function team(admin: SignedInUser, orgId: string, payload: object): Promise<string> {
    const response = await h.app.inject({
      method: 'POST',
      url: `/orgs/${orgId}/teams`,
      headers: admin.auth,
      payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  }

  const names = (body: { items: Array<{ name: string }> }) => body.items.map((t) => t.name);

  it('creates, lists, reads, renames and deletes teams; names are unique per org ignoring case', async () => {
    const { admin, member, orgId } = await org();
    const created = await h.app.inject({
      method: 'POST',
      url: `/orgs/${orgId}/teams`,
      headers: admin.auth,
      payload: { name: 'Platform', description: 'Runs the platform' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      org_id: orgId,
      name: 'Platform',
      description: 'Runs the platform',
      visibility: 'org',
      my_role: null,
    });
    const teamId = created.json().id as string;
    const duplicate = await h.app.inject({
      method: 'POST',
      url: `/orgs/${orgId}/teams`,
      headers: admin.auth,
      payload: { name: 'PLATFORM' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().errors[0].field).toBe('body.name');

    // The same name in another org is fine.
    const other = await org();
    await team(other.admin, other.orgId, { name: 'platform' });

    const second = await team(admin, orgId, { name: 'Data' });
    const list = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams?limit=1`,
      headers: member.auth,
    });
    expect(list.statusCode).toBe(200);
    expect(names(list.json())).toEqual(['Platform']);
    const next = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams?limit=1&cursor=${list.json().next_cursor}`,
      headers: member.auth,
    });
    expect(names(next.json())).toEqual(['Data']);
    expect(next.json().next_cursor).toBeNull();

    const renameClash = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}/teams/${second}`,
      headers: admin.auth,
      payload: { name: 'platform' },
    });
    expect(renameClash.statusCode).toBe(409);
    const renamed = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}/teams/${second}`,
      headers: admin.auth,
      payload: { name: 'Data & ML', description: null },
    });
    expect(renamed.json()).toMatchObject({ name: 'Data & ML', description: null });

    const memberWrites = [
      { method: 'POST' as const, url: `/orgs/${orgId}/teams`, payload: { name: 'Mine' } },
      { method: 'PATCH' as const, url: `/orgs/${orgId}/teams/${teamId}`, payload: { name: 'Mine' } },
      { method: 'DELETE' as const, url: `/orgs/${orgId}/teams/${teamId}` },
      {
        method: 'PUT' as const,
        url: `/orgs/${orgId}/teams/${teamId}/members/${member.id}`,
        payload: { role: 'maintainer' },
      },
    ];
    for (const attempt of memberWrites) {
      const response = await h.app.inject({ ...attempt, headers: member.auth });
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(403);
    }

    const deleted = await h.app.inject({
      method: 'DELETE',
      url: `/orgs/${orgId}/teams/${second}`,
      headers: admin.auth,
    });
    expect(deleted.statusCode).toBe(204);
    const gone = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams/${second}`,
      headers: admin.auth,
    });
    expect(gone.statusCode).toBe(404);
    // A team id under the wrong org is not found either.
    const crossed = await h.app.inject({
      method: 'GET',
      url: `/orgs/${other.orgId}/teams/${teamId}`,
      headers: other.admin.auth,
    });
    expect(crossed.statusCode).toBe(404);
  });

  it('hides a private team from org members outside it, and shows it to its members and admins', async () => {
    const { admin, member, orgId } = await org();
    const outsider = await h.user();
    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/members/${outsider.id}`,
      headers: admin.auth,
      payload: { role: 'member' },
    });
    await h.refresh(outsider);
    const secret = await team(admin, orgId, { name: 'Security', visibility: 'private' });
    await team(admin, orgId, { name: 'Everyone' });
    const joined = await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/teams/${secret}/members/${member.id}`,
      headers: admin.auth,
      payload: { role: 'viewer' },
    });
    expect(joined.statusCode).toBe(200);

    const outsiderList = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams`,
      headers: outsider.auth,
    });
    expect(names(outsiderList.json())).toEqual(['Everyone']);
    for (const url of [`/orgs/${orgId}/teams/${secret}`, `/orgs/${orgId}/teams/${secret}/members`]) {
      const hidden = await h.app.inject({ method: 'GET', url, headers: outsider.auth });
      expect(hidden.statusCode, url).toBe(404);
    }

    const memberList = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams`,
      headers: member.auth,
    });
    expect(names(memberList.json())).toEqual(['Security', 'Everyone']);
    const seen = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams/${secret}`,
      headers: member.auth,
    });
    expect(seen.json()).toMatchObject({ visibility: 'private', my_role: 'viewer' });
    const adminList = await h.app.inject({ method: 'GET', url: `/orgs/${orgId}/teams`, headers: admin.auth });
    expect(names(adminList.json())).toEqual(['Security', 'Everyone']);
    const platformAdmin = await h.user({ roles: ['admin'] });
    const platformList = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams`,
      headers: platformAdmin.auth,
    });
    expect(names(platformList.json())).toEqual(['Security', 'Everyone']);

    // Made visible to the org, the outsider sees it at once.
    await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${orgId}/teams/${secret}`,
      headers: admin.auth,
      payload: { visibility: 'org' },
    });
    const visible = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams/${secret}`,
      headers: outsider.auth,
    });
    expect(visible.statusCode).toBe(200);
  });

  it('adds only org members to teams (400 naming params.userId), changes roles, removes, and drops them with the org', async () => {
    const { admin, member, orgId } = await org();
    const teamId = await team(admin, orgId, { name: 'Builders' });
    const stranger = await h.user();
    const refused = await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/teams/${teamId}/members/${stranger.id}`,
      headers: admin.auth,
      payload: { role: 'member' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      { field: 'params.userId', message: 'is not a member of this organization' },
    ]);

    const added = await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/teams/${teamId}/members/${member.id}`,
      headers: admin.auth,
      payload: { role: 'member' },
    });
    expect(added.json()).toMatchObject({ user_id: member.id, role: 'member' });
    const changed = await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/teams/${teamId}/members/${member.id}`,
      headers: admin.auth,
      payload: { role: 'maintainer' },
    });
    expect(changed.json().role).toBe('maintainer');
    const members = await h.app.inject({
      method: 'GET',
      url: `/orgs/${orgId}/teams/${teamId}/members`,
      headers: member.auth,
    });
    expect(members.json().items).toEqual([
      expect.objectContaining({ user_id: member.id, role: 'maintainer' }),
    ]);

    const removed = await h.app.inject({
      method: 'DELETE',
      url: `/orgs/${orgId}/teams/${teamId}/members/${member.id}`,
      headers: admin.auth,
    });
    expect(removed.statusCode).toBe(204);
    const notThere = await h.app.inject({
      method: 'DELETE',
      url: `/orgs/${orgId}/teams/${teamId}/members/${member.id}`,
      headers: admin.auth,
    });
    expect(notThere.statusCode).toBe(404);

    await h.app.inject({
      method: 'PUT',
      url: `/orgs/${orgId}/teams/${teamId}/members/${member.id}`,
      headers: admin.auth,
      payload: { role: 'viewer' },
    });
    await h.app.inject({ method: 'DELETE', url: `/orgs/${orgId}/members/${member.id}`, headers: admin.auth });
    const left = await h.services.ctx.db.query('select 1 from identity.team_memberships where user_id = $1', [
      member.id,
    ]);
    expect(left).toEqual([]);
  });

  it('refuses SQL-injection and 1 MB strings in every team field with 400, storing nothing', async () => {
    const { admin, member, orgId } = await org();
    const teamId = await team(admin, orgId, { name: 'Safe' });
    const injection = "x'); drop table identity.teams; --";
    const huge = 'a'.repeat(1_000_000);
    const cases: Array<{ method: 'POST' | 'PATCH' | 'PUT'; url: string; payload: object; field: string }> =
      [];
    for (const value of [injection, huge]) {
      cases.push(
        {
          method: 'POST',
          url: `/orgs/${orgId}/teams`,
          payload: { name: 'ok', visibility: value },
          field: 'body.visibility',
        },
        {
          method: 'PATCH',
          url: `/orgs/${orgId}/teams/${teamId}`,
          payload: { visibility: value },
          field: 'body.visibility',
        },
        {
          method: 'PUT',
          url: `/orgs/${orgId}/teams/${teamId}/members/${member.id}`,
          payload: { role: value },
          field: 'body.role',
        },
      );
    }
    cases.push(
      { method: 'POST', url: `/orgs/${orgId}/teams`, payload: { name: huge }, field: 'body.name' },
      {
        method: 'POST',
        url: `/orgs/${orgId}/teams`,
        payload: { name: 'ok', description: huge },
        field: 'body.description',
      },
      { method: 'POST', url: `/orgs/${orgId}/teams`, payload: { name: '\u0000' }, field: 'body.name' },
      { method: 'PATCH', url: `/orgs/${orgId}/teams/${teamId}`, payload: { name: huge }, field: 'body.name' },
      {
        method: 'PATCH',
        url: `/orgs/${orgId}/teams/${teamId}`,
        payload: { description: huge },
        field: 'body.description',
      },
    );
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
    // An injection string is just a name: stored verbatim, harmlessly.
    const literal = await h.app.inject({
      method: 'POST',
      url: `/orgs/${orgId}/teams`,
      headers: admin.auth,
      payload: { name: injection },
    });
    expect(literal.json().name).toBe(injection);
    const rows = await h.services.ctx.db.query<{ name: string; description: string | null }>(
      'select name, description from identity.teams where org_id = $1 order by created_at',
      [orgId],
    );
    expect(rows).toEqual([
      { name: 'Safe', description: null },
      { name: injection, description: null },
    ]);
    const teamMembers = await h.services.ctx.db.query(
      'select 1 from identity.team_memberships where team_id = $1',
      [teamId],
    );
    expect(teamMembers).toEqual([]);
  });
});
