import { mkdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { KeelConfig } from '../config/index.js';
import type { Log } from '../log/index.js';
import { acquireEmbeddedLock } from './embedded-lock.js';
import { isNewDataDir, pgliteStartParams, readPgliteTemplate } from './pglite-template.js';

/** The few SQL primitives the kernel needs, on either driver. */
export interface SqlConnection {
  /** One statement with `$1`-style parameters. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (simple protocol). */
  exec(sql: string): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database extends SqlConnection {
  readonly kind: 'pglite' | 'postgres';
  /** Drizzle over the same connection(s); modules use it through their repository files. */
  readonly orm: PgDatabase<PgQueryResultHKT>;
  /**
   * Runs `fn` on one dedicated connection (session-level advisory locks live there).
   * Embedded PGlite has a single connection, so this is that connection.
   */
  withConnection<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Use only
   * `tx` inside: on embedded PGlite, a query on the database itself would wait for the transaction.
   */
  transaction<T>(fn: (tx: SqlConnection) => Promise<T>): Promise<T>;
  /** A new, unpooled connection for the caller to own (leader election). Server only. */
  connectDedicated(): Promise<DedicatedConnection>;
  poolStats(): PoolStats;
  /** Embedded only: a tarball of the data directory (tests start from a prepared one). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface DedicatedConnection extends SqlConnection {
  /** Backend process id, so a stale holder can be terminated. */
  readonly backendPid: number;
  onError(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  log?: Log;
  /** A PGlite data directory dump to start from (tests reuse one prepared database). */
  loadDataDir?: Blob | File;
}

export async function openDatabase(
  database: KeelConfig['database'],
  options: OpenOptions = {},
): Promise<Database> {
  return database.kind === 'embedded'
    ? openPglite(database.dataDir, options)
    : openPostgres(database.url, database.poolMax, options.log);
}

/** How long a chain of PGlite statements may keep the event loop from turning. */
const PGLITE_TURN_MS = 10;

/**
 * PGlite runs a statement synchronously in WebAssembly and settles its promise at once, so a
 * loop of awaited statements is one unbroken chain of microtasks: timers and sockets (the HTTP
 * server, outbound requests, the dispatcher's time limits) wait until the loop ends. Measured
 * here: 16 writers in a loop held a 5 s timer back for 20 s, and notify's webhooks timed out
 * on loopback and were sent twice. After a statement, once PGLITE_TURN_MS have passed since the
 * loop last turned for us, wait for it to turn (setImmediate: timers and I/O run first).
 */
function createTurnYielder(): () => Promise<void> {
  let since = performance.now();
  let turning: Promise<void> | null = null;
  return () => {
    if (turning) return turning;
    if (performance.now() - since < PGLITE_TURN_MS) return Promise.resolve();
    turning = new Promise((resolve) =>
      setImmediate(() => {
        since = performance.now();
        turning = null;
        resolve();
      }),
    );
    return turning;
  };
}

export async function openPglite(dataDir: string | null, options: OpenOptions = {}): Promise<Database> {
  enableBaselineWasmCompiler();
  const fresh = dataDir === null || isNewDataDir(dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const release = dataDir ? acquireEmbeddedLock(dataDir) : () => undefined;
  let client: PGlite;
  try {
    const loadDataDir = options.loadDataDir ?? (fresh ? readPgliteTemplate() : undefined);
    client = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      extensions: { vector, pg_trgm },
      startParams: pgliteStartParams,
    });
  } catch (error) {
    release();
    throw error;
  }
  const turn = createTurnYielder();
  const conn: SqlConnection = {
    async query<T>(text: string, params?: unknown[]) {
      const result = await client.query<T>(text, params);
      await turn();
      return result.rows;
    },
    async exec(sql: string) {
      await client.exec(sql);
      await turn();
    },
  };
  return {
    kind: 'pglite',
    orm: drizzlePglite(client) as unknown as PgDatabase<PgQueryResultHKT>,
    ...conn,
    withConnection: (fn) => fn(conn),
    transaction: (fn) =>
      client.transaction((tx) =>
        fn({
          query: async <T>(text: string, params?: unknown[]) => {
            const result = await tx.query<T>(text, params);
            await turn();
            return result.rows;
          },
          exec: async (sql: string) => {
            await tx.exec(sql);
            await turn();
          },
        }),
      ),
    async connectDedicated() {
      throw new Error(
        'embedded PGlite has a single connection; dedicated connections need a PostgreSQL server',
      );
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    dumpDataDir: () => client.dumpDataDir('none'),
    async close() {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/**
 * PGlite is PostgreSQL compiled to WASM. V8 first compiles it with its baseline compiler
 * (Liftoff), then recompiles hot functions with TurboFan in the background. On a small machine
 * that second compile competes with start-up for the CPU and holds ~60 MB more code; measured
 * here, Liftoff alone started Keel in ~1.3 s instead of ~2.1 s with ~170 MB instead of ~230 MB of
 * RSS, and ran 3 000 inserts and 3 000 point selects no slower. The flag only affects WASM
 * compiled afterwards, which in Keel is PGlite alone.
 */
function enableBaselineWasmCompiler(): void {
  setFlagsFromString('--liftoff-only');
}

export async function openPostgres(url: string, poolMax: number, log?: Log): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client's socket error (server restart) must not crash the process: the pool drops
  // that client and the next query opens a fresh one, which is how Keel recovers without restart.
  pool.on('error', (error) => log?.warn({ err: error }, 'database connection lost'));
  const query = async <T>(text: string, params?: unknown[]) => (await pool.query(text, params)).rows as T[];
  return {
    kind: 'postgres',
    orm: drizzleNodePg(pool) as unknown as PgDatabase<PgQueryResultHKT>,
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    async withConnection(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await fn(clientConnection(client));
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        // A client that failed mid-session may still hold session state (locks): discard it.
        client.release(broken);
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await fn(clientConnection(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async connectDedicated() {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      // Until the caller attaches its own listener, an 'error' event must not crash the process.
      client.on('error', (error) => log?.debug({ err: error }, 'dedicated connection error'));
      let row: { pid: number } | undefined;
      try {
        await client.connect();
        [row] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      return {
        ...clientConnection(client),
        backendPid: row?.pid ?? 0,
        onError: (listener) => client.on('error', listener),
        close: () => client.end(),
      };
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

function clientConnection(client: pg.ClientBase): SqlConnection {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}
