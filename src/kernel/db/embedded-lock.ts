import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * PGlite is a database inside one process: two processes opening the same data directory would
 * corrupt it. A pid file beside the directory lets the second one fail with a clear message.
 */
export class EmbeddedDatabaseBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database ${dataDir} is open in another Keel process (pid ${pid}); stop it first, or point DATABASE_URL at a PostgreSQL server to run several processes`,
    );
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

export function lockPathOf(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}.lock`;
}

/** The pid holding `dataDir`, or null when it is free (a lock left by a dead process is free). */
export function embeddedLockHolder(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lockPathOf(dataDir), 'utf8'), 10);
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else — still alive, still holding it.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/** Takes the lock or throws EmbeddedDatabaseBusyError; returns the release function. */
export function acquireEmbeddedLock(dataDir: string): () => void {
  const path = lockPathOf(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = embeddedLockHolder(dataDir);
      if (holder !== null) throw new EmbeddedDatabaseBusyError(dataDir, holder);
      // Stale lock from a process that died: remove it and try once more.
      try {
        unlinkSync(path);
      } catch {
        // Another process removed it first; the retry decides.
      }
    }
  }
  throw new Error(`could not lock the embedded database ${dataDir}`);
}
