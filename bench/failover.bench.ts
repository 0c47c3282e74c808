import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type BenchResult, median, spawnNode, stopChild } from './support.js';

const runs = 3;
const serverUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Two real `keel serve --role scheduler` processes on a PostgreSQL server; the leader is killed
 * with SIGKILL and the time until the other logs "elected scheduler leader" is measured.
 */
export async function failoverBench(): Promise<BenchResult> {
  const name = `keel_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  try {
    await admin.connect();
  } catch (error) {
    return {
      name: 'Leader failover',
      method: `skipped: no PostgreSQL server at BENCH_DATABASE_URL (${(error as Error).message})`,
      rows: [],
    };
  }
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const env = {
    DATABASE_URL: url.toString(),
    KEEL_SECRET_KEYS: `b1:${randomBytes(32).toString('base64')}`,
    KEEL_HMAC_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
  };
  const times: number[] = [];
  try {
    for (let run = 0; run < runs; run++) times.push(await failoverOnce(env));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  return {
    name: 'Leader failover',
    method: `Two \`keel serve --role scheduler\` processes on the local PostgreSQL server (a database of their own). Once one leads, it gets SIGKILL; measured from the kill to the survivor's "elected scheduler leader" log line. ${runs} runs. The integration test test/leader-failover.test.ts asserts the same bound on every CI run.`,
    rows: [
      {
        measure: 'SIGKILLed leader replaced after (median)',
        value: `${median(times).toFixed(0)} ms`,
        target: '≤ 10000 ms',
        pass: median(times) <= 10_000,
      },
      {
        measure: 'slowest run',
        value: `${Math.max(...times).toFixed(0)} ms`,
        target: '≤ 10000 ms',
        pass: Math.max(...times) <= 10_000,
      },
    ],
  };
}

async function failoverOnce(env: NodeJS.ProcessEnv): Promise<number> {
  const nodes = [
    watch(spawnNode(['bin/keel.mjs', 'serve', '--role', 'scheduler'], env)),
    watch(spawnNode(['bin/keel.mjs', 'serve', '--role', 'scheduler'], env)),
  ];
  try {
    const leader = await deadline(Promise.race(nodes.map((n) => n.elected.then(() => n))), 'a leader');
    const survivor = nodes.find((n) => n !== leader) as (typeof nodes)[number];
    await deadline(survivor.started, 'the standby to start');
    const killedAt = performance.now();
    leader.child.kill('SIGKILL');
    await deadline(survivor.elected, 'the standby to take over');
    return (survivor.electedAt ?? Number.NaN) - killedAt;
  } finally {
    for (const n of nodes) await stopChild(n.child);
  }
}

async function deadline<T>(promise: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function watch(child: ChildProcess) {
  // A crash of the process under test must be seen, not waited for.
  child.stderr?.pipe(process.stderr);
  const node = {
    child,
    electedAt: undefined as number | undefined,
    elected: undefined as unknown as Promise<void>,
    started: undefined as unknown as Promise<void>,
  };
  let buffer = '';
  let onElected: () => void = () => undefined;
  let onStarted: () => void = () => undefined;
  node.elected = new Promise((resolve) => {
    onElected = resolve;
  });
  node.started = new Promise((resolve) => {
    onStarted = resolve;
  });
  child.stdout?.on('data', (chunk) => {
    buffer += chunk;
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (line.includes('"msg":"Keel scheduler started"')) onStarted();
      if (line.includes('elected scheduler leader') && node.electedAt === undefined) {
        node.electedAt = performance.now();
        onElected();
      }
    }
  });
  return node;
}
