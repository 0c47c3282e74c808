import type { Database } from '../db/index.js';

/** The `db` option of pg-boss: it sends all of its SQL through this one function. */
export interface PgBossSql {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** pg-boss's SQL path plus a typed query for the job queue's own statements, on the same footing. */
export interface JobsSql extends PgBossSql {
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
}

// One chain per embedded database, shared by every job queue of the process on it.
const pgliteChains = new WeakMap<Database, { tail: Promise<unknown> }>();

/**
 * Runs pg-boss's SQL on the kernel database, so pg-boss works the same on PGlite and PostgreSQL.
 *
 * pg-boss sends its installation, migrations and maintenance as several statements in one string
 * without parameters (`BEGIN; ...; COMMIT;`). PGlite accepts those only through `exec` (the simple
 * protocol); `query` (extended protocol) refuses more than one statement. Those strings never need
 * rows back, so they go to `exec` and return none; everything else goes to `query`.
 */
export function createJobsSql(db: Database): JobsSql {
  const chain = db.kind === 'pglite' ? (pgliteChains.get(db) ?? { tail: Promise.resolve() }) : null;
  if (chain) pgliteChains.set(db, chain);

  /**
   * On PGlite, one statement at a time (PGlite runs them one at a time anyway): a failed script and
   * its rollback must not have another statement of the job queue slip in between, or that
   * statement would run in the aborted transaction and fail too.
   */
  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    if (!chain) return fn();
    const run = chain.tail.then(fn, fn);
    chain.tail = run.catch(() => undefined);
    return run;
  }

  async function runScript(text: string): Promise<void> {
    await db.withConnection(async (conn) => {
      try {
        await conn.exec(text);
      } catch (error) {
        // A statement failing after `BEGIN` leaves the session in an aborted transaction. On the
        // server the pool discards that client, but PGlite has one session for the whole process:
        // without this rollback every later query would fail. (pg-boss expects some failures here:
        // a second process installing at the same time gets "already exists" and moves on.)
        await conn.exec('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  return {
    async executeSql(text, values) {
      if ((values && values.length > 0) || !isMultiStatement(text)) {
        return { rows: await serialized(() => db.query(text, values)) };
      }
      await serialized(() => runScript(text));
      return { rows: [] };
    },
    query<T>(text: string, values?: unknown[]) {
      return serialized(() => db.query<T>(text, values));
    },
  };
}

/**
 * True when `text` has a statement after its first `;`. Only pg-boss's own SQL comes here; its
 * single statements end without a semicolon, and a false "true" would only cost the rows.
 */
export function isMultiStatement(text: string): boolean {
  return /;\s*\S/.test(text);
}
