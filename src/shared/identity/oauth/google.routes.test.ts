import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testSecrets } from '../../../../test/support/app.js';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import { parseConfig } from '../../../kernel/config/index.js';
import { lookupHash } from '../../../kernel/crypto/index.js';
import type { KeelApp } from '../../../kernel/http/index.js';
import { createLog } from '../../../kernel/log/index.js';
import { allModules, moduleContextOf } from '../../../modules.js';
import { type IdentityServices, identityServices } from '../identity.context.js';
import { signedInSchema } from '../sessions/session-cookies.js';
import { findUserById, insertUser } from '../users/users.repository.js';
import { type FakeOidcServer, startFakeOidcServer } from './fake-oidc-server.js';
import { OAUTH_STATE_COOKIE } from './google.routes.js';

describe.each(testDatabases)('Google sign-in on $kind', ({ open }) => {
  let t: OpenedTestDatabase;
  let app: KeelApp;
  /** The same app without Google settings: sign-in is off. */
  let offApp: KeelApp;
  let services: IdentityServices;
  let fake: FakeOidcServer;
  let subjects = 0;
  const newGoogleUser = (overrides: { email_verified?: boolean; email?: string; name?: string } = {}) => {
    subjects++;
    return {
      sub: `1098765432100000${subjects}`,
      email: `person${subjects}.${Date.now()}@example.com`,
      email_verified: true,
      name: `Person ${subjects}`,
      ...overrides,
    };
  };

  /** GET /auth/google/start; returns the provider URL and the state cookie it set. */
  const start = async (redirectTo = '/chat') => {
    const res = await app.inject({
      method: 'GET',
      url: '/auth/google/start',
      query: { redirect_to: redirectTo },
    });
    expect(res.statusCode, res.body).toBe(302);
    const cookie = res.cookies.find((c) => c.name === OAUTH_STATE_COOKIE);
    return { location: String(res.headers.location), cookie: cookie?.value ?? '', res };
  };
  /** The browser returns to the callback, carrying its state cookie. */
  const callback = (path: string, stateCookie: string, json = false) =>
    app.inject({
      method: 'GET',
      url: path,
      cookies: stateCookie ? { [OAUTH_STATE_COOKIE]: stateCookie } : {},
      headers: json ? { accept: 'application/json' } : {},
    });
  const signIn = async (json = false, redirectTo = '/chat') => {
    const started = await start(redirectTo);
    return callback(await fake.authorize(started.location), started.cookie, json);
  };
  const count = async (table: string) =>
    Number((await t.db.query<{ n: number }>(`select count(*)::int as n from identity.${table}`))[0]?.n);
  const stateOf = (url: string) => new URL(url, 'http://x').searchParams.get('state') ?? '';
  const stateRow = (state: string) =>
    t.db.query<{ expires_at: Date }>('select expires_at from identity.oauth_states where state_hash = $1', [
      lookupHash(services.ctx.secrets.hmacKey, 'identity.oauth_state', state),
    ]);

  beforeAll(async () => {
    t = await open();
    fake = await startFakeOidcServer();
    const secrets = testSecrets();
    const env = {
      GOOGLE_CLIENT_ID: fake.clientId,
      GOOGLE_CLIENT_SECRET: fake.clientSecret,
      GOOGLE_OAUTH_ISSUER: fake.issuer,
    };
    app = await buildTestApp({ db: t.db, env, secrets });
    offApp = await buildTestApp({ db: t.db });
    services = identityServices(
      moduleContextOf(allModules, {
        config: parseConfig({ DATABASE_URL: 'memory://', ...env }),
        db: t.db,
        log: createLog({ svc: 'test', level: 'silent' }),
        secrets,
      }),
    );
    await app.ready();
  });

  afterEach(() => {
    fake.tamper = {};
  });

  afterAll(async () => {
    await app?.close();
    await offApp?.close();
    await fake?.close();
    await t?.drop();
  });

  it('declares both routes public', () => {
    const routes = app.routeAccess().filter((r) => r.url.startsWith('/auth/google') && r.method === 'GET');
    expect(routes).toEqual([
      { method: 'GET', url: '/auth/google/start', action: 'public' },
      { method: 'GET', url: '/auth/google/callback', action: 'public' },
    ]);
  });

  it('sends the browser to the provider with state, an S256 challenge, a nonce and the scopes', async () => {
    const { location, cookie, res } = await start('/chat?tab=1');
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.issuer}/authorize`);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(fake.clientId);
    expect(q.get('redirect_uri')).toBe('http://localhost:8080/auth/google/callback');
    expect(q.get('scope')).toBe('openid email profile');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')?.length).toBeGreaterThanOrEqual(32);
    const state = q.get('state') ?? '';
    expect(state.length).toBeGreaterThanOrEqual(32);

    // The browser is bound to this sign-in by a Lax, HttpOnly cookie holding the state.
    expect(cookie).toBe(state);
    const setCookie = [res.headers['set-cookie']].flat().join('\n');
    expect(setCookie).toMatch(/keel_oauth_state=.*HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);

    // Stored: an HMAC of the state, the verifier and the nonce encrypted, 10 minutes.
    const rows = await t.db.query<Record<string, unknown>>('select * from identity.oauth_states');
    const row = rows.find((r) => JSON.stringify(r).includes('/chat?tab=1')) ?? {};
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(state);
    expect(stored).not.toContain(q.get('nonce'));
    expect(row.code_verifier_encrypted).toMatch(/^kv1\./);
    expect(row.nonce_encrypted).toMatch(/^kv1\./);
    expect(row.provider).toBe('google');
    const ttl = (row.expires_at as Date).getTime() - (row.created_at as Date).getTime();
    expect(ttl).toBe(600_000);
  });

  it('creates and links a user at the first sign-in, then redirects with the session cookies', async () => {
    const person = newGoogleUser();
    fake.nextUser = person;
    const users = await count('users');
    const res = await signIn(false, '/chat?tab=1');
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/chat?tab=1');
    const cookies = res.cookies;
    const access = cookies.find((c) => c.name === 'keel_access');
    expect(access).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.find((c) => c.name === 'keel_refresh')).toBeDefined();
    expect(cookies.find((c) => c.name === OAUTH_STATE_COOKIE)?.value).toBe('');

    const claims = await services.tokens.verify(access?.value ?? '');
    expect(await count('users')).toBe(users + 1);
    const user = await findUserById(t.db, claims.userId);
    expect(user).toMatchObject({ email: person.email, fullName: person.name, authStatus: 'verified' });
    const accounts = await t.db.query(
      'select user_id, provider, subject, email from identity.oauth_accounts where subject = $1',
      [person.sub],
    );
    expect(accounts).toEqual([
      { user_id: claims.userId, provider: 'google', subject: person.sub, email: person.email },
    ]);
    const [session] = await t.db.query<{ method: string }>(
      'select method from identity.sessions where id = $1',
      [claims.sessionId],
    );
    expect(session?.method).toBe('google');

    // The fake provider checked the PKCE verifier against the S256 challenge and the client secret.
    expect(fake.tokenRequests.refused).toBe(0);

    // The second sign-in finds the same user, and can ask for JSON instead of a redirect.
    const second = await signIn(true);
    expect(second.statusCode, second.body).toBe(200);
    const body = signedInSchema.parse(second.json());
    expect(body.user_id).toBe(claims.userId);
    expect(body.session_id).not.toBe(claims.sessionId);
    expect((await services.tokens.verify(body.access_token)).userId).toBe(claims.userId);
    expect(await count('users')).toBe(users + 1);
  });

  it('links an existing user with the same verified email', async () => {
    const person = newGoogleUser();
    const userId = await t.db.transaction((tx) =>
      insertUser(tx, services.ctx.secrets, { email: person.email.toUpperCase(), authStatus: 'verified' }),
    );
    fake.nextUser = person;
    const users = await count('users');
    const res = await signIn(true);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user_id).toBe(userId);
    expect(await count('users')).toBe(users);
    const [account] = await t.db.query<{ user_id: string }>(
      'select user_id from identity.oauth_accounts where subject = $1',
      [person.sub],
    );
    expect(account?.user_id).toBe(userId);
  });

  it('does not link by an email Google has not verified, nor store it', async () => {
    const existing = newGoogleUser();
    const userId = await t.db.transaction((tx) =>
      insertUser(tx, services.ctx.secrets, { email: existing.email, authStatus: 'verified' }),
    );
    fake.nextUser = newGoogleUser({ email: existing.email, email_verified: false });
    const res = await signIn(true);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user_id).not.toBe(userId);
    expect(await findUserById(t.db, res.json().user_id)).toMatchObject({
      email: null,
      authStatus: 'unverified',
    });
  });

  it('refuses to join an account whose email address was never verified', async () => {
    const person = newGoogleUser();
    const userId = await t.db.transaction((tx) =>
      insertUser(tx, services.ctx.secrets, { email: person.email, authStatus: 'unverified' }),
    );
    fake.nextUser = person;
    const res = await signIn(true);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('conflict');
    expect(await t.db.query('select 1 from identity.oauth_accounts where user_id = $1', [userId])).toEqual(
      [],
    );
    expect(
      await t.db.query('select 1 from identity.oauth_accounts where subject = $1', [person.sub]),
    ).toEqual([]);
  });

  it('refuses a state that does not match, creating nothing', async () => {
    fake.nextUser = newGoogleUser();
    const before = {
      users: await count('users'),
      accounts: await count('oauth_accounts'),
      sessions: await count('sessions'),
    };
    const tokenCalls = fake.tokenRequests.accepted;

    // A callback without the browser's state cookie (login CSRF: someone else's callback URL).
    const started = await start();
    const path = await fake.authorize(started.location);
    const noCookie = await callback(path, '');
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.json()).toMatchObject({
      code: 'bad_request',
      detail: expect.stringMatching(/OAuth state mismatch/),
    });

    // A cookie for another sign-in.
    const other = await start();
    const crossed = await callback(path, other.cookie);
    expect(crossed.statusCode).toBe(400);

    // A state that was never issued, cookie and query agreeing.
    const forged = path.replace(/state=[^&]+/, 'state=forged-state-value-forged-state-value');
    const unknown = await callback(forged, 'forged-state-value-forged-state-value');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/OAuth state mismatch/);

    expect(fake.tokenRequests.accepted).toBe(tokenCalls);
    expect({
      users: await count('users'),
      accounts: await count('oauth_accounts'),
      sessions: await count('sessions'),
    }).toEqual(before);
  });

  it('refuses a replayed state', async () => {
    fake.nextUser = newGoogleUser();
    const started = await start();
    const path = await fake.authorize(started.location);
    expect((await callback(path, started.cookie, true)).statusCode).toBe(200);
    const sessions = await count('sessions');
    const replay = await callback(path, started.cookie, true);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().detail).toMatch(/OAuth state mismatch/);
    expect(await count('sessions')).toBe(sessions);
  });

  it('refuses an expired state', async () => {
    fake.nextUser = newGoogleUser();
    const started = await start();
    const path = await fake.authorize(started.location);
    expect(await stateRow(stateOf(path))).toHaveLength(1);
    await t.db.query(
      `update identity.oauth_states set expires_at = now() - interval '1 second' where state_hash = $1`,
      [lookupHash(services.ctx.secrets.hmacKey, 'identity.oauth_state', stateOf(path))],
    );
    const sessions = await count('sessions');
    const res = await callback(path, started.cookie, true);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/expired/);
    expect(await count('sessions')).toBe(sessions);
  });

  it.each([
    ['a wrong nonce', { nonce: 'not-the-nonce-of-this-sign-in' }, /nonce mismatch/],
    [
      'a signature by another key',
      { signWithOtherKey: true },
      /not valid \(ERR_JWS_SIGNATURE_VERIFICATION_FAILED\)/,
    ],
    [
      'another audience',
      { audience: 'someone-else.apps.example.com' },
      /not valid \(ERR_JWT_CLAIM_VALIDATION_FAILED\)/,
    ],
    [
      'another issuer',
      { issuer: 'https://evil.example.com' },
      /not valid \(ERR_JWT_CLAIM_VALIDATION_FAILED\)/,
    ],
  ])('refuses an ID token with %s, creating nothing', async (_name, tamper, detail) => {
    const person = newGoogleUser();
    fake.nextUser = person;
    fake.tamper = tamper;
    const users = await count('users');
    const sessions = await count('sessions');
    const res = await signIn(true);
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json().detail).toMatch(detail);
    expect(await count('users')).toBe(users);
    expect(await count('sessions')).toBe(sessions);
    expect(
      await t.db.query('select 1 from identity.oauth_accounts where subject = $1', [person.sub]),
    ).toEqual([]);
  });

  it('refuses a code the provider does not accept', async () => {
    fake.nextUser = newGoogleUser();
    const started = await start();
    const path = await fake.authorize(started.location);
    const res = await callback(path.replace(/code=[^&]+/, 'code=made-up'), started.cookie, true);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/Google refused the sign-in \(invalid_grant\)/);
  });

  it('consumes the state when the user declines at the provider', async () => {
    const started = await start();
    const state = stateOf(started.location);
    expect(await stateRow(state)).toHaveLength(1);
    const declined = await callback(
      `/auth/google/callback?error=access_denied&state=${state}`,
      started.cookie,
    );
    expect(declined.statusCode).toBe(401);
    expect(declined.json().detail).toMatch(/access_denied/);
    expect(await stateRow(state)).toEqual([]);
  });

  it('answers 403 to a banned user', async () => {
    const person = newGoogleUser();
    fake.nextUser = person;
    const first = await signIn(true);
    await t.db.query(`update identity.users set status = 'banned' where id = $1`, [first.json().user_id]);
    const res = await signIn(true);
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe('This account is banned.');
  });

  it.each([
    '//evil.example.com/x',
    'https://evil.example.com/',
    '/\\evil.example.com',
    '/\t/evil.example.com',
    'chat',
    `/${'a'.repeat(3000)}`,
  ])('refuses redirect_to %j with 400 naming it', async (redirectTo) => {
    const states = await count('oauth_states');
    const res = await app.inject({
      method: 'GET',
      url: '/auth/google/start',
      query: { redirect_to: redirectTo },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'querystring.redirect_to' })]);
    expect(await count('oauth_states')).toBe(states);
  });

  it('redirects to / when no redirect_to is given', async () => {
    fake.nextUser = newGoogleUser();
    const res = await app.inject({ method: 'GET', url: '/auth/google/start' });
    expect(res.statusCode).toBe(302);
    const cookie = res.cookies.find((c) => c.name === OAUTH_STATE_COOKIE)?.value ?? '';
    const done = await callback(await fake.authorize(String(res.headers.location)), cookie);
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/');
  });

  it('answers 404 when Google sign-in is not configured', async () => {
    const res = await offApp.inject({ method: 'GET', url: '/auth/google/start' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found', detail: 'Google sign-in is not configured.' });
    const cb = await offApp.inject({ method: 'GET', url: '/auth/google/callback?code=x&state=y' });
    expect(cb.statusCode).toBe(404);
  });
});
