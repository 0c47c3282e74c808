import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';
import { waitFor } from '../../../../test/support/jobs.js';

describe.each(testDatabases)('the org a request acts in ($kind)', (target) => {
  const h = useIdentityHarness(target);

  const createOrg = async (auth: Record<string, string>, name: string) => {
    const response = await h.app.inject({ method: 'POST', url: '/orgs', headers: auth, payload: { name } });
    expect(response.statusCode).toBe(201);
    return response.json().id as string;
  };
  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());

  it('judges a request about another org by the role held there, and files its audit row under that org', async () => {
    const user = await h.user();
    const first = await createOrg(user.auth, 'First Org');
    const refreshed = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    });
    const auth = { authorization: `Bearer ${refreshed.json().access_token}` };
    const second = await createOrg(auth, 'Second Org');
    // The token still says First Org; the user administers Second Org too.
    expect(claimsOf(refreshed.json().access_token).org).toBe(first);
    const renamed = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${second}`,
      headers: auth,
      payload: { name: 'Second, renamed' },
    });
    expect(renamed.statusCode).toBe(200);
    // The audit row is written once the response is out.
    const rows = await waitFor('the audit row', async () => {
      const found = await h.services.ctx.db.query<{ org_id: string }>(
        `select org_id from identity.action_log where user_id = $1 and action = 'orgs.manage' and result = 'succeeded'`,
        [user.id],
      );
      return found.length > 0 && found;
    });
    expect(rows.map((r) => r.org_id)).toEqual([second]);

    const stranger = await h.user();
    const foreign = await h.app.inject({
      method: 'PATCH',
      url: `/orgs/${second}`,
      headers: stranger.auth,
      payload: { name: 'x' },
    });
    expect([403, 404]).toContain(foreign.statusCode);
  });

  it('switches the session to another org of the user at refresh, and refuses one they are not in', async () => {
    const user = await h.user();
    const first = await createOrg(user.auth, 'Alpha Org');
    const second = await createOrg(user.auth, 'Beta Org');
    const outsider = await h.user();
    const theirs = await createOrg(outsider.auth, 'Gamma Org');

    const refused = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken, org_id: theirs },
    });
    expect(refused.statusCode).toBe(404);
    // Nothing was rotated: the same token still works.
    const switched = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken, org_id: second },
    });
    expect(switched.statusCode).toBe(200);
    expect(claimsOf(switched.json().access_token)).toMatchObject({ org: second, org_role: 'org_admin' });
    // The choice sticks to the session across refreshes.
    const again = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: switched.json().refresh_token },
    });
    expect(claimsOf(again.json().access_token).org).toBe(second);
    expect(first).not.toBe(second);
  });
});
