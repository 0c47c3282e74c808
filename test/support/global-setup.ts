import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureBundle } from '../../bin/bundle.mjs';
import { ensurePgliteTemplate, migrate, openPglite, readMigrations } from '../../src/kernel/db/index.js';
import { allModules, migrationSources } from '../../src/modules.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * A new PGlite runs initdb (1–3 s, more on a busy machine). Build one migrated database per
 * migration set, keep its data directory as a tarball, and let every test load that instead.
 */
export default async function setup(project: TestProject) {
  // Tests that start `keel` processes run the bundle: build it once, before they race to.
  await ensureBundle();
  // As `npm install` does (keel setup): every new PGlite starts from a copy, not an initdb.
  await ensurePgliteTemplate();
  const migrations = readMigrations(migrationSources(allModules));
  const hash = createHash('sha256')
    .update(migrations.map((m) => `${m.module}/${m.tag}:${m.hash}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const dir = join(process.cwd(), 'node_modules', '.cache', 'keel-test');
  const path = join(dir, `pglite-${hash}.tar`);
  if (!existsSync(path)) {
    const db = await openPglite(null);
    await migrate(db, migrations);
    const dump = await db.dumpDataDir?.();
    await db.close();
    if (!dump) throw new Error('PGlite could not dump its data directory');
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${path}.tmp`, Buffer.from(await dump.arrayBuffer()));
    renameSync(`${path}.tmp`, path);
  }
  project.provide('pgliteTemplate', path);
}
