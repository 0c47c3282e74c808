import autocannon from 'autocannon';
import { type BenchResult, freePort, median, spawnNode, stopChild, waitFor200 } from './support.js';

const durationS = 8;
const rounds = 3;
const connections = 20;

/**
 * GET /health throughput of a real Keel process against a bare Fastify hello-world, both driven
 * by autocannon from this process, alternating, in the same run: the ratio is what counts on a
 * shared machine.
 */
export async function httpBench(): Promise<BenchResult> {
  const keel: Array<{ rps: number; p99: number }> = [];
  const bare: Array<{ rps: number; p99: number }> = [];
  for (let round = 0; round < rounds; round++) {
    bare.push(await measure(['bench/fixtures/bare-fastify.mjs'], {}));
    keel.push(
      await measure(['bin/keel.mjs', 'serve'], {
        DATABASE_URL: 'memory://',
        LOG_LEVEL: 'warn',
        KEEL_DATA_DIR: '.keel/bench',
      }),
    );
  }
  // Each round's pair ran back to back, so its ratio is the least disturbed by the shared machine.
  const ratios = keel.map((k, i) => k.rps / (bare[i]?.rps ?? Number.NaN));
  const avg = (xs: Array<{ rps: number }>) => xs.reduce((s, x) => s + x.rps, 0) / xs.length;
  const worstP99 = (xs: Array<{ p99: number }>) => Math.max(...xs.map((x) => x.p99));
  const ratio = median(ratios);
  return {
    name: 'HTTP /health',
    method: `autocannon, ${connections} connections, ${durationS} s per run, 3 alternating rounds (bare, then Keel); Keel runs \`keel serve\` (in-memory database, LOG_LEVEL=warn) with all its hooks (trace ids, metrics, problem handlers); the baseline is Fastify with one route and no logging (bench/fixtures/bare-fastify.mjs). Mean requests/s over rounds; worst p99; the ratio is the median of the per-round ratios.`,
    rows: [
      { measure: 'Keel /health', value: `${avg(keel).toFixed(0)} req/s, p99 ${worstP99(keel)} ms` },
      { measure: 'bare Fastify /health', value: `${avg(bare).toFixed(0)} req/s, p99 ${worstP99(bare)} ms` },
      {
        measure: 'Keel / bare throughput (median of rounds)',
        value: `${ratio.toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
        target: '≥ 0.60',
        pass: ratio >= 0.6,
      },
    ],
  };
}

async function measure(args: string[], env: NodeJS.ProcessEnv): Promise<{ rps: number; p99: number }> {
  const port = await freePort();
  const child = spawnNode([...args, ...(args[0] === 'bin/keel.mjs' ? ['--port', String(port)] : [])], {
    ...env,
    PORT: String(port),
  });
  try {
    await waitFor200(`http://127.0.0.1:${port}/health`, performance.now());
    // Warm-up: JIT and connection set-up are not what is measured.
    await autocannon({ url: `http://127.0.0.1:${port}/health`, connections, duration: 2 });
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/health`,
      connections,
      duration: durationS,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
    return { rps: result.requests.average, p99: result.latency.p99 };
  } finally {
    await stopChild(child);
  }
}
