import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';

describe.each(testDatabases)('feedback ($kind)', (target) => {
  const h = useIdentityHarness(target);

  it('goes from a user report to an admin answer the user reads', async () => {
    const user = await h.user();
    const sent = await h.app.inject({
      method: 'POST',
      url: '/feedback',
      headers: user.auth,
      payload: { type: 'bug', subject: 'Export fails', content: 'CSV export gives a 500.', rating: 2 },
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({
      user_id: user.id,
      type: 'bug',
      subject: 'Export fails',
      rating: 2,
      status: 'pending',
      admin_response: null,
      responded_by: null,
    });
    const id = sent.json().id as string;
    const minimal = await h.app.inject({
      method: 'POST',
      url: '/feedback',
      headers: user.auth,
      payload: { type: 'suggestion', content: 'Dark mode, please.' },
    });
    expect(minimal.json()).toMatchObject({ subject: null, rating: null });

    const someoneElse = await h.user();
    const theirs = await h.app.inject({ method: 'GET', url: '/feedback/mine', headers: someoneElse.auth });
    expect(theirs.json().items).toEqual([]);
    for (const url of ['/feedback', `/feedback/${id}`]) {
      const denied = await h.app.inject({ method: 'GET', url, headers: user.auth });
      expect(denied.statusCode, url).toBe(403);
    }
    const selfAnswer = await h.app.inject({
      method: 'PATCH',
      url: `/feedback/${id}`,
      headers: user.auth,
      payload: { status: 'closed' },
    });
    expect(selfAnswer.statusCode).toBe(403);

    const admin = await h.user({ roles: ['admin'] });
    const bugs = await h.app.inject({
      method: 'GET',
      url: '/feedback?status=pending&type=bug',
      headers: admin.auth,
    });
    expect(bugs.json().items.map((f: { id: string }) => f.id)).toEqual([id]);
    const firstPage = await h.app.inject({ method: 'GET', url: '/feedback?limit=1', headers: admin.auth });
    expect(firstPage.json().items).toHaveLength(1);
    const secondPage = await h.app.inject({
      method: 'GET',
      url: `/feedback?limit=1&cursor=${firstPage.json().next_cursor}`,
      headers: admin.auth,
    });
    expect(secondPage.json().items[0].id).toBe(id);
    expect(secondPage.json().next_cursor).toBeNull();

    const answered = await h.app.inject({
      method: 'PATCH',
      url: `/feedback/${id}`,
      headers: admin.auth,
      payload: { status: 'resolved', admin_response: 'Fixed in 1.4.' },
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({
      status: 'resolved',
      admin_response: 'Fixed in 1.4.',
      responded_by: admin.id,
    });
    const pending = await h.app.inject({
      method: 'GET',
      url: '/feedback?status=pending',
      headers: admin.auth,
    });
    expect(pending.json().items.map((f: { id: string }) => f.id)).not.toContain(id);

    const mine = await h.app.inject({ method: 'GET', url: '/feedback/mine', headers: user.auth });
    expect(mine.json().items).toHaveLength(2);
    expect(mine.json().items[1]).toMatchObject({ id, status: 'resolved', admin_response: 'Fixed in 1.4.' });

    const missing = await h.app.inject({
      method: 'PATCH',
      url: '/feedback/00000000-0000-4000-8000-000000000000',
      headers: admin.auth,
      payload: { status: 'closed' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses bad types, ratings, SQL-injection and 1 MB strings with 400 naming the field, storing nothing', async () => {
    const user = await h.user();
    const admin = await h.user({ roles: ['admin'] });
    const kept = await h.app.inject({
      method: 'POST',
      url: '/feedback',
      headers: user.auth,
      payload: { type: 'complaint', content: 'Too slow.' },
    });
    const id = kept.json().id as string;
    const count = async () =>
      Number(
        (await h.services.ctx.db.query<{ n: string }>('select count(*) as n from identity.feedback'))[0]?.n,
      );
    const before = await count();
    const injection = "x'); drop table identity.feedback; --";
    const huge = 'a'.repeat(1_000_000);
    const ok = { type: 'bug', content: 'fine' };
    const cases: Array<{ method: 'POST' | 'PATCH'; url: string; payload: object; field: string }> = [
      { method: 'POST', url: '/feedback', payload: { ...ok, type: injection }, field: 'body.type' },
      { method: 'POST', url: '/feedback', payload: { ...ok, type: huge }, field: 'body.type' },
      { method: 'POST', url: '/feedback', payload: { ...ok, subject: huge }, field: 'body.subject' },
      {
        method: 'POST',
        url: '/feedback',
        payload: { ...ok, subject: 's'.repeat(201) },
        field: 'body.subject',
      },
      { method: 'POST', url: '/feedback', payload: { ...ok, content: huge }, field: 'body.content' },
      {
        method: 'POST',
        url: '/feedback',
        payload: { ...ok, content: 'c'.repeat(10_001) },
        field: 'body.content',
      },
      { method: 'POST', url: '/feedback', payload: { ...ok, content: 'nul \u0000' }, field: 'body.content' },
      { method: 'POST', url: '/feedback', payload: { ...ok, content: '   ' }, field: 'body.content' },
      { method: 'POST', url: '/feedback', payload: { ...ok, rating: 0 }, field: 'body.rating' },
      { method: 'POST', url: '/feedback', payload: { ...ok, rating: 6 }, field: 'body.rating' },
      { method: 'POST', url: '/feedback', payload: { ...ok, rating: 2.5 }, field: 'body.rating' },
      { method: 'POST', url: '/feedback', payload: { ...ok, rating: injection }, field: 'body.rating' },
      { method: 'PATCH', url: `/feedback/${id}`, payload: { status: injection }, field: 'body.status' },
      {
        method: 'PATCH',
        url: `/feedback/${id}`,
        payload: { admin_response: huge },
        field: 'body.admin_response',
      },
    ];
    for (const c of cases) {
      const headers = c.method === 'PATCH' ? admin.auth : user.auth;
      const response = await h.app.inject({ method: c.method, url: c.url, headers, payload: c.payload });
      expect(response.statusCode, `${c.method} ${c.url} ${c.field}`).toBe(400);
      expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(c.field);
    }
    for (const url of [`/feedback?status=${encodeURIComponent(injection)}`, '/feedback?type=praise']) {
      const response = await h.app.inject({ method: 'GET', url, headers: admin.auth });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().errors[0].field).toMatch(/^querystring\.(status|type)$/);
    }
    expect(await count()).toBe(before);
    const untouched = await h.app.inject({ method: 'GET', url: `/feedback/${id}`, headers: admin.auth });
    expect(untouched.json()).toMatchObject({ status: 'pending', admin_response: null, responded_by: null });
  });
});
