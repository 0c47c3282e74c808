import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CaptureError } from './capture.errors.js';
import type { RepoInfo } from './capture.types.js';
import { type GitRunOptions, gitText } from './git.js';

/** Operations that leave the work tree half-way; capturing then would draft the wrong change. */
const IN_PROGRESS = [
  { path: 'MERGE_HEAD', code: 'merge_in_progress', what: 'a merge' },
  { path: 'rebase-merge', code: 'rebase_in_progress', what: 'a rebase' },
  { path: 'rebase-apply', code: 'rebase_in_progress', what: 'a rebase (or `git am`)' },
  { path: 'CHERRY_PICK_HEAD', code: 'cherry_pick_in_progress', what: 'a cherry-pick' },
  { path: 'REVERT_HEAD', code: 'revert_in_progress', what: 'a revert' },
] as const;

export interface RepoState {
  repo: RepoInfo;
  /** The operation in progress, if any (checked before capturing uncommitted work). */
  inProgress: CaptureError | null;
}

/** Where the work tree is, what HEAD points at, and whether an operation is half-way. */
export async function readRepoState(dir: string, options: Omit<GitRunOptions, 'cwd'>): Promise<RepoState> {
  const lines = (
    await gitText(['rev-parse', '--show-toplevel', ...IN_PROGRESS.flatMap((p) => ['--git-path', p.path])], {
      ...options,
      cwd: dir,
    })
  ).split('\n');
  const root = lines[0] ?? '';
  if (!root) throw new CaptureError('not_a_repo', 'This directory is not inside a git work tree.');
  const run = { ...options, cwd: root, okCodes: [1] };
  const [head, branch] = await Promise.all([
    gitText(['rev-parse', '-q', '--verify', 'HEAD^{commit}'], run),
    gitText(['symbolic-ref', '-q', '--short', 'HEAD'], run),
  ]);
  let inProgress: CaptureError | null = null;
  for (const [i, op] of IN_PROGRESS.entries()) {
    // --git-path answers relative to the directory git ran in.
    const path = lines[i + 1];
    if (path && existsSync(resolve(dir, path))) {
      inProgress = new CaptureError(
        op.code,
        `${capitalize(op.what)} is in progress; finish or abort it first.`,
      );
      break;
    }
  }
  return {
    repo: { root, head: head || null, branch: branch || null, detached: Boolean(head) && !branch },
    inProgress,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
