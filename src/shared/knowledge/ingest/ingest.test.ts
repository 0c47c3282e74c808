import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { type SignedInUser, useIdentityHarness } from '../../../../test/support/identity.js';
import { allModules } from '../../../modules.js';
import { searchPort } from '../documents/search-port.js';
import {
  deflatedZeros,
  docxParagraph,
  docxTable,
  makeDocx,
  makePdf,
  makePptx,
  makeXlsx,
  makeZip,
} from '../extract/testing/make-files.js';
import { knowledgeServices } from '../knowledge.context.js';
import { createKnowledgeModule } from '../knowledge.module.js';
import { createLocalStorage } from '../storage/index.js';
import { requeueJob } from './maintenance.jobs.js';
import { directQueue, multipartBody } from './testing/helpers.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../extract/fixtures/${name}`, import.meta.url)));
const run = (retryCount = 0) => ({ signal: new AbortController().signal, retryCount });

describe.each(testDatabases)('document ingest ($kind)', (target) => {
  const root = mkdtempSync(join(tmpdir(), 'keel-ingest-'));
  const queue = directQueue();
  /** Makes the next `indexChunks` throw, as a crash inside the final transaction would. */
  let failNextIndex = false;
  /** Holds a document between chunking and embedding (where it asks whether vectors are on). */
  let hold: Promise<void> | undefined;
  const h = useIdentityHarness(target, {
    modules: allModules.map((m) =>
      m.name === 'knowledge'
        ? createKnowledgeModule({
            storage: createLocalStorage(root),
            enqueue: queue.enqueue,
            search: {
              ...searchPort,
              async vectorSearchAvailable(conn) {
                await hold;
                return searchPort.vectorSearchAvailable(conn);
              },
              async indexChunks(tx, chunks) {
                if (failNextIndex) {
                  failNextIndex = false;
                  throw new Error('the worker died while indexing');
                }
                return searchPort.indexChunks(tx, chunks);
              },
            },
          })
        : m,
    ),
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  let user: SignedInUser;
  const knowledge = () => knowledgeServices(h.context);
  const get = (url: string) => h.app.inject({ method: 'GET', url, headers: user.auth });

  async function upload(filename: string, content: Uint8Array | string): Promise<string> {
    user ??= await h.user({ roles: [] });
    const { payload, headers } = multipartBody([{ name: 'file', filename, content }]);
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/documents/upload',
      headers: { ...user.auth, ...headers },
      payload,
    });
    expect(response.statusCode, `${filename}: ${response.body}`).toBe(202);
    return response.json().id as string;
  }

  async function processed(id: string) {
    await queue.drain(knowledge());
    return (await get(`/api/documents/${id}`)).json();
  }

  it('takes every supported format from upload to completed, with counts and cited locations', async () => {
    user = await h.user();
    // A paid plan: this file uploads more than the free plan's ten a day.
    const admin = await h.user({ roles: ['admin'] });
    const plan = await h.app.inject({
      method: 'PUT',
      url: `/plans/users/${user.id}`,
      headers: admin.auth,
      payload: { plan_key: 'premium' },
    });
    expect(plan.statusCode, plan.body).toBe(200);
    const files: Array<[string, Uint8Array | string, string, Record<string, unknown>, string | RegExp]> = [
      [
        'report.pdf',
        makePdf([['# Quarterly report', 'Revenue grew by ten percent.'], ['Costs were flat.']]),
        'application/pdf',
        { page_count: 2 },
        /^pages? 1/,
      ],
      [
        'memo.docx',
        makeDocx(
          `${docxParagraph('Memo', { style: 'Heading1' })}${docxParagraph('Ship on Friday.')}${docxTable([
            ['Owner', 'Task'],
            ['Kim', 'Deploy'],
          ])}`,
        ),
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        {},
        'page 1',
      ],
      [
        'budget.xlsx',
        await makeXlsx([
          {
            name: 'Q1',
            rows: [
              ['Item', 'Cost'],
              ['Servers', 120],
              ['Licences', 80],
            ],
          },
          {
            name: 'Q2',
            rows: [
              ['Item', 'Cost'],
              ['Servers', 130],
            ],
          },
        ]),
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        { sheet_count: 2 },
        'Q1!A1:B3',
      ],
      [
        'deck.pptx',
        makePptx([{ title: 'Roadmap', body: ['Search in Q3'], notes: 'Mention hiring' }, { title: 'Risks' }]),
        'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        { slide_count: 2 },
        'slide 1',
      ],
      ['scan.png', fixture('ocr-english.png'), 'image/png', {}, 'image'],
      ['notes.txt', 'Plain notes.\n\nSecond paragraph.', 'text/plain', {}, /^line \d+$/],
      [
        'guide.md',
        '# Setup\n\nRun the installer.\n\n## Use\n\nOpen the app.',
        'text/markdown',
        {},
        /^line \d+$/,
      ],
      [
        'page.html',
        '<html><body><h1>Status</h1><p>All systems normal.</p></body></html>',
        'text/html',
        {},
        /^line \d+$/,
      ],
      ['hosts.csv', 'host,cpu\nweb-1,80\nweb-2,35\n', 'text/csv', {}, /^line \d+$/],
      [
        'items.json',
        JSON.stringify([
          { id: 1, name: 'alpha' },
          { id: 2, name: 'beta' },
        ]),
        'application/json',
        {},
        /^line \d+$/,
      ],
    ];
    for (const [filename, content, mime, counts, firstLabel] of files) {
      const id = await upload(filename, content);
      const doc = await processed(id);
      expect(doc, filename).toMatchObject({ status: 'completed', progress: 100, mime_type: mime, ...counts });
      expect(doc.chunk_count, filename).toBeGreaterThan(0);
      expect(doc.failure_code).toBeNull();
      expect(doc.metadata.kind, filename).toBeTypeOf('string');
      const chunks = (await get(`/api/documents/${id}/chunks`)).json();
      expect(chunks.items.length, filename).toBe(doc.chunk_count);
      expect(chunks.items[0].label, filename).toMatch(firstLabel);
    }
    const events = await h.context.db.query<{ event: string }>(
      `select event from knowledge.ingest_events e join knowledge.documents d on d.id = e.document_id
       where d.filename = 'report.pdf' and d.owner_user_id = $1 order by e.id`,
      [user.id],
    );
    const vectors = await searchPort.vectorSearchAvailable(h.context.db);
    expect(events.map((e) => e.event)).toEqual([
      'queued',
      'started',
      'extracted',
      'chunked',
      ...(vectors ? ['embedded'] : []),
      'indexed',
    ]);
  });

  it('fails bad files with a clear reason, and the next document still processes', async () => {
    const bomb = makeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      {
        name: 'word/document.xml',
        data: '',
        compressed: deflatedZeros(300),
        declaredSize: 300 * 1024 * 1024,
      },
    ]);
    const cases: Array<[string, Uint8Array, string, RegExp]> = [
      ['broken.pdf', makePdf([['one page']]).slice(0, 300), 'corrupt', /PDF/i],
      ['locked.pdf', fixture('encrypted.pdf'), 'encrypted', /encrypted|password/i],
      ['bomb.docx', bomb, 'zip_bomb', /zip bomb|inflate/i],
      ['empty.xlsx', await makeXlsx([{ name: 'Sheet1', rows: [] }]), 'empty', /./],
      ['blank.png', fixture('blank.png'), 'no_text', /text/i],
    ];
    for (const [filename, content, code, message] of cases) {
      const id = await upload(filename, content);
      const doc = await processed(id);
      expect(doc, filename).toMatchObject({ status: 'failed', failure_code: code, chunk_count: 0 });
      expect(doc.failure_reason, filename).toMatch(message);
    }
    const next = await upload('after.txt', 'Still working after the failures.');
    expect(await processed(next)).toMatchObject({ status: 'completed' });
  });

  it('shows progress while it works and streams it as server-sent events', async () => {
    const pages = Array.from({ length: 30 }, (_, i) => [
      `# Page ${i + 1}`,
      `Text of page ${i + 1}, about topic ${i}.`,
    ]);
    const id = await upload('long.pdf', makePdf(pages));
    let release = () => {};
    hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const working = queue.drain(knowledge());
    let midway: { status: string; progress: number } | undefined;
    // Up to 30 s: on a loaded CI machine extraction alone can take several seconds.
    const deadline = performance.now() + 30_000;
    while (!midway && performance.now() < deadline) {
      const doc = (await get(`/api/documents/${id}`)).json();
      if (doc.status === 'processing' && doc.progress >= 60) midway = doc;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(midway).toMatchObject({ status: 'processing', progress: expect.any(Number) });
    expect(midway?.progress).toBeLessThan(100);
    const events = get(`/api/documents/${id}/events`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    hold = undefined;
    release();
    await working;
    const stream = await events;
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    const statuses = [...stream.body.matchAll(/event: status\ndata: (.*)\n/g)].map((m) =>
      JSON.parse(m[1] as string),
    );
    // The job may have moved on a step (to where it is held) between the poll and the stream.
    expect(statuses[0]).toMatchObject({ status: 'processing' });
    expect(statuses[0].progress).toBeGreaterThanOrEqual(midway?.progress ?? 0);
    expect(statuses[0].progress).toBeLessThan(100);
    expect(statuses.at(-1)).toMatchObject({ status: 'completed', progress: 100 });
  });

  it('starts a retried document clean and fails it, not the worker, on the last attempt', async () => {
    const id = await upload('retry.md', '# Retry\n\nThis document is indexed on the second attempt.');
    queue.queued.length = 0;
    failNextIndex = true;
    await expect(knowledge().ingest.run(id, run(0))).rejects.toThrow('the worker died while indexing');
    expect((await get(`/api/documents/${id}`)).json()).toMatchObject({ status: 'processing' });
    // Leftovers of an interrupted attempt, as an older worker might have committed them.
    await h.context.db.query(
      `insert into knowledge.chunks (id, document_id, knowledge_base_id, ordinal, text, kind, location, token_count, term_count)
       select gen_random_uuid(), id, knowledge_base_id, 0, 'stale', 'text', '{"line":1}', 1, 1 from knowledge.documents where id = $1`,
      [id],
    );
    expect(await knowledge().ingest.run(id, run(1))).toMatchObject({ status: 'done', outcome: 'completed' });
    const chunks = (await get(`/api/documents/${id}/chunks`)).json().items;
    expect(chunks.map((c: { text: string }) => c.text).join(' ')).not.toContain('stale');
    expect(chunks.map((c: { ordinal: number }) => c.ordinal)).toEqual(
      chunks.map((_: unknown, i: number) => i),
    );

    const last = await upload('last.md', '# Last\n\nThis one never gets through.');
    queue.queued.length = 0;
    failNextIndex = true;
    expect(await knowledge().ingest.run(last, run(3))).toMatchObject({
      outcome: 'failed',
      reason: 'internal',
    });
    expect((await get(`/api/documents/${last}`)).json()).toMatchObject({
      status: 'failed',
      failure_code: 'internal',
    });
    // A finished document is not processed again.
    expect(await knowledge().ingest.run(id, run(0))).toMatchObject({ status: 'skipped' });
  });

  it('queues documents whose job was lost, and fails one that keeps stopping its worker', async () => {
    const lost = await upload('lost.txt', 'The enqueue after this upload was lost.');
    queue.queued.length = 0;
    await h.context.db.query(
      `update knowledge.documents set updated_at = now() - interval '10 minutes' where id = $1`,
      [lost],
    );
    const requeued: string[] = [];
    const job = requeueJob({ db: h.context.db, enqueue: async (id) => void requeued.push(id) });
    const context = {
      jobId: 'test',
      retryCount: 0,
      signal: new AbortController().signal,
      log: h.context.log,
    };
    expect(await job.handler({}, context)).toMatchObject({ queued: 1 });
    expect(requeued).toEqual([lost]);

    await h.context.db.query(
      `insert into knowledge.ingest_events (document_id, event) select $1, 'started' from generate_series(1, 8)`,
      [lost],
    );
    expect(await job.handler({}, context)).toMatchObject({ failed: 1 });
    expect((await get(`/api/documents/${lost}`)).json()).toMatchObject({
      status: 'failed',
      failure_code: 'internal',
    });
  });
});
