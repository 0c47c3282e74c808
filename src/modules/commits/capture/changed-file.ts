import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type FileDiff, parseDiff } from '../../../shared/llm/index.js';
import { blobInfo, readBlobs } from './blobs.js';
import type { ChangedFile, ChangedFileStatus, FileEncoding } from './capture.types.js';
import { decode, encodingOf, looksBinary } from './decode.js';
import type { GitRunOptions } from './git.js';
import { GITLINK_MODE, isNullSha, type RawEntry, SYMLINK_MODE } from './raw-diff.js';

/**
 * A changed path on its way to a ChangedFile: its patch bytes, its old and new contents (read
 * within the caps), then one decoding with the encoding every part agrees on.
 */

export const MiB = 1024 * 1024;

export interface Limits {
  maxFileDiffBytes: number;
  maxTotalDiffBytes: number;
  maxFileTextBytes: number;
  maxTotalTextBytes: number;
  maxFiles: number;
}

/** A changed path on its way to becoming a ChangedFile. */
export interface Pending {
  entry: RawEntry;
  /** Diff bytes (two pieces for a type change: git prints a deletion and an addition). */
  pieces: Buffer[];
  pieceBinary: boolean;
  oldBytes?: Buffer;
  newBytes?: Buffer;
  /** Symlink targets and untracked files: contents already known. */
  oldSize?: number;
  newSize?: number;
  /** An untracked file: Keel writes its diff (every line added) from the contents. */
  untracked?: boolean;
  /** A diff already read (a plain `diff -u` given as text). */
  parsed?: FileDiff;
  /** The patch came as text (already Unicode): its bytes are UTF-8 whatever the files' encoding. */
  fromText?: boolean;
}

