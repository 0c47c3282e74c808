import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';
import type { KeelModule } from '../../../kernel/module/index.js';
import { allModules } from '../../../modules.js';

// A module whose erasure fails for one marked user: the whole erasure must roll back.
const failing = new Set<string>();
const fragileModule: KeelModule = {
  name: 'fragile',
  layer: 'module',
  dependsOn: ['identity'],
  eraseUser: async (_tx, userId) => {
    if (failing.has(userId)) throw new Error('storage is read-only');
    return { things: 0 };
  },
};

describe.each(testDatabases)('deletion requests ($kind)', (target) => {
  const h = useIdentityHarness(target, { modules: [...allModules, fragileModule] });

  it('waits out the grace period, can be cancelled, then erases the person everywhere but keeps the audit fact', async () => {
    const admin = await h.user({ roles: ['admin'] });
    const user = await h.user();
    await h.app.inject({
      method: 'PATCH',
      url: '/me/profile',
      headers: user.auth,
      payload: { nickname: 'Minji', country_code: 'KOR' },
    });

    const asked = await h.app.inject({
      method: 'POST',
      url: '/me/deletion',
      headers: user.auth,
      payload: { reason: 'bye' },
    });
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toMatchObject({ status: 'pending', reason: 'bye' });
    const graceDays =
      (Date.parse(asked.json().execute_after) - Date.parse(asked.json().requested_at)) / 86_400_000;
    expect(graceDays).toBeCloseTo(30, 3);
    expect((await h.app.inject({ method: 'POST', url: '/me/deletion', headers: user.auth })).statusCode).toBe(
      409,
    );
    // Not due yet: the hourly run leaves it alone.
    expect(await h.services.deletion.runDue()).toEqual({ completed: 0, failed: 0 });

    const cancelled = await h.app.inject({ method: 'DELETE', url: '/me/deletion', headers: user.auth });
    expect(cancelled.json().status).toBe('cancelled');
    const again = await h.app.inject({ method: 'POST', url: '/me/deletion', headers: user.auth });
    expect(again.statusCode).toBe(202);

    // The grace period passes.
    const due = await h.services.deletion.runDue(new Date(Date.now() + 31 * 86_400_000));
    expect(due).toEqual({ completed: 1, failed: 0 });

    const list = await h.app.inject({
      method: 'GET',
      url: '/deletion-requests?status=completed',
      headers: admin.auth,
    });
    const done = list.json().items.find((r: { user_id: string }) => r.user_id === user.id);
    expect(done.report.identity).toMatchObject({ users: 1, sessions: 1, password_credentials: 1 });
    expect(done.report.fragile).toEqual({ things: 0 });
    expect(done.reason).toBeNull();

    const db = h.services.ctx.db;
    const [row] = await db.query<Record<string, unknown>>(
      'select username, email, phone_hash, status, erased_at from identity.users where id = $1',
      [user.id],
    );
    expect(row).toMatchObject({ username: null, email: null, phone_hash: null, status: 'inactive' });
    expect(row?.erased_at).toBeInstanceOf(Date);
    const [profile] = await db.query<{ nickname_encrypted: string | null }>(
      'select nickname_encrypted from identity.profiles where user_id = $1',
      [user.id],
    );
    expect(profile?.nickname_encrypted).toBeNull();
    const audit = await db.query<{ action: string; ip: string | null }>(
      'select action, ip from identity.action_log where user_id = $1',
      [user.id],
    );
    expect(audit.map((a) => a.action)).toContain('deletion.request');
    expect(audit.every((a) => a.ip === null)).toBe(true);
    const signIn = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: user.username, password: user.password },
    });
    expect(signIn.statusCode).toBe(401);
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/auth/refresh',
          payload: { refresh_token: user.refreshToken },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('erases nothing when one module fails, marks the request failed, and an admin can retry it', async () => {
    const admin = await h.user({ roles: ['admin'] });
    const user = await h.user();
    failing.add(user.id);
    const asked = await h.app.inject({ method: 'POST', url: '/me/deletion', headers: user.auth });
    const id = asked.json().id as string;
    const run = await h.app.inject({
      method: 'POST',
      url: `/deletion-requests/${id}/run`,
      headers: admin.auth,
    });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ status: 'failed', error: 'storage is read-only' });
    const [row] = await h.services.ctx.db.query<{ username: string | null }>(
      'select username from identity.users where id = $1',
      [user.id],
    );
    expect(row?.username).toBe(user.username);

    failing.delete(user.id);
    const retry = await h.app.inject({
      method: 'POST',
      url: `/deletion-requests/${id}/run`,
      headers: admin.auth,
    });
    expect(retry.json().status).toBe('completed');
    const twice = await h.app.inject({
      method: 'POST',
      url: `/deletion-requests/${id}/run`,
      headers: admin.auth,
    });
    expect(twice.statusCode).toBe(409);
    const notAdmin = await h.app.inject({
      method: 'GET',
      url: '/deletion-requests',
      headers: (await h.user()).auth,
    });
    expect(notAdmin.statusCode).toBe(403);
  });
});
