import type { Database, SqlConnection } from './database.js';

/**
 * Every PostgreSQL advisory lock Keel takes, in one place so that no two uses share a key
 * ('keel' in ASCII, then a number per use).
 */
export const advisoryLockKeys = {
  migrations: 0x6b65656c01n,
  scheduler: 0x6b65656c02n,
  jobsInstall: 0x6b65656c03n,
} as const;

/**
 * Runs `fn` holding a session-level advisory lock on one dedicated connection; other processes
 * asking for the same key wait until it is released.
 */
export async function withAdvisoryLock<T>(
  db: Database,
  key: bigint,
  fn: (conn: SqlConnection) => Promise<T>,
): Promise<T> {
  return db.withConnection(async (conn) => {
    await conn.query('select pg_advisory_lock($1)', [key.toString()]);
    try {
      return await fn(conn);
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [key.toString()]);
    }
  });
}
