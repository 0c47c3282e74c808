#!/usr/bin/env node
// Builds the web app (web/ → web/dist) when it is missing or older than its sources: run by
// `npm install` (prepare) and `npm start`, so a fresh clone serves the app without a second step.
// Vite is a dev dependency: an install without dev dependencies serves a prebuilt web/dist, or says
// how to build one, instead of failing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const web = join(root, 'web');
const built = join(web, 'dist', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    time = Math.max(time, newest(join(path, entry)));
  }
  return time;
}

if (!existsSync(web)) process.exit(0);
const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
if (builtAt >= newest(web)) process.exit(0);

let vite;
try {
  vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  process.stderr.write(
    'keel: the web app is not built and Vite is not installed; run `npm install` with dev dependencies, then `npm run build:web`\n',
  );
  process.exit(0);
}
process.stderr.write('keel: building the web app (web/ → web/dist)…\n');
const result = spawnSync(
  process.execPath,
  [vite, 'build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
