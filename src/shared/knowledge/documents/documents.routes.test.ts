import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';
import { allModules } from '../../../modules.js';
import { makePdf } from '../extract/testing/make-files.js';
import { purgeJob } from '../ingest/maintenance.jobs.js';
import { directQueue, multipartBody } from '../ingest/testing/helpers.js';
import { knowledgeServices } from '../knowledge.context.js';
import { createKnowledgeModule } from '../knowledge.module.js';
import { createLocalStorage } from '../storage/index.js';

describe.each(testDatabases)('documents API ($kind)', (target) => {
  const root = mkdtempSync(join(tmpdir(), 'keel-documents-'));
  const queue = directQueue();
  const h = useIdentityHarness(target, {
    modules: allModules.map((m) =>
      m.name === 'knowledge'
        ? createKnowledgeModule({ storage: createLocalStorage(root), enqueue: queue.enqueue })
        : m,
    ),
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    user: SignedInUser,
    payload?: object,
  ) => h.app.inject({ method, url, headers: user.auth, ...(payload ? { payload } : {}) });
  const search = (user: SignedInUser, body: object) => call('POST', '/api/documents/search', user, body);

  async function upload(user: SignedInUser, baseId: string, filename: string, content: Uint8Array | string) {
    const { payload, headers } = multipartBody([
      { name: 'knowledge_base_id', value: baseId },
      { name: 'file', filename, content },
    ]);
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/documents/upload',
      headers: { ...user.auth, ...headers },
      payload,
    });
    expect(response.statusCode, `${filename}: ${response.body}`).toBe(202);
    return response.json().id as string;
  }
  const drain = () => queue.drain(knowledgeServices(h.context));

  async function actIn(user: SignedInUser, orgId: string): Promise<SignedInUser> {
    const refreshed = await h.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken, org_id: orgId },
    });
    const body = refreshed.json();
    return {
      ...user,
      refreshToken: body.refresh_token,
      auth: { authorization: `Bearer ${body.access_token}` },
    };
  }
  async function inNewOrg(name: string): Promise<{ user: SignedInUser; orgId: string }> {
    const user = await h.user();
    const orgId = (await call('POST', '/orgs', user, { name })).json().id as string;
    return { user: await actIn(user, orgId), orgId };
  }

  // One org with an owner, a member and a base of documents; one outsider in another org.
  let owner: SignedInUser;
  let colleague: SignedInUser;
  let outsider: SignedInUser;
  let baseId: string;
  let otherBaseId: string;
  const docs: Record<string, string> = {};

  beforeAll(async () => {
    const org = await inNewOrg('Docs Org');
    owner = org.user;
    const admin = await h.user({ roles: ['admin'] });
    await call('PUT', `/plans/users/${owner.id}`, admin, { plan_key: 'premium' });
    colleague = await h.user();
    await call('PUT', `/orgs/${org.orgId}/members/${colleague.id}`, owner, { role: 'member' });
    colleague = await actIn(colleague, org.orgId);
    outsider = (await inNewOrg('Elsewhere')).user;

    baseId = (
      await call('POST', '/api/knowledge-bases', owner, {
        name: 'Handbook',
        chunk_size: 60,
        chunk_overlap: 0,
      })
    ).json().id;
    otherBaseId = (await call('POST', '/api/knowledge-bases', owner, { name: 'Archive' })).json().id;
    docs.notes = await upload(owner, baseId, 'notes.txt', 'The zebracorn migrates north in spring.');
    docs.guide = await upload(
      owner,
      baseId,
      'guide.md',
      Array.from(
        { length: 12 },
        (_, i) => `## Step ${i + 1}\n\nDo thing number ${i + 1}, carefully, then check, "twice".`,
      ).join('\n\n'),
    );
    docs.hosts = await upload(owner, baseId, 'hosts.csv', 'host,cpu\nweb-1,80\nweb-2,35\n');
    docs.report = await upload(
      owner,
      baseId,
      'report.pdf',
      makePdf([['Quarterly report'], ['Margins improved.']]),
    );
    docs.items = await upload(owner, baseId, 'items.json', JSON.stringify([{ id: 1, name: 'alpha' }]));
    docs.archived = await upload(owner, otherBaseId, 'old.txt', 'An archived note about the zebracorn.');
    await drain();
  });

  it('lists documents newest first in keyset pages, filtered by base, status, type and date', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; next_cursor: string | null } = (
        await call('GET', `/api/documents?limit=2${cursor ? `&cursor=${cursor}` : ''}`, owner)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(Object.values(docs).reverse());

    const inBase = (await call('GET', `/api/documents?knowledge_base_id=${otherBaseId}`, owner)).json();
    expect(inBase.items.map((d: { id: string }) => d.id)).toEqual([docs.archived]);
    const csv = (await call('GET', '/api/documents?mime_type=text/csv&status=completed', owner)).json();
    expect(csv.items.map((d: { id: string }) => d.id)).toEqual([docs.hosts]);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await call('GET', `/api/documents?created_from=${future}`, owner)).json().items).toEqual([]);
    expect((await call('GET', `/api/documents?created_to=${future}`, owner)).json().items).toHaveLength(6);
    // The colleague reads the org's bases; documents are listed with their processing status.
    const theirs = (await call('GET', '/api/documents?limit=100', colleague)).json().items;
    expect(theirs).toHaveLength(6);
    expect(
      theirs.every(
        (d: { status: string; progress: number }) => d.status === 'completed' && d.progress === 100,
      ),
    ).toBe(true);

    const bad = await call('GET', '/api/documents?status=done&cursor=nonsense', owner);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('querystring.status');
    const badCursor = await call('GET', '/api/documents?cursor=nonsense', owner);
    expect(badCursor.json().errors[0].field).toBe('querystring.cursor');
  });

  it('pages through chunks and exports them as JSON, CSV, Markdown and text', async () => {
    const detail = (await call('GET', `/api/documents/${docs.guide}`, owner)).json();
    expect(detail.chunk_count).toBeGreaterThan(3);
    const chunks: Array<{ ordinal: number; label: string }> = [];
    let cursor: number | null = -1;
    while (cursor !== null) {
      const page: { items: typeof chunks; next_cursor: number | null } = (
        await call('GET', `/api/documents/${docs.guide}/chunks?limit=2&cursor=${cursor}`, owner)
      ).json();
      chunks.push(...page.items);
      cursor = page.next_cursor;
    }
    expect(chunks.map((c) => c.ordinal)).toEqual([...Array(detail.chunk_count).keys()]);
    expect(chunks[0]?.label).toMatch(/^line \d+$/);

    const json = await call('GET', `/api/documents/${docs.guide}/export?format=json`, owner);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toBe(
      `attachment; filename="guide.json"; filename*=UTF-8''guide.json`,
    );
    expect(JSON.parse(json.body).chunks).toHaveLength(detail.chunk_count);

    const csv = await call('GET', `/api/documents/${docs.guide}/export?format=csv`, owner);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.startsWith('ordinal,kind,location,token_count,text\r\n')).toBe(true);
    expect(csv.body).toContain('""twice""');
    expect(csv.body.split('\r\n').filter((line) => /^\d+,/.test(line))).toHaveLength(detail.chunk_count);

    const md = await call('GET', `/api/documents/${docs.report}/export?format=md`, owner);
    expect(md.body).toMatch(/^# report\.pdf\n\n## 1\. page/);
    const txt = await call('GET', `/api/documents/${docs.notes}/export?format=txt`, owner);
    expect(txt.body).toBe('The zebracorn migrates north in spring.\n');

    const badFormat = await call('GET', `/api/documents/${docs.notes}/export?format=xml`, owner);
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json().errors[0].field).toBe('querystring.format');
    const pending = await upload(owner, baseId, 'pending.txt', 'not processed yet');
    const early = await call('GET', `/api/documents/${pending}/export`, owner);
    expect(early.statusCode).toBe(409);
    await drain();
  });

  it('searches the bases the caller may read, citing where each hit is', async () => {
    const hybrid = await search(owner, { query: 'zebracorn migration', top_k: 5 });
    expect(hybrid.statusCode, hybrid.body).toBe(200);
    const body = hybrid.json();
    expect(body.search_type).toBe('hybrid');
    expect(body.vector_available).toBe(target.kind === 'pglite');
    expect(
      body.hits
        .slice(0, 2)
        .map((hit: { document_id: string }) => hit.document_id)
        .sort(),
    ).toEqual([docs.notes, docs.archived].sort());
    expect(body.hits[0]).toMatchObject({ label: 'line 1', snippet: expect.stringContaining('<mark>') });

    const text = (
      await search(owner, { query: 'zebracorn', search_type: 'text', knowledge_base_ids: [baseId] })
    ).json();
    expect(text.hits.map((hit: { document_id: string }) => hit.document_id)).toEqual([docs.notes]);
    expect(text.hits[0].ranks).toEqual({ text: 1 });
    const pdf = (
      await search(owner, { query: 'margins', search_type: 'text', mime_types: ['application/pdf'] })
    ).json();
    expect(pdf.hits[0]).toMatchObject({ document_id: docs.report, label: expect.stringMatching(/^pages? /) });

    const noWords = await search(owner, { query: 'the', search_type: 'text' });
    expect(noWords.statusCode).toBe(400);
    expect(noWords.json().errors[0].field).toBe('body.query');
    const tooMany = await search(owner, { query: 'x', top_k: 1000 });
    expect(tooMany.json().errors[0].field).toBe('body.top_k');
  });

  it('never lets another org read, list, export or search a document: 404 everywhere', async () => {
    for (const [method, url] of [
      ['GET', `/api/documents/${docs.notes}`],
      ['GET', `/api/documents/${docs.notes}/chunks`],
      ['GET', `/api/documents/${docs.notes}/export?format=csv`],
      ['GET', `/api/documents/${docs.notes}/events`],
      ['DELETE', `/api/documents/${docs.notes}`],
      ['POST', `/api/documents/${docs.notes}/restore`],
    ] as const) {
      const response = await call(method, url, outsider);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().code).toBe('not_found');
    }
    expect((await call('GET', `/api/documents?knowledge_base_id=${baseId}`, outsider)).json().items).toEqual(
      [],
    );
    expect((await search(outsider, { query: 'zebracorn', knowledge_base_ids: [baseId] })).statusCode).toBe(
      404,
    );
    const everything = await search(outsider, { query: 'zebracorn' });
    expect(everything.statusCode).toBe(200);
    expect(everything.json().hits).toEqual([]);
    // A member may read but not delete.
    expect((await call('DELETE', `/api/documents/${docs.notes}`, colleague)).statusCode).toBe(403);
  });

  it('takes a deleted document out of lists and search at once, and brings it back on restore', async () => {
    const hitsFor = async () =>
      (await search(owner, { query: 'zebracorn', search_type: 'text', knowledge_base_ids: [baseId] }))
        .json()
        .hits.map((hit: { document_id: string }) => hit.document_id);
    expect(await hitsFor()).toEqual([docs.notes]);

    expect((await call('DELETE', `/api/documents/${docs.notes}`, owner)).statusCode).toBe(204);
    const live = (await call('GET', `/api/documents?knowledge_base_id=${baseId}&limit=100`, owner)).json()
      .items;
    expect(live.map((d: { id: string }) => d.id)).not.toContain(docs.notes);
    const trash = (await call('GET', '/api/documents?deleted=true', owner)).json().items;
    expect(trash.map((d: { id: string }) => d.id)).toEqual([docs.notes]);
    expect((await call('GET', `/api/documents/${docs.notes}`, owner)).json().deleted_at).not.toBeNull();
    expect((await call('GET', `/api/documents/${docs.notes}/chunks`, owner)).statusCode).toBe(404);
    expect(await hitsFor()).toEqual([]);
    const base = (await call('GET', `/api/knowledge-bases/${baseId}`, owner)).json();
    expect(base.document_count).toBe(5);

    const restored = await call('POST', `/api/documents/${docs.notes}/restore`, owner);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ deleted_at: null, status: 'completed' });
    expect(await hitsFor()).toEqual([docs.notes]);
    const hybrid = (await search(owner, { query: 'zebracorn', knowledge_base_ids: [baseId] })).json();
    expect(hybrid.hits[0].document_id).toBe(docs.notes);

    // Deleted again, and the same text uploaded anew: the old one cannot come back beside it.
    await call('DELETE', `/api/documents/${docs.notes}`, owner);
    const again = await upload(owner, baseId, 'notes-again.txt', 'The zebracorn migrates north in spring.');
    const clash = await call('POST', `/api/documents/${docs.notes}/restore`, owner);
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({ existing_document_id: again });
    await drain();
  });

  it('purges documents deleted long enough ago: file and rows', async () => {
    const id = await upload(owner, otherBaseId, 'purge-me.txt', 'Soon gone.');
    await drain();
    const files = () => readdirSync(root, { recursive: true }).map(String);
    expect(files().some((f) => f.endsWith(id))).toBe(true);
    await call('DELETE', `/api/documents/${id}`, owner);
    const knowledge = knowledgeServices(h.context);
    const job = purgeJob({
      db: h.context.db,
      log: h.context.log,
      storage: knowledge.storage,
      defaultDays: 30,
    });
    const context = {
      jobId: 'test',
      retryCount: 0,
      signal: new AbortController().signal,
      log: h.context.log,
    };
    expect(await job.handler({}, context)).toMatchObject({ documents: 0 });
    expect(await job.handler({ olderThanDays: 0 }, context)).toMatchObject({
      documents: expect.any(Number),
      files: expect.any(Number),
    });
    expect(files().some((f) => f.endsWith(id))).toBe(false);
    expect((await call('GET', `/api/documents/${id}`, owner)).statusCode).toBe(404);
    expect((await call('POST', `/api/documents/${id}/restore`, owner)).statusCode).toBe(404);
    const [left] = await h.context.db.query<{ n: number }>(
      'select count(*)::int as n from knowledge.chunks where document_id = $1',
      [id],
    );
    expect(left?.n).toBe(0);
  });
});
