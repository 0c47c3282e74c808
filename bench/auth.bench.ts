import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { type BenchResult, freePort, median, spawnNode, stopChild } from './support.js';

const durationS = 8;
const rounds = 3;
const connections = 20;

/**
 * The cost of authentication: one Keel app serves the same GET twice, public and behind an
 * action (JWT verification + RBAC check + principal + per-user rate-limit rule). Both are driven
 * alternately in the same run; the ratio is what counts.
 */
export async function authBench(): Promise<BenchResult> {
  const port = await freePort();
  const child = spawnNode(['bin/run-ts.mjs', 'bench/fixtures/auth-server.ts'], { PORT: String(port) });
  try {
    // Log lines share stdout; the token line comes once the server listens.
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const exited = once(child, 'exit').then(() => {
      throw new Error('the auth bench server exited before listening');
    });
    const tokenLine = new Promise<string>((resolve) => {
      lines.on('line', (line) => {
        if (line.startsWith('{"token"')) resolve(line);
      });
    });
    const { token } = JSON.parse(await Promise.race([tokenLine, exited])) as { token: string };
    const base = `http://127.0.0.1:${port}/bench`;
    const run = async (path: string, headers: Record<string, string>, duration: number) => {
      const result = await autocannon({ url: `${base}${path}`, connections, duration, headers });
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      return { rps: result.requests.average, p99: result.latency.p99 };
    };
    const auth = { authorization: `Bearer ${token}` };
    // Warm-up: JIT, caches (plan rule, role map) and connection set-up are not what is measured.
    await run('/open', {}, 2);
    await run('/guarded', auth, 2);
    const open: Array<{ rps: number; p99: number }> = [];
    const guarded: Array<{ rps: number; p99: number }> = [];
    for (let round = 0; round < rounds; round++) {
      open.push(await run('/open', {}, durationS));
      guarded.push(await run('/guarded', auth, durationS));
    }
    const ratios = guarded.map((g, i) => g.rps / (open[i]?.rps ?? Number.NaN));
    const ratio = median(ratios);
    const avg = (xs: Array<{ rps: number }>) => xs.reduce((s, x) => s + x.rps, 0) / xs.length;
    const worstP99 = (xs: Array<{ p99: number }>) => Math.max(...xs.map((x) => x.p99));
    return {
      name: 'Auth overhead',
      method: `One Keel app (bench/fixtures/auth-server.ts: kernel, identity, plans and a bench module over an in-memory database) serves the same small JSON at GET /bench/open (public) and GET /bench/guarded (action bench.read, Bearer access token: JWT verification, RBAC check, principal, per-user rate-limit rule). autocannon, ${connections} connections, ${durationS} s per run, ${rounds} alternating rounds after a warm-up; the ratio is the median of the per-round ratios.`,
      rows: [
        { measure: 'public GET', value: `${avg(open).toFixed(0)} req/s, p99 ${worstP99(open)} ms` },
        {
          measure: 'authenticated GET',
          value: `${avg(guarded).toFixed(0)} req/s, p99 ${worstP99(guarded)} ms`,
        },
        {
          measure: 'authenticated / public throughput',
          value: `${ratio.toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
          target: '≥ 0.80',
          pass: ratio >= 0.8,
        },
      ],
    };
  } finally {
    await stopChild(child);
  }
}
