#!/usr/bin/env node
// The `keel` executable: runs the bundle of Keel's sources, rebuilding it first when stale.
// (Stack traces point into dist/keel.mjs; run with `node --enable-source-maps` to map them to src/.)
import { pathToFileURL } from 'node:url';
import { ensureBundle } from './bundle.mjs';

await import(pathToFileURL(await ensureBundle()).href);
