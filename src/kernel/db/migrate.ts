import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '../log/index.js';
import { advisoryLockKeys, withAdvisoryLock } from './advisory-lock.js';
import type { Database, SqlConnection } from './database.js';
import { type ExtensionStatus, ensureExtensions } from './extensions.js';

/** One module's drizzle-kit migration folder (`meta/_journal.json` + `<tag>.sql`). */
export interface MigrationSource {
  module: string;
  dir: string;
}

export interface Migration {
  module: string;
  tag: string;
  hash: string;
  statements: string[];
}

export interface MigrateResult {
  applied: Array<{ module: string; tag: string }>;
  extensions: ExtensionStatus[];
}

const bootstrapSql = `
create schema if not exists keel_meta;
create table if not exists keel_meta.schema_migrations (
  module text not null,
  tag text not null,
  hash text not null,
  applied_at timestamptz not null default now(),
  primary key (module, tag)
);`;

/** Reads the migrations of `sources`, in the given (dependency) order. */
export function readMigrations(sources: MigrationSource[]): Migration[] {
  const migrations: Migration[] = [];
  for (const source of sources) {
    const journalPath = join(source.dir, 'meta', '_journal.json');
    if (!existsSync(journalPath)) continue;
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
      entries: Array<{ idx: number; tag: string }>;
    };
    for (const entry of [...journal.entries].sort((a, b) => a.idx - b.idx)) {
      const sql = readFileSync(join(source.dir, `${entry.tag}.sql`), 'utf8');
      migrations.push({
        module: source.module,
        tag: entry.tag,
        hash: createHash('sha256').update(sql).digest('hex'),
        statements: sql
          .split('--> statement-breakpoint')
          .map((s) => s.trim())
          .filter(Boolean),
      });
    }
  }
  return migrations;
}

/**
 * Applies pending migrations. Holds a session-level advisory lock on one connection for the whole
 * run, so N processes starting at once migrate exactly once: the first migrates, the others wait
 * for the lock and then find nothing pending. Each migration commits with its bookkeeping row.
 */
export async function migrate(db: Database, migrations: Migration[], log?: Log): Promise<MigrateResult> {
  return withAdvisoryLock(db, advisoryLockKeys.migrations, async (conn) => {
    let done = await appliedMigrations(conn);
    if (done === null) {
      await conn.exec(bootstrapSql);
      done = new Map();
    }
    const extensions = await ensureExtensions(conn);
    const applied: MigrateResult['applied'] = [];
    for (const migration of migrations) {
      const key = `${migration.module}/${migration.tag}`;
      const previous = done.get(key);
      if (previous !== undefined) {
        if (previous !== migration.hash) {
          throw new Error(`migration ${key} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await conn.exec('begin');
      try {
        for (const statement of migration.statements) await conn.exec(statement);
        await conn.query('insert into keel_meta.schema_migrations (module, tag, hash) values ($1, $2, $3)', [
          migration.module,
          migration.tag,
          migration.hash,
        ]);
        await conn.exec('commit');
      } catch (error) {
        await conn.exec('rollback');
        throw new Error(`migration ${key} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push({ module: migration.module, tag: migration.tag });
      log?.info({ module: migration.module, tag: migration.tag }, 'migration applied');
    }
    return { applied, extensions };
  });
}

/** Migrations known to this build but not applied to the database (empty → current). */
export async function pendingMigrations(conn: SqlConnection, migrations: Migration[]): Promise<Migration[]> {
  const done = (await appliedMigrations(conn)) ?? new Map<string, string>();
  return migrations.filter((m) => !done.has(`${m.module}/${m.tag}`));
}

/** Applied migrations by `module/tag` → hash; null before the bookkeeping table exists. */
async function appliedMigrations(conn: SqlConnection): Promise<Map<string, string> | null> {
  const [exists] = await conn.query<{ present: boolean }>(
    "select to_regclass('keel_meta.schema_migrations') is not null as present",
  );
  if (!exists?.present) return null;
  const rows = await conn.query<{ module: string; tag: string; hash: string }>(
    'select module, tag, hash from keel_meta.schema_migrations',
  );
  return new Map(rows.map((r) => [`${r.module}/${r.tag}`, r.hash]));
}
