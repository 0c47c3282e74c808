import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';
import { createAccessTokens } from '../tokens/access-token.js';

describe.each(testDatabases)('sign-in, tokens and sessions ($kind)', (target) => {
  const h = useIdentityHarness(target);

  it('signs in with a password, sets strict HttpOnly cookies, and the access token opens /me', async () => {
    const user = await h.user();
    const response = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: user.username, password: user.password },
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36' },
    });
    expect(response.statusCode).toBe(200);
    const cookies = response.cookies;
    const access = cookies.find((c) => c.name === 'keel_access');
    const refresh = cookies.find((c) => c.name === 'keel_refresh');
    expect(access).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });
    // Over plain HTTP (a laptop) the cookies cannot be Secure, and requests are not upgraded.
    expect(access?.secure).toBeFalsy();
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');

    const me = await h.app.inject({ method: 'GET', url: '/me', headers: user.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      id: user.id,
      username: user.username,
      roles: ['user'],
      status: 'active',
    });

    const byCookie = await h.app.inject({
      method: 'GET',
      url: '/me',
      cookies: { keel_access: access?.value ?? '' },
    });
    expect(byCookie.statusCode).toBe(200);

    const sessions = await h.app.inject({ method: 'GET', url: '/me/sessions', headers: user.auth });
    expect(sessions.json().items).toHaveLength(2);
    expect(
      sessions
        .json()
        .items.some((s: { browser: string; os: string }) => s.browser === 'Chrome' && s.os === 'Linux'),
    ).toBe(true);
  });

  it('refuses a tampered, an expired, a foreign-key-signed and a missing token with 401', async () => {
    const user = await h.user();
    const [header, payload, signature] = user.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['user', 'admin'] })).toString('base64url')}.${signature}`;
    const expired = await h.services.tokens.sign(
      { userId: user.id, sessionId: user.sessionId, roles: ['user'], orgId: null, orgRole: null },
      new Date(Date.now() - 11 * 60_000),
    );
    const { testSecrets } = await import('../../../../test/support/app.js');
    const foreign = await createAccessTokens(testSecrets().ring).sign({
      userId: user.id,
      sessionId: user.sessionId,
      roles: ['user', 'admin'],
      orgId: null,
      orgRole: null,
    });
    for (const [token, detail] of [
      [forged, /not valid/],
      [expired.token, /expired/],
      [foreign.token, /not valid|unknown key/],
      ['not-a-jwt', /not valid/],
    ] as const) {
      const response = await h.app.inject({
        method: 'GET',
        url: '/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().detail).toMatch(detail);
    }
    expect((await h.app.inject({ method: 'GET', url: '/me' })).statusCode).toBe(401);
  });

  it('rotates the refresh token on every refresh, and reuse of a rotated one revokes the whole family', async () => {
    const user = await h.user();
    const first = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    });
    expect(first.statusCode).toBe(200);
    const rotated = first.json() as { refresh_token: string; access_token: string; session_id: string };
    expect(rotated.refresh_token).not.toBe(user.refreshToken);
    expect(rotated.session_id).toBe(user.sessionId);

    // The cookie works as well as the body.
    const second = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      cookies: { keel_refresh: rotated.refresh_token },
    });
    expect(second.statusCode).toBe(200);
    const latest = second.json() as { refresh_token: string };

    const replay = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().detail).toMatch(/already used/);
    // The thief's replay also ended the legitimate holder's latest token.
    const victim = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: latest.refresh_token },
    });
    expect(victim.statusCode).toBe(401);
    const [row] = await h.services.ctx.db.query<{ revoke_reason: string }>(
      'select revoke_reason from identity.sessions where id = $1',
      [user.sessionId],
    );
    expect(row?.revoke_reason).toBe('reuse_detected');
  });

  it('stores refresh tokens encrypted, found only by their hash', async () => {
    const user = await h.user();
    const rows = await h.services.ctx.db.query<{ value_encrypted: string; lookup_hash: string }>(
      'select value_encrypted, lookup_hash from identity.user_secrets where user_id = $1',
      [user.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value_encrypted).toMatch(/^kv1\./);
    expect(rows[0]?.value_encrypted).not.toContain(user.refreshToken);
    expect(rows[0]?.lookup_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logs out one session, revokes another, and revokes all but the current one', async () => {
    const user = await h.user();
    const other = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: user.username, password: user.password },
    });
    const third = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: user.username, password: user.password },
    });
    const logout = await h.app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: { refresh_token: other.json().refresh_token },
    });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === 'keel_access')?.value).toBe('');
    const afterLogout = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: other.json().refresh_token },
    });
    expect(afterLogout.statusCode).toBe(401);

    const revoke = await h.app.inject({
      method: 'DELETE',
      url: `/me/sessions/${third.json().session_id}`,
      headers: user.auth,
    });
    expect(revoke.statusCode).toBe(204);
    const again = await h.app.inject({
      method: 'DELETE',
      url: `/me/sessions/${third.json().session_id}`,
      headers: user.auth,
    });
    expect(again.statusCode).toBe(404);

    const fourth = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: user.username, password: user.password },
    });
    const all = await h.app.inject({
      method: 'POST',
      url: '/me/sessions/revoke-all',
      headers: user.auth,
      payload: { keep_current: true },
    });
    expect(all.json()).toEqual({ revoked: 1 });
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/auth/refresh',
          payload: { refresh_token: fourth.json().refresh_token },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/auth/refresh',
          payload: { refresh_token: user.refreshToken },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('locks an account after five wrong passwords, answering exactly like a wrong password', async () => {
    const user = await h.user();
    const attempt = (password: string) =>
      h.app.inject({ method: 'POST', url: '/auth/password', payload: { username: user.username, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password!')).statusCode).toBe(401);
    const locked = await attempt(user.password);
    expect(locked.statusCode).toBe(401);
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: 'nobody-here', password: 'whatever' },
    });
    expect(unknown.json().detail).toBe(locked.json().detail);
    await h.services.ctx.db.query(
      `update identity.password_credentials set locked_until = now() - interval '1 second' where user_id = $1`,
      [user.id],
    );
    expect((await attempt(user.password)).statusCode).toBe(200);
  });

  it('never writes a token, password or refresh token into a log line', async () => {
    const user = await h.user();
    await h.app.inject({ method: 'GET', url: '/me', headers: user.auth });
    await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    });
    await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: user.username, password: 'a wrong password' },
    });
    const text = JSON.stringify(h.lines);
    expect(h.lines.length).toBeGreaterThan(0);
    for (const secret of [user.accessToken, user.refreshToken, user.password, 'a wrong password']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('session cookies behind HTTPS', () => {
  const h = useIdentityHarness(testDatabases[0] as (typeof testDatabases)[number], {
    env: { PUBLIC_URL: 'https://keel.example.com' },
  });

  it('are Secure when Keel is served over https, and the CSP upgrades insecure requests', async () => {
    const user = await h.user();
    const response = await h.app.inject({
      method: 'POST',
      url: '/auth/password',
      payload: { username: user.username, password: user.password },
    });
    for (const name of ['keel_access', 'keel_refresh']) {
      expect(response.cookies.find((c) => c.name === name)).toMatchObject({
        secure: true,
        httpOnly: true,
        sameSite: 'Strict',
      });
    }
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
