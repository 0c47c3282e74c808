import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';
import { waitFor } from '../../../../test/support/jobs.js';
import { createJobQueue, type JobQueue } from '../../../kernel/jobs/index.js';
import { allModules, jobDefinitionsOf } from '../../../modules.js';
import { makePdf } from '../extract/testing/make-files.js';
import { createKnowledgeModule } from '../knowledge.module.js';
import { createLocalStorage } from '../storage/index.js';
import { multipartBody } from './testing/helpers.js';

describe.each(testDatabases)('ingest through the job queue ($kind)', (target) => {
  const root = mkdtempSync(join(tmpdir(), 'keel-queue-'));
  const modules = allModules.map((m) =>
    m.name === 'knowledge' ? createKnowledgeModule({ storage: createLocalStorage(root) }) : m,
  );
  const h = useIdentityHarness(target, { modules });
  let worker: JobQueue | undefined;
  // Registered after the harness, so it runs first: the worker stops before the database closes.
  afterAll(async () => {
    await worker?.stop({ graceMs: 2_000 });
    rmSync(root, { recursive: true, force: true });
  });

  it('processes uploads in a worker: one fails with its reason, the other completes', async () => {
    worker = createJobQueue({
      db: h.context.db,
      log: h.context.log,
      definitions: jobDefinitionsOf(modules, h.context).filter((d) => d.name.startsWith('knowledge.')),
      pollingIntervalSeconds: 0.5,
    });
    await worker.start({ work: true });
    const user = await h.user();
    const upload = async (filename: string, content: Uint8Array | string) => {
      const { payload, headers } = multipartBody([{ name: 'file', filename, content }]);
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/documents/upload',
        headers: { ...user.auth, ...headers },
        payload,
      });
      expect(response.statusCode, response.body).toBe(202);
      return response.json().id as string;
    };
    const broken = await upload('broken.pdf', makePdf([['one page']]).slice(0, 300));
    const fine = await upload('fine.md', '# Runbook\n\nRestart the service, then check the logs.');
    const settled = (id: string) =>
      waitFor(
        `document ${id} to settle`,
        async () => {
          const doc = (
            await h.app.inject({ method: 'GET', url: `/api/documents/${id}`, headers: user.auth })
          ).json();
          return doc.status === 'completed' || doc.status === 'failed' ? doc : null;
        },
        { timeoutMs: 25_000, intervalMs: 200 },
      );
    expect(await settled(broken)).toMatchObject({ status: 'failed', failure_code: 'corrupt' });
    expect(await settled(fine)).toMatchObject({ status: 'completed', progress: 100 });
    const [states] = (await worker.states()).filter((s) => s.queue === 'knowledge.ingest');
    expect(states).toMatchObject({ failed: 0 });
  });
});
