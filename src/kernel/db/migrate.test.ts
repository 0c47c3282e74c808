import { afterAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/db.js';
import { allModules, migrationSources } from '../../modules.js';
import { migrate, pendingMigrations, readMigrations } from './index.js';

const migrations = readMigrations(migrationSources(allModules));

describe.each(testDatabases)('migrations on $kind', (target) => {
  const opened: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const drop of opened) await drop();
  });

  it('applies every migration once, then finds nothing pending', async () => {
    const t = await target.open({ migrate: false });
    opened.push(t.drop);
    const first = await migrate(t.db, migrations);
    expect(first.applied.map((a) => `${a.module}/${a.tag}`)).toEqual(
      migrations.map((m) => `${m.module}/${m.tag}`),
    );
    const second = await migrate(t.db, migrations);
    expect(second.applied).toEqual([]);
    expect(await pendingMigrations(t.db, migrations)).toEqual([]);
    const tables = await t.db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'kernel' order by 1",
    );
    expect(tables.map((r) => r.table_name)).toEqual(['key_rotations', 'leadership_events', 'nodes']);
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const t = await target.open();
    opened.push(t.drop);
    const changed = migrations.map((m, i) => (i === 0 ? { ...m, hash: 'different' } : m));
    await expect(migrate(t.db, changed)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const t = await target.open();
    opened.push(t.drop);
    const broken = [
      ...migrations,
      {
        module: 'test',
        tag: '0001_broken',
        hash: 'x',
        statements: ['create table kernel.half (id int)', 'select 1/0'],
      },
    ];
    await expect(migrate(t.db, broken)).rejects.toThrow(/0001_broken failed/);
    const [half] = await t.db.query<{ present: boolean }>(
      "select to_regclass('kernel.half') is not null as present",
    );
    expect(half?.present).toBe(false);
    expect(await pendingMigrations(t.db, broken)).toHaveLength(1);
  });

  it('installs the wanted extensions where the database offers them', async () => {
    const t = await target.open({ migrate: false });
    opened.push(t.drop);
    const { extensions } = await migrate(t.db, migrations);
    const trgm = extensions.find((e) => e.name === 'pg_trgm');
    expect(trgm?.version).toMatch(/^\d+\.\d+/);
    if (target.kind === 'pglite')
      expect(extensions.find((e) => e.name === 'vector')?.version).toMatch(/^0\.8/);
  });
});
