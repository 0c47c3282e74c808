import { writeFileSync } from 'node:fs';
import { ensureBundle } from '../bin/bundle.mjs';
import { authBench } from './auth.bench.js';
import { cacheBench } from './cache.bench.js';
import { embedBench } from './embed.bench.js';
import { failoverBench } from './failover.bench.js';
import { httpBench } from './http.bench.js';
import { llmBench } from './llm.bench.js';
import { notifyBench } from './notify.bench.js';
import { startupBench } from './startup.bench.js';
import { type BenchResult, machine } from './support.js';

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

if (only.length === 0) {
  const date = new Date().toISOString().slice(0, 10);
  const sections = results.map(
    (r) =>
      `## ${r.name}\n\n${r.method}\n\n| measure | value | target | |\n|---|---|---|---|\n${r.rows
        .map(
          (row) =>
            `| ${row.measure} | ${row.value} | ${row.target ?? ''} | ${row.pass === undefined ? '' : row.pass ? 'met' : '**missed**'} |`,
        )
        .join('\n')}\n`,
  );
  writeFileSync(
    new URL('../docs/benchmarks.md', import.meta.url),
    `# Benchmarks\n\nWritten by \`npm run bench\` (bench/run.ts) — do not edit by hand.\n\n- date: ${date}\n- machine: ${machine()}\n- note: the machine is shared; compare ratios measured in the same run, not absolute figures across runs.\n\n${sections.join('\n')}`,
  );
  process.stdout.write('\nwrote docs/benchmarks.md\n');
}
