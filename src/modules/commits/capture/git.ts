import { type ChildProcessByStdio, execFile, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { CaptureError } from './capture.errors.js';

/**
 * Runs git without a shell (argument arrays only), with a sanitized environment, a time limit
 * and an output cap. Every command carries the same `-c` settings so a user's configuration
 * (quoted paths, no prefixes, external diff drivers, colour) cannot change what Keel reads.
 */

export interface GitRunOptions {
  cwd: string;
  timeoutMs: number;
  /** Output above this kills the command (execFile's maxBuffer). */
  maxBytes?: number;
  keepGitEnv?: readonly string[];
  /** Exit codes that are not failures (`git diff --no-index` exits 1 when files differ). */
  okCodes?: readonly number[];
}

const CONFIG = [
  '-c',
  'core.quotePath=off',
  '-c',
  'color.ui=never',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'core.fsmonitor=false',
];

/** The process environment without `GIT_*` (which could point git at another repository or index). */
export function gitEnv(keep: readonly string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('GIT_') && !keep.includes(key)) continue;
    env[key] = value;
  }
  // Never prompt for credentials, never take optional locks (Keel only reads), stable messages.
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  return env;
}

/** Maps a failed git run to a CaptureError with a message a developer can act on. */
export function gitFailure(args: readonly string[], error: unknown, stderr: string): CaptureError {
  const e = error as { code?: unknown; killed?: boolean; signal?: unknown };
  if (e.code === 'ENOENT') return new CaptureError('git_missing', 'git is not installed (or not on PATH).');
  if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
    return new CaptureError('git_failed', `git ${args[0]} printed more output than Keel reads.`, {
      cause: error,
    });
  if (e.killed && e.signal === 'SIGTERM')
    return new CaptureError('timeout', `git ${args[0]} took too long and was stopped.`, { cause: error });
  if (/not a git repository/i.test(stderr))
    return new CaptureError('not_a_repo', 'This directory is not inside a git repository.', { cause: error });
  if (/dubious ownership/i.test(stderr))
    return new CaptureError(
      'unsafe_repository',
      'git refuses this repository because another user owns it (see `git config --global --add safe.directory`).',
      { cause: error },
    );
  const first = stderr.split('\n').find((line) => line.trim() !== '') ?? String(error);
  return new CaptureError('git_failed', `git ${args[0]} failed: ${first.replace(/^(fatal|error): /, '')}`, {
    cause: error,
  });
}

/** Runs `git <args>` and returns its stdout as bytes. */
export function runGit(args: readonly string[], options: GitRunOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...CONFIG, ...args],
      {
        cwd: options.cwd,
        env: gitEnv(options.keepGitEnv),
        encoding: 'buffer',
        timeout: options.timeoutMs,
        maxBuffer: options.maxBytes ?? 64 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (error && !(typeof code === 'number' && options.okCodes?.includes(code))) {
          reject(gitFailure(args, error, stderr.toString('utf8')));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** `runGit` decoded as UTF-8 with the trailing newline removed. */
export async function gitText(args: readonly string[], options: GitRunOptions): Promise<string> {
  return (await runGit(args, options)).toString('utf8').replace(/\n$/, '');
}

export type GitChild = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * Starts `git <args>` for streaming (its output may be larger than Keel keeps). The caller reads
 * stdout; `done` settles when git exits, with a CaptureError when it failed or ran too long.
 * `stop()` ends it early (a deliberate stop is not a failure).
 */
export function spawnGit(
  args: readonly string[],
  options: GitRunOptions,
): { child: GitChild; done: Promise<void>; stop: () => void } {
  const child = spawn('git', [...CONFIG, ...args], {
    cwd: options.cwd,
    env: gitEnv(options.keepGitEnv),
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  let stopped = false;
  let timedOut = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 64 * 1024) stderr += text;
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
  }, options.timeoutMs);
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(gitFailure(args, error, stderr));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(gitFailure(args, { killed: true, signal: 'SIGTERM' }, stderr));
      else if (stopped || code === 0 || (code !== null && options.okCodes?.includes(code))) resolve();
      else reject(gitFailure(args, new Error(`git exited with ${code ?? signal}`), stderr));
    });
  });
  // A stream error after a deliberate stop (EPIPE) is expected; `done` reports real failures.
  child.stdin.on('error', () => {});
  return {
    child,
    done,
    stop: () => {
      stopped = true;
      child.kill('SIGTERM');
    },
  };
}

/** Runs git with `input` on stdin and returns stdout (stopping git past `maxBytes`). */
export async function gitWithInput(
  args: readonly string[],
  input: string,
  options: GitRunOptions,
): Promise<Buffer> {
  const run = spawnGit(args, options);
  const chunks: Buffer[] = [];
  let size = 0;
  const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
  run.child.stdout.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > max) run.stop();
    else chunks.push(chunk);
  });
  run.child.stdin.end(input);
  await run.done;
  return Buffer.concat(chunks);
}
