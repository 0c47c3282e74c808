import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { gitText } from '../capture/git.js';

/** The hooks Keel installs, and what each does. */
export const HOOKS = ['prepare-commit-msg', 'commit-msg', 'post-commit'] as const;
export type HookName = (typeof HOOKS)[number];

const MARK = '# keel-hook v1';
/** Where a hook that was there before Keel is kept; Keel's hook runs it first. */
const chainedName = (hook: HookName) => `${hook}.pre-keel`;

export interface HookStatus {
  hook: HookName;
  path: string;
  installed: boolean;
  /** A hook that was there before (husky, another tool) and that Keel's hook runs first. */
  chained: boolean;
}

/** The directory git runs hooks from: `core.hooksPath` (husky sets it) or `.git/hooks`. */
export async function hooksDir(repoDir: string): Promise<string> {
  const git = { cwd: repoDir, timeoutMs: 10_000, keepGitEnv: [] };
  const root = (await gitText(['rev-parse', '--show-toplevel'], git)).trim();
  const dir = (await gitText(['rev-parse', '--git-path', 'hooks'], { ...git, cwd: root })).trim();
  return isAbsolute(dir) ? dir : join(root, dir);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function isKeels(path: string): Promise<boolean> {
  try {
    return (await readFile(path, 'utf8')).includes(MARK);
  } catch {
    return false;
  }
}

/**
 * The hook script: runs the hook that was there before (if any) with the same arguments, stops
 * if it failed, then Keel's part. `keel` is called by absolute path (hooks run without the user's
 * shell setup). Keel's prepare-commit-msg and post-commit never fail a commit; commit-msg fails it
 * only for a `block` rule.
 */
function script(hook: HookName, keel: { node: string; bin: string }): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/bin/sh',
    `${MARK} — installed by \`keel hook install\`; \`keel hook uninstall\` restores what was here.`,
    `chained="$(dirname "$0")/${chainedName(hook)}"`,
    'if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi',
    `exec ${q(keel.node)} ${q(keel.bin)} hook run ${hook} "$@"`,
    '',
  ].join('\n');
}

/** Installs Keel's hooks; a hook already there is kept and chained, never overwritten. Idempotent. */
export async function installHooks(
  repoDir: string,
  keel: { node: string; bin: string },
): Promise<HookStatus[]> {
  const dir = await hooksDir(repoDir);
  await mkdir(dir, { recursive: true });
  const out: HookStatus[] = [];
  for (const hook of HOOKS) {
    const path = join(dir, hook);
    const chained = join(dir, chainedName(hook));
    if ((await exists(path)) && !(await isKeels(path))) {
      if (await exists(chained)) {
        throw new Error(
          `${path} is not Keel's and ${chainedName(hook)} already exists beside it: move one of them away first`,
        );
      }
      await rename(path, chained);
    }
    await writeFile(path, script(hook, keel), { mode: 0o755 });
    await chmod(path, 0o755);
    out.push({ hook, path, installed: true, chained: await exists(chained) });
  }
  return out;
}

/** Removes Keel's hooks and puts back the ones they chained. */
export async function uninstallHooks(repoDir: string): Promise<HookStatus[]> {
  const dir = await hooksDir(repoDir);
  const out: HookStatus[] = [];
  for (const hook of HOOKS) {
    const path = join(dir, hook);
    const chained = join(dir, chainedName(hook));
    if (await isKeels(path)) {
      await rm(path);
      if (await exists(chained)) await rename(chained, path);
    }
    out.push({ hook, path, installed: false, chained: false });
  }
  return out;
}

export async function hookStatus(repoDir: string): Promise<HookStatus[]> {
  const dir = await hooksDir(repoDir);
  const out: HookStatus[] = [];
  for (const hook of HOOKS) {
    const path = join(dir, hook);
    out.push({
      hook,
      path,
      installed: await isKeels(path),
      chained: await exists(join(dir, chainedName(hook))),
    });
  }
  return out;
}
