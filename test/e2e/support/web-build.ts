import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../src/kernel/paths.js';

const webRoot = join(projectRoot, 'web');
const indexHtml = join(webRoot, 'dist', 'index.html');
const viteBin = join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
const execFileAsync = promisify(execFile);
const lockDir = join(projectRoot, 'node_modules', '.cache', 'keel-web-build.lock');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

function isFresh(): boolean {
  if (!existsSync(indexHtml)) return false;
  const built = statSync(indexHtml).mtimeMs;
  const sources = Math.max(
    newest(join(webRoot, 'src')),
    newest(join(webRoot, 'public')),
    statSync(join(webRoot, 'index.html')).mtimeMs,
    statSync(join(webRoot, 'vite.config.ts')).mtimeMs,
  );
  return built >= sources;
}

/**
 * Builds web/dist when it is missing or older than web/src (what `npm run build:web` does), once
 * even when several test files ask at the same time (a lock directory between processes).
 */
export async function ensureWebBuild(): Promise<void> {
  if (isFresh()) return;
  mkdirSync(join(lockDir, '..'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (isFresh()) return;
      // A build that died leaves its lock behind; one older than 3 minutes is taken over.
      const lockedAt = statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > 180_000) rmSync(lockDir, { force: true, recursive: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (isFresh()) return;
    // A child process, as `npm run build:web`: inside Vitest NODE_ENV is "test", which would
    // give a development build of React.
    await execFileAsync(
      process.execPath,
      [viteBin, 'build', '--config', join(webRoot, 'vite.config.ts'), '--logLevel', 'warn'],
      {
        cwd: projectRoot,
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
  } finally {
    rmSync(lockDir, { force: true, recursive: true });
  }
}
