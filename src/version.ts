import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './kernel/paths.js';

/** The version in package.json, read once. */
export const keelVersion: string = (
  JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;
