import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServerDatabase, hasServer } from './support/db.js';

const keelBin = join(process.cwd(), 'bin', 'keel.mjs');
const workDirs: string[] = [];

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-cli-'));
  workDirs.push(dir);
  return dir;
}

/** Runs `keel ...args` to completion in a clean environment (no inherited Keel variables). */
function keel(args: string[], env: Record<string, string> = {}, cwd = workDir()) {
  const child = spawn(process.execPath, [keelBin, ...args], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(PORT|HOST|DATABASE_URL|KEEL_|LOG_LEVEL|REDIS_URL|PUBLIC_URL)/.test(k),
    ),
  );
  return { ...base, ...env };
}

function collect(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const serverSecrets = {
  KEEL_SECRET_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  KEEL_HMAC_KEY: Buffer.alloc(32, 9).toString('base64'),
};

afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe('keel CLI', () => {
  it('stops on a bad config value with one line naming the variable and exit code 2', async () => {
    const { code, stderr } = await keel(['serve'], { PORT: 'eighty' });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'keel: configuration error: PORT: expected an integer port between 0 and 65535 (got "eighty")',
    ]);
  });

  it('refuses unknown flags and commands with exit code 2, and helps on --help', async () => {
    const flag = await keel(['serve', '--prot', '1']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/serve: Unknown option '--prot'/);
    const command = await keel(['srve']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command "srve"/);
    const role = await keel(['serve', '--role', 'boss']);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/--role must be one of api, worker, scheduler, all/);
    for (const name of ['serve', 'migrate', 'doctor', 'keys', 'version']) {
      const help = await keel([name, '--help']);
      expect(help.code, name).toBe(0);
      expect(help.stdout, name).toMatch(/^Usage: keel /m);
    }
  });

  it('doctor is green on a fresh embedded install and fails (exit 1) when Redis does not answer', async () => {
    const cwd = workDir();
    const green = await keel(['doctor', '--json'], {}, cwd);
    expect(green.code).toBe(0);
    const checks = JSON.parse(green.stdout).checks as Array<{ name: string; status: string }>;
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'node',
        'database',
        'migrations',
        'extension vector',
        'extension pg_trgm',
        'secret keys',
      ]),
    );
    const red = await keel(['doctor'], { REDIS_URL: 'redis://127.0.0.1:1' }, cwd);
    expect(red.code).toBe(1);
    expect(red.stdout).toMatch(/FAIL {2}redis/);
  });

  it('serves until SIGTERM, then stops the queue and exits 0', async () => {
    const cwd = workDir();
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const child = spawn(process.execPath, [keelBin, 'serve', '--port', port], {
      cwd,
      env: cleanEnv({ DATABASE_URL: 'memory://' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = collect(child);
    let ready = 0;
    for (let i = 0; i < 300 && ready !== 200; i++) {
      ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.headers.get('x-trace-uuid')).toMatch(/^[0-9a-f-]{36}$/);
    child.kill('SIGTERM');
    const { code, stdout } = await done;
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['job queue stopped', 'stopped']));
    for (const line of lines)
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['svc', 'lvl', 'ts', 'id', 'repo', 'trace']));
  });

  it.skipIf(!hasServer)(
    'lets two `keel migrate` processes run at once: one migrates, the other waits',
    async () => {
      const database = await createServerDatabase();
      try {
        const env = { DATABASE_URL: database.url, ...serverSecrets };
        const [a, b] = await Promise.all([keel(['migrate'], env), keel(['migrate'], env)]);
        expect([a.code, b.code]).toEqual([0, 0]);
        const outputs = [a.stdout, b.stdout].sort();
        expect(outputs[0]).toMatch(/migration\(s\) applied/);
        expect(outputs[1]).toMatch(/^database is current/m);
        expect(`${a.stdout}${b.stdout}`).toMatch(/off: vector search/);
      } finally {
        await database.drop();
      }
    },
  );
});
