import { lstat, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureError } from './capture.errors.js';
import type { CaptureOptions, Change, ChangeSource, SkippedFile } from './capture.types.js';
import {
  formatBytes,
  type Limits,
  MiB,
  type Pending,
  readContents,
  readWorkTreeFile,
  toChangedFile,
} from './changed-file.js';
import { collectFromText } from './collect-text.js';
import { type GitRunOptions, gitText, gitWithInput, runGit, spawnGit } from './git.js';
import { type IgnoreMatcher, ignoreFor } from './ignore.js';
import { piecePath } from './patch-header.js';
import { type PatchPiece, PatchSplitter } from './patch-split.js';
import { GITLINK_MODE, parseRawDiff, type RawEntry, SYMLINK_MODE } from './raw-diff.js';
import { readRepoState } from './repo-state.js';

/**
 * Captures what changed in a repository — the working tree, the index, a commit range, or a
 * diff given as text — as files with their hunks and, where they can be parsed, their full old
 * and new contents. Robust by construction: git runs without a shell, with a clean environment
 * and time limits; the diff streams through per-file and total byte caps (files past them are
 * listed in `skipped`, and `truncated` is set); bytes that are not UTF-8 are read as Latin-1.
 */

/** Options common to `git diff` runs: renames and copies, no drivers that rewrite the output. */
const DIFF_OPTIONS = ['-M', '-C', '--no-ext-diff', '--no-textconv', '--no-relative'];

export async function collectChange(
  repoDir: string,
  source: ChangeSource,
  options: CaptureOptions = {},
): Promise<Change> {
  const limits: Limits = {
    maxFileDiffBytes: options.maxFileDiffBytes ?? MiB,
    maxTotalDiffBytes: options.maxTotalDiffBytes ?? 8 * MiB,
    maxFileTextBytes: options.maxFileTextBytes ?? MiB,
    maxTotalTextBytes: options.maxTotalTextBytes ?? 32 * MiB,
    maxFiles: options.maxFiles ?? 3000,
  };
  const git = { timeoutMs: options.timeoutMs ?? 20_000, keepGitEnv: options.keepGitEnv ?? [] };
  if (source.kind === 'diff-text') return collectFromText(repoDir, source.text, options, limits, git);

  const state = await readRepoState(repoDir, git);
  const { repo } = state;
  if ((source.kind === 'working-tree' || source.kind === 'staged') && state.inProgress)
    throw state.inProgress;
  const run: GitRunOptions = { ...git, cwd: repo.root };
  const base = repo.head ?? (await emptyTree(run));
  const range =
    source.kind === 'working-tree'
      ? [base]
      : source.kind === 'staged'
        ? ['--cached', base]
        : [await resolveCommit(source.from, run), await resolveCommit(source.to, run)];

  const raw = parseRawDiff(
    (await runGit(['diff', '--raw', '-z', '--no-abbrev', ...DIFF_OPTIONS, ...range, '--'], run)).toString(
      'utf8',
    ),
  );
  const conflicted = raw.filter((e) => e.unmerged).map((e) => e.path);
  if (conflicted.length > 0)
    throw new CaptureError(
      'conflicts',
      `Resolve the conflicts in ${conflicted.slice(0, 3).join(', ')}${conflicted.length > 3 ? ` and ${conflicted.length - 3} more` : ''} first.`,
    );
  const untracked =
    source.kind === 'working-tree' && options.untracked !== false
      ? (await runGit(['ls-files', '--others', '--exclude-standard', '-z'], run))
          .toString('utf8')
          .split('\0')
          .filter(Boolean)
      : [];
  if (raw.length === 0 && untracked.length === 0) throw new CaptureError('empty', emptyMessage(source));

  const ignore = await ignoreFor(repo.root, options);
  const generated = await linguistGenerated([...raw.map((e) => e.path), ...untracked], run);
  const skipped: SkippedFile[] = [];
  let truncated = false;
  const pending = new Map<string, Pending>();
  const skip = (entry: RawEntry, reason: string) =>
    skipped.push({ path: entry.path, reason, status: entry.status, oldPath: entry.oldPath });

  for (const entry of raw) {
    const reason = ignoredReason(entry.path, ignore, generated);
    if (reason) skip(entry, reason);
    else if (pending.size >= limits.maxFiles) {
      skip(entry, `file cap: more than ${limits.maxFiles} changed files`);
      truncated = true;
    } else pending.set(entry.path, { entry, pieces: [], pieceBinary: false });
  }

  // The patch, streamed: pieces of ignored files are dropped, caps applied as bytes arrive.
  if (pending.size > 0) {
    const outcome = await streamPatch(range, run, limits, pending);
    for (const [path, reason] of outcome.skipped) {
      const item = pending.get(path);
      if (!item) continue;
      pending.delete(path);
      skip(item.entry, reason);
      truncated = true;
    }
  }

  // A path deleted from the index and present again as an untracked file: one modification.
  const reAdded: Pending[] = [];
  for (const path of untracked) {
    const entry: RawEntry = {
      oldMode: '000000',
      newMode: '100644',
      oldSha: '0',
      newSha: '0',
      status: 'added',
      oldPath: null,
      path,
      unmerged: false,
    };
    const reason = path.endsWith('/')
      ? 'untracked nested repository'
      : ignoredReason(path, ignore, generated);
    if (reason) {
      skip(entry, reason);
      continue;
    }
    if (pending.size >= limits.maxFiles) {
      skip(entry, `file cap: more than ${limits.maxFiles} changed files`);
      truncated = true;
      continue;
    }
    const deleted = pending.get(path);
    if (deleted?.entry.status === 'deleted') reAdded.push(deleted);
    else pending.set(path, { entry, pieces: [], pieceBinary: false, untracked: true });
  }

  await readContents([...pending.values()], run, limits, source.kind === 'working-tree' ? repo.root : null);
  for (const item of pending.values()) {
    if (!item.untracked) continue;
    // An untracked file: Keel writes its diff (every line added).
    const reason = await readUntracked(item, repo.root, limits);
    if (reason) {
      pending.delete(item.entry.path);
      skip(item.entry, reason);
      truncated ||= reason.startsWith('too large');
    }
  }
  for (const item of reAdded) {
    const reason = await rediffReAdded(item, repo.root, run, limits);
    if (reason) {
      pending.delete(item.entry.path);
      skip(item.entry, reason);
    }
  }

  const files = [...pending.values()].map(toChangedFile);
  return { repo, source: source.kind, files, truncated, skipped };
}

