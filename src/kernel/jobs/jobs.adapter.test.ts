import { afterAll, describe, expect, it } from 'vitest';
import {
  createServerDatabase,
  hasServer,
  type OpenedTestDatabase,
  testDatabases,
} from '../../../test/support/db.js';
import { memoryLog } from '../../../test/support/jobs.js';
import { openPostgres } from '../db/index.js';
import { createJobQueue } from './index.js';
import { createJobsSql, isMultiStatement } from './jobs.adapter.js';

declare module './index.js' {
  interface JobPayloads {
    'ta.install': Record<string, never>;
  }
}

describe('isMultiStatement', () => {
  it('tells pg-boss installation scripts from single statements', () => {
    expect(isMultiStatement('SELECT version from pgboss.version')).toBe(false);
    expect(isMultiStatement('SELECT 1;')).toBe(false);
    expect(isMultiStatement('SELECT 1;\n  ')).toBe(false);
    expect(isMultiStatement('BEGIN;\n SELECT 1;\n COMMIT;')).toBe(true);
  });
});

describe.each(testDatabases)('pg-boss on $kind through the kernel database', (target) => {
  const opened: OpenedTestDatabase[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of closers) await close();
    for (const t of opened) await t.drop();
  });

  it('installs once when several processes start together, and again is a no-op', async () => {
    const t = await target.open({ migrate: false });
    opened.push(t);
    // On the server each "process" has its own pool; PGlite has one connection per process anyway.
    const other = t.url ? await openPostgres(t.url, 3) : t.db;
    if (t.url) closers.push(() => other.close());
    const { log } = memoryLog('warn');
    const definitions = [{ name: 'ta.install' as const, handler: async () => ({ status: 'done' as const }) }];
    const queues = [t.db, other, t.db].map((db) => createJobQueue({ db, log, definitions }));
    await Promise.all(queues.map((q) => q.start({ work: false })));

    const [version] = await t.db.query<{ n: number }>('select count(*)::int as n from pgboss.version');
    expect(version?.n).toBe(1);
    const names = await t.db.query<{ name: string; dead_letter: string | null }>(
      'select name, dead_letter from pgboss.queue order by name',
    );
    expect(names).toEqual([
      { name: 'ta.install', dead_letter: 'ta.install.dead' },
      { name: 'ta.install.dead', dead_letter: null },
    ]);
    const [index] = await t.db.query<{ n: number }>(
      "select count(*)::int as n from pg_indexes where schemaname = 'pgboss' and indexname = 'keel_singleton_key'",
    );
    expect(index?.n).toBe(1);

    const again = createJobQueue({ db: t.db, log, definitions });
    await again.start({ work: false });
    expect(await again.send('ta.install', {})).toMatch(/^[0-9a-f-]{36}$/);
    await Promise.all([...queues, again].map((q) => q.stop()));
  });

  it('rolls back a failing multi-statement script, leaving the connection usable', async () => {
    const t = await target.open({ migrate: false });
    opened.push(t);
    const sql = createJobsSql(t.db);
    await expect(sql.executeSql('BEGIN; CREATE TABLE half (id int); SELECT 1/0; COMMIT;')).rejects.toThrow(
      /division by zero/,
    );
    const { rows } = await sql.executeSql("SELECT to_regclass('half') is null as gone");
    expect(rows).toEqual([{ gone: true }]);
    expect((await sql.executeSql('SELECT $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
  });
});

describe.skipIf(!hasServer)('install race on a server', () => {
  it('survives separate processes installing pg-boss into a fresh database at the same moment', async () => {
    const { log } = memoryLog('error');
    const definitions = [{ name: 'ta.install' as const, handler: async () => ({ status: 'done' as const }) }];
    for (let round = 0; round < 3; round++) {
      const database = await createServerDatabase();
      const pools = await Promise.all([1, 2, 3, 4].map(() => openPostgres(database.url, 2)));
      try {
        const queues = pools.map((db) => createJobQueue({ db, log, definitions }));
        await Promise.all(queues.map((q) => q.start({ work: false })));
        await Promise.all(queues.map((q) => q.stop()));
      } finally {
        for (const db of pools) await db.close();
        await database.drop();
      }
    }
  });
});
