import { resolve } from 'node:path';
import { parseDiff } from '../../../shared/llm/index.js';
import { CaptureError } from './capture.errors.js';
import type { CaptureOptions, Change, RepoInfo, SkippedFile } from './capture.types.js';
import { formatBytes, type Limits, type Pending, readContents, toChangedFile } from './changed-file.js';
import { ignoreFor } from './ignore.js';
import { entryFromHeader } from './patch-header.js';
import { PatchSplitter } from './patch-split.js';
import type { RawEntry } from './raw-diff.js';
import { readRepoState } from './repo-state.js';

/** A diff given as text: read as git's patch when it is one, enriched from the repository if any. */
export async function collectFromText(
  repoDir: string,
  text: string,
  options: CaptureOptions,
  limits: Limits,
  git: { timeoutMs: number; keepGitEnv: string[] },
): Promise<Change> {
  let repo: RepoInfo = { root: resolve(repoDir), head: null, branch: null, detached: false };
  let inRepo = false;
  try {
    repo = (await readRepoState(repoDir, git)).repo;
    inRepo = true;
  } catch (error) {
    // A diff on stdin needs no repository; one only adds the files' full contents.
    if (!(error instanceof CaptureError)) throw error;
  }
  const ignore = await ignoreFor(repo.root, {
    ...options,
    keelignore: inRepo && options.keelignore !== false,
  });
  const skipped: SkippedFile[] = [];
  const items: Pending[] = [];
  let truncated = false;
  let total = 0;
  const add = (entry: RawEntry, item: Omit<Pending, 'entry'>, size: number, oversized: boolean) => {
    const reason = ignore.match(entry.path);
    const skip = (why: string) =>
      skipped.push({ path: entry.path, reason: why, status: entry.status, oldPath: entry.oldPath });
    if (reason) return skip(`ignored: ${reason}`);
    if (oversized) {
      truncated = true;
      return skip(`too large: the diff passed the cap of ${formatBytes(limits.maxFileDiffBytes)} per file`);
    }
    if (total + size > limits.maxTotalDiffBytes || items.length >= limits.maxFiles) {
      truncated = true;
      return skip(
        `not read: the change passed the total diff cap of ${formatBytes(limits.maxTotalDiffBytes)}`,
      );
    }
    total += size;
    items.push({ entry, ...item });
  };
  if (/^diff --git /m.test(text)) {
    // Git's patch: one piece per file, each with its `index` line naming the blobs.
    new PatchSplitter(limits.maxFileDiffBytes, (piece) => {
      const header = piece.header.toString('utf8');
      const diff = parseDiff(header)[0];
      if (!diff) return;
      add(
        entryFromHeader(header, diff),
        { pieces: piece.bytes ? [piece.bytes] : [], pieceBinary: diff.binary, fromText: true },
        piece.size,
        piece.bytes === null,
      );
    }).pushAll(Buffer.from(text, 'utf8'));
  } else {
    // A plain `diff -u`: no headers to split at, no blob ids.
    for (const diff of parseDiff(text)) {
      const size = diff.hunks.reduce((n, h) => n + h.lines.reduce((m, l) => m + l.text.length + 2, 0), 0);
      add(
        entryFromHeader('', diff),
        { pieces: [], pieceBinary: diff.binary, parsed: diff, fromText: true },
        size,
        size > limits.maxFileDiffBytes,
      );
    }
  }
  if (items.length === 0 && skipped.length === 0) throw new CaptureError('empty', 'The diff is empty.');
  if (inRepo) await readContents(items, { ...git, cwd: repo.root }, limits, null).catch(() => undefined);
  return { repo, source: 'diff-text', files: items.map(toChangedFile), truncated, skipped };
}
