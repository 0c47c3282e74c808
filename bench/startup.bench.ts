import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchResult, freePort, median, rssMb, spawnNode, stopChild, waitFor200 } from './support.js';

const runs = 3;

/**
 * Cold start of a real `keel serve` process to `/ready`: first start on an empty data directory
 * (initdb + every migration), then restarts on the migrated one; idle RSS after settling.
 */
export async function startupBench(): Promise<BenchResult> {
  const first: number[] = [];
  const warm: number[] = [];
  const rss: number[] = [];
  const shutdown: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'keel-bench-'));
    try {
      first.push((await startOnce(dataDir)).ms);
      const again = await startOnce(dataDir, true);
      warm.push(again.ms);
      rss.push(again.rss ?? 0);
      shutdown.push(again.stopMs);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return {
    name: 'Start-up',
    method: `\`keel serve\` spawned as a child process (\`node bin/keel.mjs serve\`, which runs the dist/keel.mjs bundle) with a fresh KEEL_DATA_DIR; time from spawn until GET /ready answers 200 (polled every 10 ms). "First start" copies the empty cluster that \`keel setup\` prepared at \`npm install\` (without it PGlite runs initdb, another 3–5 s here), then applies every migration and installs the job queue; "restart" reopens the migrated directory. PGlite's WASM is compiled with V8's baseline compiler only (see enableBaselineWasmCompiler in src/kernel/db/database.ts): with TurboFan tier-up a restart measured ~2.0 s and ~230 MB here. RSS read from /proc after 2 s idle. Median of ${runs} runs.`,
    rows: [
      {
        measure: 'first start to /ready (all migrations)',
        value: `${median(first).toFixed(0)} ms`,
        target: '< 5000 ms',
        pass: median(first) < 5000,
      },
      {
        measure: 'restart to /ready (migrations applied)',
        value: `${median(warm).toFixed(0)} ms`,
        target: '< 1500 ms',
        pass: median(warm) < 1500,
      },
      {
        measure: 'idle RSS',
        value: `${median(rss).toFixed(0)} MB`,
        target: '< 200 MB',
        pass: median(rss) < 200,
      },
      { measure: 'graceful stop (SIGTERM to exit)', value: `${median(shutdown).toFixed(0)} ms` },
    ],
  };
}

async function startOnce(dataDir: string, measureRss = false) {
  const port = await freePort();
  const since = performance.now();
  const child = spawnNode(['bin/keel.mjs', 'serve', '--port', String(port)], {
    KEEL_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  try {
    const ms = await waitFor200(`http://127.0.0.1:${port}/ready`, since);
    let rss: number | undefined;
    if (measureRss && child.pid) {
      await new Promise((r) => setTimeout(r, 2_000));
      rss = rssMb(child.pid);
    }
    const stopMs = await stopChild(child);
    return { ms, rss, stopMs };
  } catch (error) {
    await stopChild(child, 'SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
}
