import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';
import { allModules } from '../../../modules.js';
import { makePdf } from '../extract/testing/make-files.js';
import { knowledgeServices } from '../knowledge.context.js';
import { eraseKnowledgeUser } from '../knowledge.erase.js';
import { createKnowledgeModule } from '../knowledge.module.js';
import { createLocalStorage, createS3Storage } from '../storage/index.js';
import { type FakeS3, startFakeS3 } from '../storage/testing/fake-s3.js';
import { purgeJob } from './maintenance.jobs.js';
import { directQueue, multipartBody, type Part } from './testing/helpers.js';

/** Every stored object and temporary file under a local storage root. */
function filesUnder(root: string): string[] {
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name)));
  } catch {
    return [];
  }
}

const text = (content: string, filename = 'notes.txt'): Part => ({ name: 'file', filename, content });

describe.each(testDatabases)('document upload ($kind)', (target) => {
  const root = mkdtempSync(join(tmpdir(), 'keel-uploads-'));
  const queue = directQueue();
  const h = useIdentityHarness(target, {
    modules: allModules.map((m) =>
      m.name === 'knowledge'
        ? createKnowledgeModule({ storage: createLocalStorage(root), enqueue: queue.enqueue })
        : m,
    ),
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const upload = (user: SignedInUser, parts: Part[], query = '') => {
    const { payload, headers } = multipartBody(parts);
    return h.app.inject({
      method: 'POST',
      url: `/api/documents/upload${query}`,
      headers: { ...user.auth, ...headers },
      payload,
    });
  };
  const documentsOf = async (userId: string) =>
    h.context.db.query<{ id: string; storage_key: string }>(
      'select id, storage_key from knowledge.documents where owner_user_id = $1',
      [userId],
    );

  it('stores a first upload in a new default base, answers 202 pending, and queues its ingest', async () => {
    const user = await h.user();
    const first = await upload(user, [text('Quarterly notes.\n\nRevenue grew.')]);
    expect(first.statusCode, first.body).toBe(202);
    const doc = first.json();
    expect(doc).toMatchObject({
      filename: 'notes.txt',
      mime_type: 'text/plain',
      status: 'pending',
      progress: 0,
      size_bytes: 31,
      owner_user_id: user.id,
      org_id: null,
    });
    expect(doc.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(queue.queued).toContain(doc.id);

    const second = await upload(user, [text('Other notes', 'other.md')]);
    expect(second.json().knowledge_base_id).toBe(doc.knowledge_base_id);
    const bases = await h.app.inject({ method: 'GET', url: '/api/knowledge-bases', headers: user.auth });
    expect(bases.json().items).toMatchObject([
      { id: doc.knowledge_base_id, name: 'My documents', document_count: 2 },
    ]);
    expect(filesUnder(root)).toEqual(expect.arrayContaining([join(doc.id.slice(0, 2), doc.id)]));
    queue.queued.length = 0;
  });

  it('refuses empty, unreadable and duplicate files with a clear 4xx, keeping nothing of them', async () => {
    const user = await h.user();
    const before = filesUnder(root).length;

    const empty = await upload(user, [text('', 'report.pdf')]);
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'file', message: 'is empty' }],
    });

    const elf = new Uint8Array(200_000);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    const binary = await upload(user, [{ name: 'file', filename: 'report.pdf', content: elf }]);
    expect(binary.statusCode).toBe(415);
    expect(binary.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(binary.json()).toMatchObject({
      code: 'unsupported_media_type',
      detected_type: 'application/octet-stream',
      detail: expect.stringMatching(
        /^The file is binary data of an unknown type, which Keel cannot read; supported are PDF/,
      ),
    });
    const legacy = new Uint8Array(4096);
    legacy.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const doc = await upload(user, [{ name: 'file', filename: 'old.doc', content: legacy }]);
    expect(doc.statusCode).toBe(415);
    expect(doc.json().detail).toMatch(/legacy Office file/);

    const original = await upload(user, [text('the same words', 'a.txt')]);
    expect(original.statusCode).toBe(202);
    const again = await upload(user, [text('the same words', 'b.txt')]);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      code: 'conflict',
      existing_document_id: original.json().id,
      existing_filename: 'a.txt',
    });
    expect(again.json().detail).toContain(original.json().id);

    expect((await documentsOf(user.id)).map((d) => d.id)).toEqual([original.json().id]);
    expect(filesUnder(root).length).toBe(before + 1);
  });

  it('accepts a file whose extension lies, typed by its content', async () => {
    const user = await h.user();
    const response = await upload(user, [
      {
        name: 'file',
        filename: 'holiday.png',
        content: makePdf([['Minutes of the meeting']]),
        type: 'image/png',
      },
    ]);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ filename: 'holiday.png', mime_type: 'application/pdf' });
  });

  it("stops reading at the plan's size limit: 413 naming it, the partial file removed", async () => {
    const user = await h.user();
    // Larger than the JSON body limit (BODY_LIMIT, 1 MB) and within the plan: accepted.
    const fine = await upload(user, [
      { name: 'file', filename: 'fine.txt', content: Buffer.alloc(3 * 1024 * 1024, 'b') },
    ]);
    expect(fine.statusCode, fine.body).toBe(202);
    expect(fine.json().size_bytes).toBe(3 * 1024 * 1024);
    const before = filesUnder(root);
    // The free plan allows 10 MB; this is 10 MB and one byte of text.
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    const response = await upload(user, [{ name: 'file', filename: 'big.txt', content: big }]);
    expect(response.statusCode).toBe(413);
    expect(response.headers.connection).toBe('close');
    expect(response.json()).toMatchObject({
      code: 'payload_too_large',
      detail: 'The file is larger than the 10 MB upload limit of the Free plan.',
      limit_bytes: 10 * 1024 * 1024,
    });
    expect(filesUnder(root)).toEqual(before);
    expect(await documentsOf(user.id)).toHaveLength(1);
  });

  it('counts uploads against the daily allowance: 429 once it is used up', async () => {
    const user = await h.user();
    for (let i = 0; i < 10; i++) {
      const ok = await upload(user, [text(`note number ${i}`, `n${i}.txt`)]);
      expect(ok.statusCode, ok.body).toBe(202);
    }
    const refused = await upload(user, [text('one too many', 'n10.txt')]);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('rate_limited');
    expect(await documentsOf(user.id)).toHaveLength(10);
  });

  it("erases a user's personal bases with their files, and keeps only what belongs to orgs", async () => {
    const user = await h.user();
    const id = (await upload(user, [text('Private diary entry.', 'diary.txt')])).json().id as string;
    expect(filesUnder(root).some((f) => f.endsWith(id))).toBe(true);
    const counts = await h.context.db.transaction((tx) => eraseKnowledgeUser(tx, user.id));
    expect(counts).toEqual({ knowledge_bases: 1, documents: 1, files_queued: 1, shares: 0 });
    expect(await documentsOf(user.id)).toEqual([]);
    const knowledge = knowledgeServices(h.context);
    const purge = purgeJob({
      db: h.context.db,
      log: h.context.log,
      storage: knowledge.storage,
      defaultDays: 30,
    });
    expect(
      await purge.handler(
        {},
        { jobId: 'test', retryCount: 0, signal: new AbortController().signal, log: h.context.log },
      ),
    ).toMatchObject({ files: 1, files_kept: 0 });
    expect(filesUnder(root).some((f) => f.endsWith(id))).toBe(false);
  });

  it('names what is wrong with the form', async () => {
    const user = await h.user();
    const other = await h.user();
    const theirs = (
      await h.app.inject({
        method: 'POST',
        url: '/api/knowledge-bases',
        headers: other.auth,
        payload: { name: 'Theirs' },
      })
    ).json();

    const noFile = await upload(user, [{ name: 'knowledge_base_id', value: theirs.id }]);
    expect(noFile.statusCode).toBe(404);
    const onlyField = await upload(user, [{ name: 'note', value: 'x' }]);
    expect(onlyField.statusCode).toBe(400);
    expect(onlyField.json().errors[0].field).toBe('file');
    const badId = await upload(user, [{ name: 'knowledge_base_id', value: 'not-a-uuid' }, text('x')]);
    expect(badId.json().errors[0].field).toBe('knowledge_base_id');
    const wrongPart = await upload(user, [{ name: 'attachment', filename: 'a.txt', content: 'x' }]);
    expect(wrongPart.statusCode).toBe(400);
    expect(wrongPart.json().errors[0].field).toBe('attachment');
    const twoFiles = await upload(user, [text('one', 'one.txt'), text('two', 'two.txt')]);
    expect(twoFiles.statusCode).toBe(400);
    expect(twoFiles.json().errors[0]).toMatchObject({ field: 'file', message: 'send one file per upload' });
    const lateField = await upload(user, [
      text('late', 'late.txt'),
      { name: 'knowledge_base_id', value: theirs.id },
    ]);
    expect(lateField.statusCode).toBe(400);
    expect(lateField.json().errors[0]).toMatchObject({
      field: 'knowledge_base_id',
      message: 'must come before the file part',
    });
    const json = await h.app.inject({
      method: 'POST',
      url: '/api/documents/upload',
      headers: user.auth,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    const foreign = await upload(user, [text('x')], `?knowledge_base_id=${theirs.id}`);
    expect(foreign.statusCode).toBe(404);

    // Files of refused requests (two files, a late field) were taken back.
    expect(await documentsOf(user.id)).toEqual([]);
  });
});

