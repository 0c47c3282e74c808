import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { eventually } from '../../../../test/support/eventually.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';

describe.each(testDatabases)('first-run setup ($kind)', (target) => {
  const h = useIdentityHarness(target);

  it('prints a one-time link at start that creates the first admin, then works no more', async () => {
    const methods = await h.app.inject({ method: 'GET', url: '/auth/methods' });
    expect(methods.json()).toEqual({ password: true, phone: true, google: false });
    expect((await h.app.inject({ method: 'GET', url: '/auth/setup' })).json()).toEqual({ needed: true });

    await h.app.listen({ port: 0, host: '127.0.0.1' });
    // onListen hooks run after listen() resolves.
    const printed = await eventually(
      () => h.lines.find((l) => typeof l.setup_url === 'string'),
      5_000,
      'the setup link',
    );
    const url = new URL(String(printed?.setup_url));
    expect(url.pathname).toBe('/app/setup');
    const token = url.searchParams.get('token') as string;

    const forged = await h.app.inject({
      method: 'POST',
      url: '/auth/setup',
      payload: { token: 'x'.repeat(43), username: 'root', password: 'a long admin password' },
    });
    expect(forged.statusCode).toBe(404);
    const short = await h.app.inject({
      method: 'POST',
      url: '/auth/setup',
      payload: { token, username: 'root', password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].field).toBe('body.password');

    const done = await h.app.inject({
      method: 'POST',
      url: '/auth/setup',
      payload: { token, username: 'root', password: 'a long admin password' },
    });
    expect(done.statusCode).toBe(200);
    expect(String(done.headers['set-cookie'])).toContain('keel_access=');
    const me = await h.app.inject({
      method: 'GET',
      url: '/me',
      headers: { authorization: `Bearer ${done.json().access_token}` },
    });
    expect(me.json()).toMatchObject({ username: 'root', roles: expect.arrayContaining(['admin']) });

    const again = await h.app.inject({
      method: 'POST',
      url: '/auth/setup',
      payload: { token, username: 'root2', password: 'a long admin password' },
    });
    expect(again.statusCode).toBe(410);
    expect((await h.app.inject({ method: 'GET', url: '/auth/setup' })).json()).toEqual({ needed: false });
  });
});
