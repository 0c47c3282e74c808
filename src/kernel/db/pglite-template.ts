import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { projectRoot } from '../paths.js';

/**
 * A new PGlite data directory costs an initdb: 3–5 s on a small machine, most of a first start.
 * `keel setup` (run by `npm install`) makes one empty cluster ahead of time and keeps it as a
 * tarball; a new embedded database starts as a copy of it (~1 s). The tarball is tied to the
 * installed PGlite version, so an upgrade simply makes a new one.
 */
// PGlite's default 128 MB of shared buffers doubles the process's memory; an embedded database
// serves one process and small data, so 16 MB is plenty.
export const pgliteStartParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export function pgliteTemplatePath(): string {
  const pkg = join(projectRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  return join(projectRoot, 'node_modules', '.cache', 'keel', `pglite-${version}-cluster.tar.gz`);
}

/** The template, when `keel setup` has made it. */
export function readPgliteTemplate(): Blob | undefined {
  const path = pgliteTemplatePath();
  return existsSync(path) ? new Blob([readFileSync(path)]) : undefined;
}

/** Makes the template unless it exists; returns its path. */
export async function ensurePgliteTemplate(): Promise<string> {
  const path = pgliteTemplatePath();
  if (existsSync(path)) return path;
  const cluster = await PGlite.create({ startParams: pgliteStartParams });
  try {
    const dump = await cluster.dumpDataDir('gzip');
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
    renameSync(temp, path);
  } finally {
    await cluster.close();
  }
  return path;
}

/** True when `dataDir` holds no cluster yet (PGlite would run initdb). */
export function isNewDataDir(dataDir: string): boolean {
  return (
    !existsSync(join(dataDir, 'PG_VERSION')) && (!existsSync(dataDir) || readdirSync(dataDir).length === 0)
  );
}