function emptyMessage(source: ChangeSource): string {
  if (source.kind === 'staged') return 'Nothing is staged: `git add` the changes to commit first.';
  if (source.kind === 'range') return `There is no change between ${source.from} and ${source.to}.`;
  return 'There is nothing to capture: the working tree matches HEAD.';
}

async function emptyTree(run: GitRunOptions): Promise<string> {
  return (await gitWithInput(['hash-object', '-t', 'tree', '--stdin'], '', run)).toString('utf8').trim();
}

async function resolveCommit(rev: string, run: GitRunOptions): Promise<string> {
  // A revision starting with '-' would be read as an option.
  if (rev === '' || rev.startsWith('-') || /[\0\n]/.test(rev))
    throw new CaptureError('bad_revision', `'${rev}' is not a revision.`);
  const sha = await gitText(['rev-parse', '-q', '--verify', '--end-of-options', `${rev}^{commit}`], {
    ...run,
    okCodes: [1],
  }).catch(() => '');
  if (!sha) throw new CaptureError('bad_revision', `'${rev}' is not a commit in this repository.`);
  return sha;
}

/** Paths `.gitattributes` marks `linguist-generated` or `linguist-vendored` (GitHub's markers). */
async function linguistGenerated(paths: string[], run: GitRunOptions): Promise<Map<string, string>> {
  const marked = new Map<string, string>();
  if (paths.length === 0) return marked;
  const out = await gitWithInput(
    ['check-attr', '-z', '--stdin', 'linguist-generated', 'linguist-vendored'],
    `${paths.join('\0')}\0`,
    run,
  ).catch(() => Buffer.alloc(0));
  const fields = out.toString('utf8').split('\0');
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const value = fields[i + 2];
    if (value === 'set' || value === 'true') marked.set(fields[i] as string, fields[i + 1] as string);
  }
  return marked;
}

function ignoredReason(path: string, ignore: IgnoreMatcher, generated: Map<string, string>): string | null {
  const pattern = ignore.match(path.replace(/\/$/, ''));
  if (pattern) return `ignored: ${pattern}`;
  const attribute = generated.get(path);
  return attribute ? `ignored: ${attribute} (.gitattributes)` : null;
}

