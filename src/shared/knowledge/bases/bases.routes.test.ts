import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';
import { allModules } from '../../../modules.js';
import { directQueue } from '../ingest/testing/helpers.js';
import { knowledgeServices } from '../knowledge.context.js';
import { createKnowledgeModule } from '../knowledge.module.js';

describe.each(testDatabases)('knowledge bases API ($kind)', (target) => {
  const queue = directQueue();
  const h = useIdentityHarness(target, {
    modules: allModules.map((m) =>
      m.name === 'knowledge' ? createKnowledgeModule({ enqueue: queue.enqueue }) : m,
    ),
  });

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    user: SignedInUser,
    payload?: object,
  ) => h.app.inject({ method, url, headers: user.auth, ...(payload ? { payload } : {}) });

  /** A user acting in a new org they administer. */
  async function orgAdmin(name: string) {
    const user = await h.user();
    const org = await call('POST', '/orgs', user, { name });
    expect(org.statusCode).toBe(201);
    const orgId = org.json().id as string;
    return { user: await actIn(user, orgId), orgId };
  }
  async function actIn(user: SignedInUser, orgId: string): Promise<SignedInUser> {
    const refreshed = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken, org_id: orgId },
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const body = refreshed.json();
    return {
      ...user,
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      auth: { authorization: `Bearer ${body.access_token}` },
    };
  }
  async function member(orgId: string, admin: SignedInUser, role: 'member' | 'org_admin' = 'member') {
    const user = await h.user();
    const added = await call('PUT', `/orgs/${orgId}/members/${user.id}`, admin, { role });
    expect(added.statusCode, added.body).toBe(200);
    return actIn(user, orgId);
  }

  it('creates a personal base with defaults, lists it, changes it, and names every bad field', async () => {
    const owner = await h.user();
    const created = await call('POST', '/api/knowledge-bases', owner, {
      name: 'Runbooks',
      description: 'ops',
    });
    expect(created.statusCode, created.body).toBe(201);
    const base = created.json();
    expect(base).toMatchObject({
      name: 'Runbooks',
      org_id: null,
      owner_user_id: owner.id,
      embedding_model: 'text',
      chunk_strategy: 'auto',
      chunk_size: 500,
      chunk_overlap: 50,
      document_count: 0,
      access: 'manage',
    });

    const listed = await call('GET', '/api/knowledge-bases', owner);
    expect(listed.json().items.map((b: { id: string }) => b.id)).toEqual([base.id]);

    const patched = await call('PATCH', `/api/knowledge-bases/${base.id}`, owner, {
      chunk_strategy: 'fixed',
      chunk_size: 200,
      chunk_overlap: 20,
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ chunk_strategy: 'fixed', chunk_size: 200, chunk_overlap: 20 });

    for (const [body, field] of [
      [{ name: '' }, 'body.name'],
      [{ name: 'x', chunk_size: 10 }, 'body.chunk_size'],
      [{ name: 'x', chunk_size: 100, chunk_overlap: 100 }, 'body.chunk_overlap'],
      [{ name: 'x', chunk_strategy: 'sentences' }, 'body.chunk_strategy'],
      [{ name: 'x', colour: 'red' }, 'body'],
    ] as const) {
      const bad = await call('POST', '/api/knowledge-bases', owner, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // The overlap is checked against the size the base would end up with.
    expect(
      (await call('PATCH', `/api/knowledge-bases/${base.id}`, owner, { chunk_overlap: 150 })).statusCode,
    ).toBe(200);
    const tooMuch = await call('PATCH', `/api/knowledge-bases/${base.id}`, owner, { chunk_size: 100 });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0].field).toBe('body.chunk_size');
  });

  it('describes every knowledge route in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/knowledge-bases',
        '/api/knowledge-bases/{id}/shares',
        '/api/documents',
        '/api/documents/upload',
        '/api/documents/search',
        '/api/documents/{id}/export',
        '/api/documents/{id}/events',
      ]),
    );
  });

  it("keeps a base from everyone else: another user's base is 404, never 403", async () => {
    const owner = await h.user();
    const stranger = await h.user();
    const base = (await call('POST', '/api/knowledge-bases', owner, { name: 'Private' })).json();
    for (const [method, url, payload] of [
      ['GET', `/api/knowledge-bases/${base.id}`],
      ['PATCH', `/api/knowledge-bases/${base.id}`, { name: 'mine now' }],
      ['DELETE', `/api/knowledge-bases/${base.id}`],
      [
        'PUT',
        `/api/knowledge-bases/${base.id}/shares`,
        { subject_kind: 'user', subject_id: stranger.id, permission: 'write' },
      ],
    ] as const) {
      const response = await call(method, url, stranger, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await call('GET', '/api/knowledge-bases', stranger)).json().items).toEqual([]);
  });

  it('gives an org base to its members to read, to its owner and org admins to manage, and to no other org', async () => {
    const { user: admin, orgId } = await orgAdmin('Knowledge Org');
    const created = await call('POST', '/api/knowledge-bases', admin, { name: 'Team handbook' });
    const base = created.json();
    expect(base.org_id).toBe(orgId);

    const reader = await member(orgId, admin);
    const read = await call('GET', `/api/knowledge-bases/${base.id}`, reader);
    expect(read.statusCode).toBe(200);
    expect(read.json().access).toBe('read');
    const refused = await call('PATCH', `/api/knowledge-bases/${base.id}`, reader, { name: 'x' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('forbidden');

    const otherAdmin = await member(orgId, admin, 'org_admin');
    expect((await call('GET', `/api/knowledge-bases/${base.id}`, otherAdmin)).json().access).toBe('manage');

    const { user: outsider } = await orgAdmin('Other Org');
    expect((await call('GET', `/api/knowledge-bases/${base.id}`, outsider)).statusCode).toBe(404);
    expect((await call('GET', '/api/knowledge-bases', outsider)).json().items).toEqual([]);
  });

  it('shares with a user or a team, to read or write, and takes it back', async () => {
    const { user: admin, orgId } = await orgAdmin('Sharing Org');
    const owner = await h.user();
    const base = (await call('POST', '/api/knowledge-bases', owner, { name: 'Shared notes' })).json();
    const friend = await h.user();

    const shared = await call('PUT', `/api/knowledge-bases/${base.id}/shares`, owner, {
      subject_kind: 'user',
      subject_id: friend.id,
      permission: 'read',
    });
    expect(shared.statusCode, shared.body).toBe(201);
    expect((await call('GET', `/api/knowledge-bases/${base.id}`, friend)).json().access).toBe('read');
    const upgraded = await call('PUT', `/api/knowledge-bases/${base.id}/shares`, owner, {
      subject_kind: 'user',
      subject_id: friend.id,
      permission: 'write',
    });
    expect(upgraded.statusCode).toBe(200);
    expect((await call('GET', `/api/knowledge-bases/${base.id}`, friend)).json().access).toBe('write');
    // Writers change documents, not the base or its shares.
    expect((await call('GET', `/api/knowledge-bases/${base.id}/shares`, friend)).statusCode).toBe(403);

    const team = await call('POST', `/orgs/${orgId}/teams`, admin, { name: 'Readers' });
    expect(team.statusCode, team.body).toBe(201);
    const teamMate = await member(orgId, admin);
    expect(
      (
        await call('PUT', `/orgs/${orgId}/teams/${team.json().id}/members/${teamMate.id}`, admin, {
          role: 'member',
        })
      ).statusCode,
    ).toBe(200);
    expect((await call('GET', `/api/knowledge-bases/${base.id}`, teamMate)).statusCode).toBe(404);
    await call('PUT', `/api/knowledge-bases/${base.id}/shares`, owner, {
      subject_kind: 'team',
      subject_id: team.json().id,
      permission: 'read',
    });
    expect((await call('GET', `/api/knowledge-bases/${base.id}`, teamMate)).json().access).toBe('read');

    const listedShares = await call('GET', `/api/knowledge-bases/${base.id}/shares`, owner);
    expect(
      listedShares
        .json()
        .items.map((s: { subject_kind: string }) => s.subject_kind)
        .sort(),
    ).toEqual(['team', 'user']);

    const removed = await call(
      'DELETE',
      `/api/knowledge-bases/${base.id}/shares?subject_kind=user&subject_id=${friend.id}`,
      owner,
    );
    expect(removed.statusCode).toBe(204);
    expect((await call('GET', `/api/knowledge-bases/${base.id}`, friend)).statusCode).toBe(404);
    const again = await call(
      'DELETE',
      `/api/knowledge-bases/${base.id}/shares?subject_kind=user&subject_id=${friend.id}`,
      owner,
    );
    expect(again.statusCode).toBe(404);
  });

  it('deletes a base for good from everyone’s view, and links agents only to bases their user can read', async () => {
    const owner = await h.user();
    const base = (await call('POST', '/api/knowledge-bases', owner, { name: 'Temporary' })).json();
    const knowledge = knowledgeServices(h.context);
    const caller = { userId: owner.id, orgId: null, orgAdmin: false };
    const agentId = '00000000-0000-4000-8000-00000000a9e7';
    await knowledge.bases.agents.link(caller, agentId, base.id, 2);
    expect(await knowledge.bases.agents.basesOf(agentId)).toEqual([{ knowledgeBaseId: base.id, weight: 2 }]);
    const stranger = { userId: (await h.user()).id, orgId: null, orgAdmin: false };
    await expect(knowledge.bases.agents.link(stranger, agentId, base.id)).rejects.toMatchObject({
      code: 'not_found',
    });

    expect((await call('DELETE', `/api/knowledge-bases/${base.id}`, owner)).statusCode).toBe(204);
    expect((await call('GET', `/api/knowledge-bases/${base.id}`, owner)).statusCode).toBe(404);
    expect(await knowledge.bases.agents.basesOf(agentId)).toEqual([]);
  });
});
