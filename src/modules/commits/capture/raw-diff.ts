import type { ChangedFileStatus } from './capture.types.js';

/** One line of `git diff --raw -z`: modes, blob ids and status of a changed path. */
export interface RawEntry {
  oldMode: string;
  newMode: string;
  /** Blob (or, for a submodule, commit) ids; all zeros when git has none (a work-tree file). */
  oldSha: string;
  newSha: string;
  status: ChangedFileStatus;
  /** Path before the change (the same as `path` unless renamed or copied); null when added. */
  oldPath: string | null;
  /** Path after the change (the old path for a deletion). */
  path: string;
  /** 'U' entries: a path with unresolved conflicts. */
  unmerged: boolean;
}

export const GITLINK_MODE = '160000';
export const SYMLINK_MODE = '120000';

const STATUS: Record<string, ChangedFileStatus> = {
  A: 'added',
  D: 'deleted',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
  U: 'modified',
  X: 'modified',
};

export function isNullSha(sha: string): boolean {
  return /^0+$/.test(sha);
}

/** Reads `git diff --raw -z --no-abbrev` output (NUL-separated, paths unquoted). */
export function parseRawDiff(text: string): RawEntry[] {
  const fields = text.split('\0');
  const entries: RawEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const head = fields[i] ?? '';
    if (!head.startsWith(':')) continue;
    const [oldMode = '', newMode = '', oldSha = '', newSha = '', code = ''] = head.slice(1).split(' ');
    const letter = code.charAt(0);
    const first = fields[++i] ?? '';
    const twoPaths = letter === 'R' || letter === 'C';
    const second = twoPaths ? (fields[++i] ?? '') : first;
    const status = STATUS[letter] ?? 'modified';
    entries.push({
      oldMode,
      newMode,
      oldSha,
      newSha,
      status,
      oldPath: status === 'added' ? null : first,
      path: second,
      unmerged: letter === 'U',
    });
  }
  return entries;
}
