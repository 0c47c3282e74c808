import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedDatabaseBusyError, embeddedLockHolder, openPglite, pgliteTemplatePath } from './index.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-embedded-'));
  dirs.push(dir);
  return join(dir, 'data');
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('embedded database', () => {
  it('starts a new data directory from the prepared cluster and keeps data across reopen', async () => {
    expect(existsSync(pgliteTemplatePath())).toBe(true);
    const dir = dataDir();
    const first = await openPglite(dir);
    await first.exec('create table notes (body text); insert into notes values ($$kept$$)');
    await first.close();
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    const again = await openPglite(dir);
    expect(await again.query('select body from notes')).toEqual([{ body: 'kept' }]);
    expect(await again.query('show shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    await again.close();
  });

  it('refuses a second opener of the same directory while the first holds it, and frees it on close', async () => {
    const dir = dataDir();
    const owner = await openPglite(dir);
    try {
      expect(embeddedLockHolder(dir)).toBe(null); // held by this very process
      writeFileSync(`${dir}.lock`, String(process.ppid)); // a live process that is not us
      await expect(openPglite(dir)).rejects.toThrow(EmbeddedDatabaseBusyError);
      await expect(openPglite(dir)).rejects.toThrow(/is open in another Keel process \(pid \d+\)/);
    } finally {
      writeFileSync(`${dir}.lock`, String(process.pid));
      await owner.close();
    }
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = dataDir();
    writeFileSync(`${dir}.lock`, '999999999');
    const db = await openPglite(dir);
    expect(await db.query('select 1 as one')).toEqual([{ one: 1 }]);
    await db.close();
  });

  it('lets timers and sockets run while a loop of statements keeps it busy', async () => {
    // PGlite settles each statement at once: without yielding, an awaited loop of statements
    // never lets the event loop turn, and a 20 ms timer would wait for the whole loop.
    const db = await openPglite(null);
    try {
      await db.exec('create table ticks (n int)');
      let fired = false;
      const timer = setTimeout(() => {
        fired = true;
      }, 20);
      const writers = Array.from({ length: 4 }, async () => {
        const started = performance.now();
        while (!fired && performance.now() - started < 10_000) {
          await db.transaction(async (tx) => {
            await tx.query('insert into ticks values (1)');
          });
          await db.query('select count(*) from ticks');
        }
      });
      await Promise.all(writers);
      clearTimeout(timer);
      expect(fired).toBe(true);
    } finally {
      await db.close();
    }
  });
});
