import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/app.js';
import { testDatabases } from '../../../test/support/db.js';
import { useIdentityHarness } from '../../../test/support/identity.js';
import { allModules, jobDefinitionsOf } from '../../modules.js';
import { createJobQueue, type JobQueue } from '../jobs/index.js';
import type { KeelApp } from './index.js';

describe.each(testDatabases)('/admin/jobs ($kind)', (target) => {
  const h = useIdentityHarness(target);
  let jobs: JobQueue | undefined;
  let app: KeelApp | undefined;
  afterAll(async () => {
    await app?.close();
    await jobs?.stop({ graceMs: 0 });
  });

  it("shows admins every queue's counts and dead letters, and refuses everyone else", async () => {
    const { db, log, secrets } = h.context;
    jobs = createJobQueue({ db, log, definitions: jobDefinitionsOf(allModules, h.context) });
    await jobs.start({ work: false });
    app = await buildTestApp({ db, secrets, jobs });
    await jobs.send('notify.purge', { retentionDays: 90 });

    const admin = await h.user({ roles: ['admin'] });
    const user = await h.user();
    const listed = await app.inject({ method: 'GET', url: '/admin/jobs', headers: admin.auth });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toContainEqual(
      expect.objectContaining({ queue: 'notify.purge', dead_letter: 'notify.purge.dead', created: 1 }),
    );
    const dead = await app.inject({
      method: 'GET',
      url: '/admin/jobs/notify.purge/dead-letters',
      headers: admin.auth,
    });
    expect(dead.json()).toEqual({ items: [] });
    const unknown = await app.inject({
      method: 'GET',
      url: '/admin/jobs/no.such/dead-letters',
      headers: admin.auth,
    });
    expect(unknown.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/admin/jobs', headers: user.auth })).statusCode).toBe(
      403,
    );
  });
});
