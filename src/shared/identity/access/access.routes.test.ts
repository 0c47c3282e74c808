import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';
import { waitFor } from '../../../../test/support/jobs.js';

describe.each(testDatabases)('RBAC, API keys and the action log ($kind)', (target) => {
  const h = useIdentityHarness(target);

  const auditRows = (userId: string) =>
    h.services.ctx.db.query<{
      action: string;
      result: string;
      status: number;
      method: string;
      resource: string;
    }>(
      'select action, result, status, method, resource from identity.action_log where user_id = $1 order by id',
      [userId],
    );

  it('seeds the built-in roles and gives admin every declared action', async () => {
    const roles = await h.services.ctx.db.query<{ name: string }>(
      'select name from identity.roles order by name',
    );
    expect(roles.map((r) => r.name)).toEqual(['admin', 'enterprise', 'org_admin', 'user']);
    const admin = await h.services.rbac.actionsOf(['admin']);
    const all = await h.services.ctx.db.query<{ code: string }>('select code from identity.actions');
    expect(all.length).toBeGreaterThan(10);
    for (const { code } of all) expect(admin.has(code)).toBe(true);
    const user = await h.services.rbac.actionsOf(['user']);
    expect(user.has('me.read')).toBe(true);
    expect(user.has('users.read')).toBe(false);
  });

  it('answers 403 for a missing action and records the denied attempt', async () => {
    const user = await h.user();
    const response = await h.app.inject({ method: 'GET', url: '/users', headers: user.auth });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'forbidden', action: 'users.read' });
    expect(await auditRows(user.id)).toContainEqual({
      action: 'users.read',
      result: 'denied',
      status: 403,
      method: 'GET',
      resource: '/users',
    });
    const anonymous = await h.services.ctx.db.query<{ n: string }>(
      `select count(*) as n from identity.action_log where user_id is null and result = 'denied'`,
    );
    await h.app.inject({ method: 'GET', url: '/users' });
    const after = await h.services.ctx.db.query<{ n: string }>(
      `select count(*) as n from identity.action_log where user_id is null and result = 'denied'`,
    );
    expect(Number(after[0]?.n)).toBe(Number(anonymous[0]?.n) + 1);
  });

  it('records every authenticated mutation with its result', async () => {
    const user = await h.user();
    const ok = await h.app.inject({
      method: 'PATCH',
      url: '/me/settings',
      headers: user.auth,
      payload: { language: 'en', notifications_enabled: false },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().settings).toMatchObject({ language: 'en', notifications_enabled: false });
    const bad = await h.app.inject({
      method: 'PATCH',
      url: '/me/settings',
      headers: user.auth,
      payload: { language: 'fr' },
    });
    expect(bad.statusCode).toBe(400);
    const rows = await waitFor('two audit rows', async () => {
      const found = (await auditRows(user.id)).filter((r) => r.action === 'me.update');
      return found.length === 2 && found;
    });
    expect(rows.map((r) => [r.result, r.status])).toEqual([
      ['succeeded', 200],
      ['failed', 400],
    ]);
  });

  it('lets an admin list, search, page, deactivate and grant roles', async () => {
    const admin = await h.user({ roles: ['admin'] });
    const tag = `srch${Date.now().toString(36)}`;
    const people = [];
    for (let i = 0; i < 3; i++) people.push(await h.user({ username: `${tag}_${i}` }));

    const first = await h.app.inject({ method: 'GET', url: `/users?q=${tag}&limit=2`, headers: admin.auth });
    expect(first.statusCode).toBe(200);
    expect(first.json().total).toBe(3);
    expect(first.json().items).toHaveLength(2);
    const second = await h.app.inject({
      method: 'GET',
      url: `/users?q=${tag}&limit=2&cursor=${first.json().next_cursor}`,
      headers: admin.auth,
    });
    expect(second.json().items).toHaveLength(1);
    expect(second.json().next_cursor).toBeNull();
    const seen = [...first.json().items, ...second.json().items].map((u: { id: string }) => u.id).sort();
    expect(seen).toEqual(people.map((p) => p.id).sort());

    // LIKE wildcards in the search are literal.
    const wildcard = await h.app.inject({ method: 'GET', url: '/users?q=%25', headers: admin.auth });
    expect(wildcard.json().total).toBe(0);

    const target = people[0] as (typeof people)[number];
    const deactivated = await h.app.inject({
      method: 'PATCH',
      url: `/users/${target.id}`,
      headers: admin.auth,
      payload: { status: 'inactive' },
    });
    expect(deactivated.json().status).toBe('inactive');
    const refresh = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: target.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    const signIn = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: target.username, password: target.password },
    });
    expect(signIn.statusCode).toBe(403);

    const other = people[1] as (typeof people)[number];
    const granted = await h.app.inject({
      method: 'PUT',
      url: `/users/${other.id}/roles/admin`,
      headers: admin.auth,
    });
    expect(granted.json().roles).toEqual(['user', 'admin']);
    const refreshed = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: other.refreshToken },
    });
    const list = await h.app.inject({
      method: 'GET',
      url: '/users?limit=1',
      headers: { authorization: `Bearer ${refreshed.json().access_token}` },
    });
    expect(list.statusCode).toBe(200);
    const unknownRole = await h.app.inject({
      method: 'PUT',
      url: `/users/${other.id}/roles/wizard`,
      headers: admin.auth,
    });
    expect(unknownRole.statusCode).toBe(400);
    expect(unknownRole.json().errors[0].field).toBe('params.role');
    const missing = await h.app.inject({
      method: 'GET',
      url: '/users/00000000-0000-4000-8000-000000000000',
      headers: admin.auth,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('issues API keys once, scoped to actions the owner holds, and honours revocation', async () => {
    const user = await h.user();
    const created = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: user.auth,
      payload: { name: 'ci', actions: ['me.read'] },
    });
    expect(created.statusCode).toBe(201);
    const { key, id, prefix } = created.json() as { key: string; id: string; prefix: string };
    expect(key).toMatch(/^keel_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);
    const stored = await h.services.ctx.db.query<{ key_hash: string }>(
      'select key_hash from identity.api_keys where id = $1',
      [id],
    );
    expect(stored[0]?.key_hash).not.toContain(key.slice(5));

    const me = await h.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${key}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(user.id);
    const viaHeader = await h.app.inject({ method: 'GET', url: '/me', headers: { 'x-api-key': key } });
    expect(viaHeader.statusCode).toBe(200);
    const outOfScope = await h.app.inject({
      method: 'PATCH',
      url: '/me/settings',
      headers: { authorization: `Bearer ${key}` },
      payload: { language: 'en' },
    });
    expect(outOfScope.statusCode).toBe(403);

    const list = await h.app.inject({ method: 'GET', url: '/api-keys', headers: user.auth });
    expect(list.json().items).toHaveLength(1);
    expect(JSON.stringify(list.json())).not.toContain(key);

    const tooMuch = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: user.auth,
      payload: { name: 'greedy', actions: ['users.manage'] },
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0]).toMatchObject({ field: 'body.actions' });

    const revoked = await h.app.inject({ method: 'DELETE', url: `/api-keys/${id}`, headers: user.auth });
    expect(revoked.statusCode).toBe(204);
    const after = await h.app.inject({
      method: 'GET',
      url: '/me',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(after.statusCode).toBe(401);

    const expiring = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: user.auth,
      payload: { name: 'old', actions: ['me.read'], expires_at: '2001-01-01T00:00:00Z' },
    });
    expect(expiring.statusCode).toBe(400);
  });

  it('refuses SQL-injection and 1 MB strings in every text field, storing nothing', async () => {
    const admin = await h.user({ roles: ['admin'] });
    const before = await h.services.ctx.db.query<{ n: string }>('select count(*) as n from identity.users');
    const injection = "x'); drop table identity.users; --";
    const huge = 'a'.repeat(1024 * 1024);
    const cases: Array<{
      url: string;
      method: 'POST' | 'PATCH';
      payload: Record<string, unknown>;
      field: string;
    }> = [];
    for (const value of [injection, huge]) {
      cases.push(
        { method: 'POST', url: '/users', payload: { username: value }, field: 'body.username' },
        { method: 'POST', url: '/users', payload: { username: 'okname', email: value }, field: 'body.email' },
        {
          method: 'POST',
          url: '/users',
          payload: { username: 'okname', full_name: huge },
          field: 'body.full_name',
        },
        {
          method: 'POST',
          url: '/users',
          payload: { username: 'okname', roles: [value] },
          field: 'body.roles.0',
        },
        { method: 'PATCH', url: '/me/profile', payload: { nickname: huge }, field: 'body.nickname' },
        { method: 'PATCH', url: '/me/profile', payload: { country_code: value }, field: 'body.country_code' },
        {
          method: 'POST',
          url: '/api-keys',
          payload: { name: huge, actions: ['me.read'] },
          field: 'body.name',
        },
        {
          method: 'POST',
          url: '/api-keys',
          payload: { name: 'k', actions: [value] },
          field: 'body.actions.0',
        },
      );
    }
    for (const c of cases) {
      const response = await h.app.inject({
        method: c.method,
        url: c.url,
        headers: admin.auth,
        payload: c.payload,
      });
      expect([400, 413], `${c.method} ${c.url} ${c.field}`).toContain(response.statusCode);
      if (response.statusCode === 400) {
        expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(c.field);
      }
    }
    const password = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: injection, password: injection },
    });
    expect(password.statusCode).toBe(401);
    const after = await h.services.ctx.db.query<{ n: string }>('select count(*) as n from identity.users');
    expect(after[0]?.n).toBe(before[0]?.n);
    const keys = await h.services.ctx.db.query<{ n: string }>(
      'select count(*) as n from identity.api_keys where user_id = $1',
      [admin.id],
    );
    expect(Number(keys[0]?.n)).toBe(0);
  });
});
