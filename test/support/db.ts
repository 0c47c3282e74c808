import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import {
  type Database,
  migrate,
  openPglite,
  openPostgres,
  readMigrations,
} from '../../src/kernel/db/index.js';
import { allModules, migrationSources } from '../../src/modules.js';

export interface TestDatabase {
  /** 'pglite' or 'postgres' — used as the describe.each label. */
  kind: 'pglite' | 'postgres';
  /** Opens a fresh, migrated database; `drop()` removes it (server) or closes it (PGlite). */
  open(options?: { migrate?: boolean }): Promise<OpenedTestDatabase>;
}

export interface OpenedTestDatabase {
  db: Database;
  /** The server URL of this test's own database (server kind only). */
  url: string | undefined;
  drop(): Promise<void>;
}

const serverUrl = process.env.TEST_DATABASE_URL;

/** PGlite always; the PostgreSQL server too when TEST_DATABASE_URL is set. */
export const testDatabases: TestDatabase[] = [
  { kind: 'pglite', open: openPgliteTestDatabase },
  ...(serverUrl ? [{ kind: 'postgres' as const, open: openServerTestDatabase }] : []),
];

export const hasServer = serverUrl !== undefined;

let template: Blob | undefined;

/** An in-memory PGlite; migrated ones start from the prepared template (see global-setup.ts). */
export async function openPgliteTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<OpenedTestDatabase> {
  if (options.migrate === false) {
    const db = await openPglite(null);
    return { db, url: undefined, drop: () => db.close() };
  }
  template ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
  const db = await openPglite(null, { loadDataDir: template });
  // The template is current by construction; this proves it and costs one query.
  await migrate(db, readMigrations(migrationSources(allModules)));
  return { db, url: undefined, drop: () => db.close() };
}

/** Creates a uniquely named database on the server, opens it and migrates it. */
export async function openServerTestDatabase(
  options: { migrate?: boolean } = {},
): Promise<OpenedTestDatabase> {
  const { url, drop: dropDatabase } = await createServerDatabase();
  const db = await openPostgres(url, 10);
  if (options.migrate !== false) await migrate(db, readMigrations(migrationSources(allModules)));
  return {
    db,
    url,
    async drop() {
      await db.close().catch(() => undefined);
      await dropDatabase();
    },
  };
}

/** A new empty database on TEST_DATABASE_URL's server; `drop()` force-drops it. */
export async function createServerDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `keel_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