describe('document upload to S3-compatible storage', () => {
  const [pglite] = testDatabases;
  let fake: FakeS3;
  const queue = directQueue();
  let storage: ReturnType<typeof createS3Storage> | undefined;
  const h = useIdentityHarness(pglite as (typeof testDatabases)[number], {
    modules: allModules.map((m) =>
      m.name === 'knowledge'
        ? createKnowledgeModule({
            // Built lazily: the fake starts in the first test.
            storage: {
              kind: 's3',
              put: (key, body) => (storage as NonNullable<typeof storage>).put(key, body),
              get: (key) => (storage as NonNullable<typeof storage>).get(key),
              delete: (key) => (storage as NonNullable<typeof storage>).delete(key),
            },
            enqueue: queue.enqueue,
          })
        : m,
    ),
  });
  afterAll(() => fake?.close());

  it('streams the file into the bucket, ingests it from there and purges it', async () => {
    fake = await startFakeS3();
    storage = createS3Storage({
      bucket: fake.bucket,
      region: fake.region,
      endpoint: fake.endpoint,
      credentials: fake.credentials,
    });
    const user = await h.user();
    const { payload, headers } = multipartBody([
      { name: 'file', filename: 'minutes.pdf', content: makePdf([['# Minutes'], ['Budget approved.']]) },
    ]);
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/documents/upload',
      headers: { ...user.auth, ...headers },
      payload,
    });
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id as string;
    expect([...fake.objects.keys()]).toEqual([id]);
    expect(fake.log).toContain(`PutObject ${id}`);

    const knowledge = knowledgeServices(h.context);
    expect(await queue.drain(knowledge)).toMatchObject([{ status: 'done', outcome: 'completed' }]);
    expect(fake.log).toContain(`GetObject ${id}`);
    const detail = await h.app.inject({ method: 'GET', url: `/api/documents/${id}`, headers: user.auth });
    expect(detail.json()).toMatchObject({ status: 'completed', page_count: 2 });

    expect(
      (await h.app.inject({ method: 'DELETE', url: `/api/documents/${id}`, headers: user.auth })).statusCode,
    ).toBe(204);
    const purge = h.context.db;
    await purge.query(
      `update knowledge.documents set deleted_at = now() - interval '31 days' where id = $1`,
      [id],
    );
    const result = await purgeJob({
      db: h.context.db,
      log: h.context.log,
      storage: knowledge.storage,
      defaultDays: 30,
    }).handler(
      {},
      { jobId: 'test', retryCount: 0, signal: new AbortController().signal, log: h.context.log },
    );
    expect(result).toMatchObject({ status: 'done', documents: 1, files: 1 });
    expect(fake.objects.size).toBe(0);
  });
});
