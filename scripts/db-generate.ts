/**
 * `npm run db:generate -- <module> [name]`: writes the next drizzle-kit migration of one module
 * from its tables file, into that module's own migrations folder (each module has its own journal).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { allModules } from '../src/modules.js';

const [name, label = 'change'] = process.argv.slice(2);
const module = allModules.find((m) => m.name === name);
if (!module?.migrations) {
  const known = allModules.filter((m) => m.migrations).map((m) => m.name);
  console.error(`usage: npm run db:generate -- <module> [name]; modules: ${known.join(', ')}`);
  process.exit(2);
}
const dir = join(module.migrations, '..');
const tables = join(dir, `${module.name}.tables.ts`);
if (!existsSync(tables)) {
  console.error(`no tables file at ${relative(process.cwd(), tables)}`);
  process.exit(2);
}
execFileSync(
  'npx',
  [
    'drizzle-kit',
    'generate',
    '--dialect',
    'postgresql',
    '--schema',
    relative(process.cwd(), tables),
    '--out',
    relative(process.cwd(), module.migrations),
    '--name',
    label,
  ],
  { stdio: 'inherit' },
);
