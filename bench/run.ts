import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureBundle } from '../bin/bundle.mjs';
import { authBench } from './auth.bench.js';
import { cacheBench } from './cache.bench.js';
import { commitsBench } from './commits.bench.js';
import { embedBench } from './embed.bench.js';
import { failoverBench } from './failover.bench.js';
import { httpBench } from './http.bench.js';
import { ingestBench } from './ingest.bench.js';
import { llmBench } from './llm.bench.js';
import { notifyBench } from './notify.bench.js';
import { scopingBench } from './scoping.bench.js';
import { searchBench } from './search.bench.js';
import { startupBench } from './startup.bench.js';
import { type BenchResult, machine } from './support.js';
import { webBench } from './web.bench.js';

/** `npm run bench`: runs every benchmark, prints a table, rewrites docs/benchmarks.md. */
const benches: Array<() => Promise<BenchResult>> = [
  startupBench,
  httpBench,
  authBench,
  llmBench,
  embedBench,
  cacheBench,
  failoverBench,
  notifyBench,
  ingestBench,
  searchBench,
  scopingBench,
  commitsBench,
  webBench,
];
const only = process.argv.slice(2);

// Processes under test run the bundle; build it now so no measurement includes a rebuild.
await ensureBundle();
const results: BenchResult[] = [];
for (const bench of benches) {
  if (only.length > 0 && !only.some((o) => bench.name.toLowerCase().includes(o))) continue;
  process.stderr.write(`running ${bench.name}…\n`);
  const result = await bench();
  results.push(result);
  if (result.rows.length === 0) process.stdout.write(`${result.name.padEnd(14)} ${result.method}\n`);
  for (const row of result.rows) {
    const verdict = row.pass === undefined ? '' : row.pass ? '  ok' : '  MISSED';
    process.stdout.write(
      `${result.name.padEnd(14)} ${row.measure.padEnd(42)} ${row.value.padEnd(30)} ${row.target ?? ''}${verdict}\n`,
    );
  }
}

// A full run rewrites docs/benchmarks.md; a filtered run (`npm run bench -- notify`) replaces only
// the sections of the benches it ran, keeping the others as the last run measured them.
const file = new URL('../docs/benchmarks.md', import.meta.url);
const sectionOf = (r: BenchResult) =>
  `## ${r.name}\n\n${r.method}\n\n| measure | value | target | |\n|---|---|---|---|\n${r.rows
    .map(
      (row) =>
        `| ${row.measure} | ${row.value} | ${row.target ?? ''} | ${row.pass === undefined ? '' : row.pass ? 'met' : '**missed**'} |`,
    )
    .join('\n')}\n`;
const previous = only.length > 0 && existsSync(file) ? readFileSync(file, 'utf8') : '';
const kept = new Map<string, string>();
for (const part of previous.split(/^(?=## )/m).slice(1))
  kept.set(part.slice(3, part.indexOf('\n')), part.trimEnd());
for (const result of results) kept.set(result.name, sectionOf(result).trimEnd());
const order = [...results.map((r) => r.name), ...kept.keys()];
const sections = [...new Set(only.length > 0 ? [...kept.keys()] : order)].map(
  (name) => kept.get(name) as string,
);
const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  file,
  `# Benchmarks\n\nWritten by \`npm run bench\` (bench/run.ts) — do not edit by hand.\n\n- date: ${date}${only.length > 0 ? ` (sections ${results.map((r) => r.name).join(', ')}; the others from an earlier run)` : ''}\n- machine: ${machine()}\n- note: the machine is shared; compare ratios measured in the same run, not absolute figures across runs.\n\n${sections.join('\n\n')}\n`,
);
process.stdout.write('\nwrote docs/benchmarks.md\n');