export function formatBytes(n: number): string {
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} B`;
}

/**
 * Old and new contents of text files, within the per-file and total caps: blobs through
 * `git cat-file`, and, for a work-tree change (`workTree` given), the new side from disk.
 */
export async function readContents(
  items: Pending[],
  run: GitRunOptions,
  limits: Limits,
  workTree: string | null,
): Promise<void> {
  const requests: Array<{ item: Pending; side: 'old' | 'new'; sha: string }> = [];
  for (const item of items) {
    const { entry } = item;
    if (entry.oldMode !== GITLINK_MODE && entry.oldPath !== null && !isNullSha(entry.oldSha))
      requests.push({ item, side: 'old', sha: entry.oldSha });
    // A work-tree change's new side is on disk (git may name a blob it never stored).
    if (
      workTree === null &&
      entry.newMode !== GITLINK_MODE &&
      entry.status !== 'deleted' &&
      !isNullSha(entry.newSha)
    )
      requests.push({ item, side: 'new', sha: entry.newSha });
  }
  const infos = await blobInfo(
    requests.map((r) => r.sha),
    run,
  );
  let budget = limits.maxTotalTextBytes;
  const wanted: typeof requests = [];
  for (const [i, request] of requests.entries()) {
    const info = infos[i];
    if (!info) continue;
    if (request.side === 'old') request.item.oldSize = info.size;
    else request.item.newSize = info.size;
    // Binary contents are never read: only their size is reported.
    if (request.item.pieceBinary || info.size > limits.maxFileTextBytes || info.size > budget) continue;
    budget -= info.size;
    wanted.push({ ...request, sha: info.sha });
  }
  const blobs = await readBlobs(
    wanted.map((r) => r.sha),
    run,
  );
  for (const [i, request] of wanted.entries()) {
    if (request.side === 'old') request.item.oldBytes = blobs[i];
    else request.item.newBytes = blobs[i];
  }
  // Work-tree files have no blob yet: read them from disk.
  for (const item of workTree === null ? [] : items) {
    const { entry } = item;
    if (entry.status === 'deleted' || entry.newMode === GITLINK_MODE || item.pieces.length === 0) continue;
    const read = await readWorkTreeFile(
      join(workTree as string, entry.path),
      item.pieceBinary ? 0 : Math.min(limits.maxFileTextBytes, budget),
    );
    item.newSize = read.size;
    if (read.bytes) {
      item.newBytes = read.bytes;
      budget -= read.bytes.length;
    }
  }
}

export async function readWorkTreeFile(path: string, cap: number): Promise<{ size: number; bytes?: Buffer }> {
  const stat = await lstat(path).catch(() => null);
  if (!stat) return { size: 0 };
  if (stat.isSymbolicLink()) {
    const target = await readlink(path).catch(() => '');
    return { size: Buffer.byteLength(target), bytes: Buffer.from(target) };
  }
  if (!stat.isFile() || stat.size > cap) return { size: stat.size };
  return { size: stat.size, bytes: await readFile(path).catch(() => undefined) };
}

export function emptyDiff(entry: RawEntry, status: ChangedFileStatus): FileDiff {
  return {
    oldPath: entry.oldPath,
    newPath: status === 'deleted' ? null : entry.path,
    path: entry.path,
    status: status === 'copied' || status === 'type-changed' ? 'modified' : status,
    similarity: null,
    binary: false,
    hunks: [],
    added: [],
    removed: [],
  };
}

/** Joins what was read about one path into a ChangedFile. */
export function toChangedFile(item: Pending): ChangedFile {
  const { entry } = item;
  const submodule = entry.oldMode === GITLINK_MODE || entry.newMode === GITLINK_MODE;
  const symlink = entry.oldMode === SYMLINK_MODE || entry.newMode === SYMLINK_MODE;
  const patch = item.pieces.length === 1 ? (item.pieces[0] as Buffer) : Buffer.concat(item.pieces);
  const binary =
    !submodule &&
    (item.pieceBinary ||
      (item.oldBytes !== undefined && looksBinary(item.oldBytes)) ||
      (item.newBytes !== undefined && looksBinary(item.newBytes)));
  const encoding: FileEncoding = encodingOf(
    [item.fromText ? undefined : patch, item.oldBytes, item.newBytes],
    binary,
  );
  let diff: FileDiff;
  if (item.untracked) {
    diff = emptyDiff(entry, 'added');
    const text = binary ? '' : decode(item.newBytes ?? Buffer.alloc(0), encoding);
    const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
    if (lines.length > 0)
      diff.hunks = [
        { oldStart: 0, newStart: 1, section: '', lines: lines.map((t) => ({ kind: 'add', text: t })) },
      ];
    diff.added = lines;
  } else if (item.parsed) {
    diff = item.parsed;
  } else {
    // Type changes come as two pieces (a deletion, then an addition): read them as one file.
    const parsed = parseDiff(decode(patch, item.fromText || encoding === 'binary' ? 'utf8' : encoding));
    diff = parsed[0] ?? emptyDiff(entry, entry.status);
    for (const more of parsed.slice(1)) {
      diff.hunks.push(...more.hunks);
      diff.added.push(...more.added);
      diff.removed.push(...more.removed);
    }
  }
  // Git's raw listing is the authority on paths and status (the patch header may be quoted).
  diff.path = entry.path;
  diff.oldPath = entry.oldPath;
  diff.newPath = entry.status === 'deleted' ? null : entry.path;
  diff.binary = binary;
  const file: ChangedFile = {
    path: entry.path,
    oldPath: entry.oldPath,
    status: entry.status,
    binary,
    diff,
    encoding,
    sizeBytes: (entry.status === 'deleted' ? item.oldSize : item.newSize) ?? 0,
  };
  if (submodule) {
    file.submodule = {
      oldSha: entry.oldMode === GITLINK_MODE && !isNullSha(entry.oldSha) ? entry.oldSha : null,
      newSha:
        entry.newMode === GITLINK_MODE
          ? isNullSha(entry.newSha)
            ? (/^\+Subproject commit ([0-9a-f]+)/m.exec(patch.toString('latin1'))?.[1] ?? null)
            : entry.newSha
          : null,
    };
    return file;
  }
  if (!binary && !symlink) {
    if (item.oldBytes !== undefined && entry.status !== 'added')
      file.oldText = decode(item.oldBytes, encoding);
    if (item.newBytes !== undefined && entry.status !== 'deleted')
      file.newText = decode(item.newBytes, encoding);
  }
  return file;
}
