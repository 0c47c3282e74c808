import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testSecrets } from '../../../../test/support/app.js';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import { withIdentityOptions } from '../../../../test/support/identity.js';
import { parseConfig } from '../../../kernel/config/index.js';
import type { KeelApp } from '../../../kernel/http/index.js';
import { createLog } from '../../../kernel/log/index.js';
import { moduleContextOf } from '../../../modules.js';
import { type IdentityServices, identityServices } from '../identity.context.js';
import { signedInSchema } from '../sessions/session-cookies.js';
import { findUserById, insertUser, phoneHashOf, phoneOf } from '../users/users.repository.js';
import { type FakeSmsGateway, startFakeSmsGateway } from './fake-sms-gateway.js';
import { findOrCreatePhoneUser } from './phone.service.js';

const injection = "'); drop table identity.users; --";

describe.each(testDatabases)('phone sign-in on $kind', ({ open }) => {
  let t: OpenedTestDatabase;
  let app: KeelApp;
  let services: IdentityServices;
  let gateway: FakeSmsGateway;
  const lines: string[] = [];
  /** The service's clock runs this far ahead of the real one; tests move it instead of waiting. */
  let clockOffsetMs = 0;
  const advance = (ms: number) => {
    clockOffsetMs += ms;
  };

  // Each test uses its own numbers and client address, so limits never leak between tests.
  let numbers = 0;
  const newPhone = () => {
    numbers++;
    const local = String(20_000_000 + numbers * 7919);
    return {
      e164: `+8210${local}`,
      spaced: `+82 10-${local.slice(0, 4)}-${local.slice(4)}`,
      local: `010${local}`,
    };
  };
  let addresses = 0;
  const newIp = () => `10.0.${Math.floor(++addresses / 250)}.${(addresses % 250) + 1}`;
  const usedPhones: string[] = [];

  const start = (phone: string, ip: string) =>
    app.inject({ method: 'POST', url: '/auth/phone/start', payload: { phone }, remoteAddress: ip });
  const verify = (phone: string, code: string, ip: string) =>
    app.inject({
      method: 'POST',
      url: '/auth/phone/verify',
      payload: { phone, code },
      remoteAddress: ip,
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    });
  const count = async (table: string) =>
    Number((await t.db.query<{ n: number }>(`select count(*)::int as n from identity.${table}`))[0]?.n);
  const codeRows = (e164: string) =>
    t.db.query<Record<string, unknown>>(
      'select * from identity.phone_codes where phone_hash = $1 order by created_at',
      [phoneHashOf(services.ctx.secrets, e164)],
    );
  const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  beforeAll(async () => {
    t = await open();
    gateway = await startFakeSmsGateway();
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(...String(chunk).trim().split('\n'));
        callback();
      },
    });
    const secrets = testSecrets();
    const env = { SMS_PROVIDER: 'http', SMS_HTTP_URL: gateway.url, SMS_HTTP_TOKEN: 'sms-test-token' };
    const log = createLog({ svc: 'test', level: 'trace', destination: sink });
    const modules = withIdentityOptions({ phone: { now: () => new Date(Date.now() + clockOffsetMs) } });
    app = await buildTestApp({ db: t.db, modules, log, env, secrets });
    services = identityServices(
      moduleContextOf(modules, {
        config: parseConfig({ DATABASE_URL: 'memory://', ...env }),
        db: t.db,
        log,
        secrets,
      }),
    );
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await gateway?.close();
    await t?.drop();
  });

  it('declares both routes public', () => {
    const routes = app.routeAccess().filter((r) => r.url.startsWith('/auth/phone'));
    expect(routes).toEqual([
      { method: 'POST', url: '/auth/phone/start', action: 'public' },
      { method: 'POST', url: '/auth/phone/verify', action: 'public' },
    ]);
  });

  it('signs in with the code sent by SMS: creates a verified user and a session whose tokens work', async () => {
    const phone = newPhone();
    usedPhones.push(phone.e164);
    const ip = newIp();
    const users = await count('users');

    const started = await start(phone.spaced, ip);
    expect(started.statusCode).toBe(202);
    expect(started.json()).toEqual({ expires_in_s: 300, resend_after_s: 30 });
    const sms = gateway.received.at(-1);
    expect(sms?.to).toBe(phone.e164);
    expect(sms?.headers.authorization).toBe('Bearer sms-test-token');
    const code = gateway.lastCode(phone.e164);

    const [row = {}] = await codeRows(phone.e164);
    expect(Object.values(row).map(String)).not.toContain(code);
    expect(JSON.stringify(row)).not.toMatch(new RegExp(`(?<![0-9a-f])${code}(?![0-9a-f])`));
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((row.expires_at as Date).getTime() - (row.created_at as Date).getTime()).toBe(300_000);

    const res = await verify(phone.local, code, ip);
    expect(res.statusCode).toBe(200);
    const body = signedInSchema.parse(res.json());
    const cookies = [res.headers['set-cookie']].flat().join('\n');
    expect(cookies).toMatch(/keel_access=[^;]+;.*HttpOnly/);
    expect(cookies).toMatch(/SameSite=Strict/);
    const claims = await services.tokens.verify(body.access_token);
    expect(claims).toMatchObject({ userId: body.user_id, sessionId: body.session_id, roles: ['user'] });

    expect(await count('users')).toBe(users + 1);
    const user = await findUserById(t.db, body.user_id);
    expect(user).toMatchObject({ authStatus: 'verified', status: 'active' });
    expect(phoneOf(services.ctx.secrets, user as NonNullable<typeof user>)).toBe(phone.e164);
    const [session] = await t.db.query<{ method: string }>(
      'select method from identity.sessions where id = $1',
      [body.session_id],
    );
    expect(session?.method).toBe('phone');
    const [used] = await codeRows(phone.e164);
    expect(used?.verified_at).toBeInstanceOf(Date);

    // A code works once.
    const again = await verify(phone.e164, code, ip);
    expect(again.statusCode).toBe(401);
    expect(again.json().detail).toMatch(/already used/);

    // The second sign-in finds the same user.
    advance(31_000);
    expect((await start(phone.e164, ip)).statusCode).toBe(202);
    const second = await verify(phone.e164, gateway.lastCode(phone.e164), ip);
    expect(second.statusCode).toBe(200);
    expect(second.json().user_id).toBe(body.user_id);
    expect(second.json().session_id).not.toBe(body.session_id);
    expect(await count('users')).toBe(users + 1);
  });

  it('kills a code after 5 wrong tries: the 6th is refused even with the right code', async () => {
    const phone = newPhone();
    usedPhones.push(phone.e164);
    const ip = newIp();
    expect((await start(phone.e164, ip)).statusCode).toBe(202);
    const code = gateway.lastCode(phone.e164);
    for (let left = 4; left >= 0; left--) {
      const wrong = await verify(phone.e164, otherCode(code), ip);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ code: 'unauthorized', attempts_left: left });
    }
    const sixth = await verify(phone.e164, code, ip);
    expect(sixth.statusCode).toBe(401);
    expect(sixth.json().detail).toMatch(/Too many wrong codes/);
    const [row] = await codeRows(phone.e164);
    expect(row).toMatchObject({ attempts: 5, verified_at: null });
  });

  it('refuses an expired code', async () => {
    const phone = newPhone();
    usedPhones.push(phone.e164);
    const ip = newIp();
    expect((await start(phone.e164, ip)).statusCode).toBe(202);
    const code = gateway.lastCode(phone.e164);
    advance(5 * 60_000 + 1_000);
    const res = await verify(phone.e164, code, ip);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().detail).toBe('This code has expired; ask for a new one.');
  });

  it('retires the older code when a fresh one is sent', async () => {
    const phone = newPhone();
    usedPhones.push(phone.e164);
    const ip = newIp();
    expect((await start(phone.e164, ip)).statusCode).toBe(202);
    const first = gateway.lastCode(phone.e164);
    advance(31_000);
    expect((await start(phone.e164, ip)).statusCode).toBe(202);
    const second = gateway.lastCode(phone.e164);
    const [old, fresh] = await codeRows(phone.e164);
    expect(old?.invalidated_at).toBeInstanceOf(Date);
    expect(fresh?.invalidated_at).toBeNull();
    if (first !== second) expect((await verify(phone.e164, first, ip)).statusCode).toBe(401);
    expect((await verify(phone.e164, second, ip)).statusCode).toBe(200);
  });

  it('sends at most one code per 30 s and 5 per hour to a number, with Retry-After', async () => {
    const phone = newPhone();
    usedPhones.push(phone.e164);
    const ip = newIp();
    expect((await start(phone.e164, ip)).statusCode).toBe(202);
    const tooSoon = await start(phone.e164, ip);
    expect(tooSoon.statusCode).toBe(429);
    expect(tooSoon.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(tooSoon.json()).toMatchObject({ code: 'rate_limited', limit: 'phone_resend_interval' });
    const retryAfter = Number(tooSoon.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(tooSoon.json().retry_after_s).toBe(retryAfter);

    for (let sent = 2; sent <= 5; sent++) {
      advance(31_000);
      expect((await start(phone.e164, ip)).statusCode).toBe(202);
    }
    advance(31_000);
    const sixth = await start(phone.e164, ip);
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json()).toMatchObject({ code: 'rate_limited', limit: 'phone_per_hour' });
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(3600 - 5 * 31 - 5);
    expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(3600 - 5 * 31 + 5);
    expect(await codeRows(phone.e164)).toHaveLength(5);
  });

  it('sends at most 20 codes an hour for one client address', async () => {
    const ip = newIp();
    for (let i = 0; i < 20; i++) {
      const phone = newPhone();
      usedPhones.push(phone.e164);
      expect((await start(phone.e164, ip)).statusCode).toBe(202);
    }
    const phone = newPhone();
    usedPhones.push(phone.e164);
    const refused = await start(phone.e164, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited', limit: 'ip_per_hour' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
    expect(await codeRows(phone.e164)).toHaveLength(0);
    expect((await start(phone.e164, newIp())).statusCode).toBe(202);
  });

  it('refuses what is not a mobile number with 400 naming body.phone, storing nothing', async () => {
    const codes = await count('phone_codes');
    const sent = gateway.received.length;
    for (const phone of [
      'abc',
      '12345',
      '',
      '+0 10 1234 5678',
      '02-123-4567',
      '+82 2 1234 5678',
      '00821012345678',
      '+82 10 1234 5678 9999 1',
      '1012345678',
      '+82１0１２３４５６７８',
    ]) {
      const res = await start(phone, newIp());
      expect(res.statusCode, phone).toBe(400);
      expect(res.json().code).toBe('validation_failed');
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.phone' })]);
    }
    expect((await start(12345678 as unknown as string, newIp())).statusCode).toBe(400);
    expect(await count('phone_codes')).toBe(codes);
    expect(gateway.received.length).toBe(sent);
  });

  it('refuses a 1 MB string and SQL in the phone and the code, storing nothing', async () => {
    const codes = await count('phone_codes');
    const users = await count('users');
    const huge = '1'.repeat(1_000_000);
    const ip = newIp();
    for (const res of [await start(huge, ip), await start(injection, ip)]) {
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.phone' })]);
      expect(res.body.length).toBeLessThan(2_000);
    }
    const phone = newPhone();
    usedPhones.push(phone.e164);
    for (const [badPhone, badCode, field] of [
      [huge, '123456', 'body.phone'],
      [injection, '123456', 'body.phone'],
      [phone.e164, huge, 'body.code'],
      [phone.e164, injection, 'body.code'],
      [phone.e164, '12345', 'body.code'],
    ] as const) {
      const res = await verify(badPhone, badCode, ip);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ field })]);
    }
    expect(await count('phone_codes')).toBe(codes);
    expect(await count('users')).toBe(users);
  });

  it('answers a banned account 403 after a right code, and the start the same as for anyone', async () => {
    const phone = newPhone();
    usedPhones.push(phone.e164);
    const fresh = newPhone();
    usedPhones.push(fresh.e164);
    const ip = newIp();
    const userId = await t.db.transaction((tx) =>
      insertUser(tx, services.ctx.secrets, { phone: phone.e164, authStatus: 'verified' }),
    );
    await t.db.query(`update identity.users set status = 'banned' where id = $1`, [userId]);
    const known = await start(phone.e164, ip);
    const unknown = await start(fresh.e164, ip);
    expect([known.statusCode, known.body]).toEqual([unknown.statusCode, unknown.body]);
    const res = await verify(phone.e164, gateway.lastCode(phone.e164), ip);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', detail: 'This account is banned.' });
    expect(await t.db.query('select id from identity.sessions where user_id = $1', [userId])).toEqual([]);
  });

  it('refuses a number that was never sent a code', async () => {
    const phone = newPhone();
    const res = await verify(phone.e164, '123456', newIp());
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/No code was sent/);
  });

  it('retires the code when the SMS gateway fails, and says so with a 502', async () => {
    const phone = newPhone();
    usedPhones.push(phone.e164);
    gateway.failNext(503);
    const res = await start(phone.e164, newIp());
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      code: 'upstream_failed',
      detail: 'The SMS could not be sent; try again in a moment.',
    });
    const [row] = await codeRows(phone.e164);
    expect(row?.invalidated_at).toBeInstanceOf(Date);
    const logged = lines.find((l) => l.includes('SmsDeliveryError'));
    expect(logged).toMatch(/the SMS gateway answered HTTP 503/);
  });

  it('creates one user when first sign-ins of one number race', async () => {
    const phone = newPhone();
    usedPhones.push(phone.e164);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => findOrCreatePhoneUser(t.db, services.ctx.secrets, phone.e164)),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  // Last: it reads every line the tests above wrote.
  it('never writes a phone number or a code to the log', () => {
    expect(lines.length).toBeGreaterThan(20);
    expect(usedPhones.length).toBeGreaterThan(20);
    // Trace and user ids are random hex: drop them so a code cannot match inside one by chance.
    const text = lines
      .join('\n')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
    for (const e164 of usedPhones) {
      const national = e164.slice(3);
      expect(text).not.toContain(national.slice(0, 8));
      expect(text).not.toContain(national.slice(-8));
    }
    const codes = gateway.received.map((m) => m.text.match(/\d{6}/)?.[0] as string);
    expect(codes.length).toBeGreaterThan(20);
    for (const code of codes) expect(text).not.toContain(code);
  });
});