/** Reads `git diff -p` through the splitter; returns the files that caps left out. */
async function streamPatch(
  range: string[],
  run: GitRunOptions,
  limits: Limits,
  pending: Map<string, Pending>,
): Promise<{ skipped: Map<string, string> }> {
  const skipped = new Map<string, string>();
  let total = 0;
  let full = false;
  const git = spawnGit(
    [
      'diff',
      '-p',
      '--no-color',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      '--submodule=short',
      ...DIFF_OPTIONS,
      ...range,
      '--',
    ],
    run,
  );
  const onPiece = (piece: PatchPiece) => {
    const path = piecePath(piece.header);
    const item = path === null ? undefined : pending.get(path);
    if (!item || path === null || full) return; // an ignored file (or one Keel cannot place), or past the cap
    if (piece.bytes === null) {
      skipped.set(
        path,
        `too large: a diff of ${formatBytes(piece.size)} (the cap is ${formatBytes(limits.maxFileDiffBytes)} per file)`,
      );
      return;
    }
    if (total + piece.size > limits.maxTotalDiffBytes) {
      full = true;
      git.stop();
      return;
    }
    total += piece.size;
    item.pieces.push(piece.bytes);
    if (/^(?:Binary files |GIT binary patch)/m.test(piece.header.toString('latin1'))) item.pieceBinary = true;
  };
  const splitter = new PatchSplitter(limits.maxFileDiffBytes, onPiece);
  git.child.stdout.on('data', (chunk: Buffer) => {
    if (!full) splitter.push(chunk);
  });
  // 'close' (which settles `done`) comes after the last 'data' event.
  await git.done;
  if (!full) splitter.end();
  if (full)
    for (const [path, item] of pending)
      if (item.pieces.length === 0 && !skipped.has(path) && item.entry.newMode !== GITLINK_MODE)
        skipped.set(
          path,
          `not read: the change passed the total diff cap of ${formatBytes(limits.maxTotalDiffBytes)}`,
        );
  return { skipped };
}

/** An untracked file becomes an addition: every line added. Returns why it was skipped, if it was. */
async function readUntracked(item: Pending, root: string, limits: Limits): Promise<string | null> {
  const path = join(root, item.entry.path);
  const stat = await lstat(path).catch(() => null);
  if (!stat) return 'vanished while being read';
  if (stat.isDirectory()) return 'untracked nested repository';
  if (stat.isSymbolicLink()) item.entry.newMode = SYMLINK_MODE;
  else if (stat.size > limits.maxFileDiffBytes)
    return `too large: ${formatBytes(stat.size)} (the cap is ${formatBytes(limits.maxFileDiffBytes)} per file)`;
  const read = await readWorkTreeFile(path, limits.maxFileDiffBytes);
  item.newSize = read.size;
  item.newBytes = read.bytes ?? Buffer.alloc(0);
  return null;
}

/**
 * A file deleted from the index and created again (untracked): git lists a deletion; the change
 * the developer sees is a modification, so Keel diffs the old blob against the new file.
 */
async function rediffReAdded(
  item: Pending,
  root: string,
  run: GitRunOptions,
  limits: Limits,
): Promise<string | null> {
  const path = join(root, item.entry.path);
  const read = await readWorkTreeFile(path, limits.maxFileDiffBytes);
  if (!read.bytes)
    return `too large: ${formatBytes(read.size)} (the cap is ${formatBytes(limits.maxFileDiffBytes)} per file)`;
  const dir = await mkdtemp(join(tmpdir(), 'keel-capture-'));
  try {
    const old = join(dir, 'old');
    await writeFile(old, item.oldBytes ?? Buffer.alloc(0));
    const patch = await runGit(
      ['diff', '--no-index', '--no-color', '--no-ext-diff', '--no-textconv', '--', old, path],
      {
        ...run,
        okCodes: [1],
        maxBytes: limits.maxFileDiffBytes * 2,
      },
    );
    item.pieces = patch.length > 0 ? [patch] : [];
    item.pieceBinary = /^(?:Binary files |GIT binary patch)/m.test(patch.toString('latin1'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  item.newBytes = read.bytes;
  item.newSize = read.size;
  item.entry = { ...item.entry, status: 'modified', newSha: '0', newMode: '100644' };
  return null;
}
