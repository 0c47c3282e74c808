import type { FileDiff } from '../../../shared/llm/index.js';

/** Where a change comes from. */
export type ChangeSource =
  /** Everything not yet committed: staged and unstaged edits to tracked files, and untracked files. */
  | { kind: 'working-tree' }
  /** What `git commit` would record now. */
  | { kind: 'staged' }
  /** The change between two revisions (`git diff from to`). */
  | { kind: 'range'; from: string; to: string }
  /** A unified diff given as text (`keel draft` reading stdin). */
  | { kind: 'diff-text'; text: string };

export type ChangedFileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied' | 'type-changed';

/** `latin1` when the bytes are not valid UTF-8 (read one byte per character, never mojibake). */
export type FileEncoding = 'utf8' | 'latin1' | 'binary';

export interface ChangedFile {
  /** Path after the change, relative to the repository root (the old path for a deletion). */
  path: string;
  /** Path before the change; null for an added file. */
  oldPath: string | null;
  status: ChangedFileStatus;
  binary: boolean;
  /** Set for a submodule (gitlink) change: the commits it pointed at before and after. */
  submodule?: { oldSha: string | null; newSha: string | null };
  /** Full contents before and after, for parsing; absent for binary, submodule or oversized files. */
  oldText?: string;
  newText?: string;
  /** The file's hunks (git's unified diff, read by the shared diff reader). */
  diff: FileDiff;
  encoding: FileEncoding;
  /** Size of the file after the change (before it, for a deletion), in bytes. */
  sizeBytes: number;
}

export interface SkippedFile {
  path: string;
  /** `ignored: <pattern>`, or why a cap left the file out (`too large: …`, `total diff cap …`). */
  reason: string;
  status?: ChangedFileStatus;
  oldPath?: string | null;
}

export interface RepoInfo {
  /** Absolute path of the work tree's top level. */
  root: string;
  /** The commit HEAD points at; null on a branch with no commit yet (or outside a repository). */
  head: string | null;
  /** The checked-out branch; null when HEAD is detached. */
  branch: string | null;
  detached: boolean;
}

export interface Change {
  repo: RepoInfo;
  source: ChangeSource['kind'];
  files: ChangedFile[];
  /** True when a size cap left part of the change out (see `skipped`). */
  truncated: boolean;
  skipped: SkippedFile[];
}

export interface CaptureOptions {
  /** Extra ignore patterns (gitignore syntax), after the defaults and `.keelignore`. */
  ignore?: string[];
  /** Apply the built-in patterns (lock files, generated, vendored, minified, binaries). Default true. */
  defaultIgnore?: boolean;
  /** Read `.keelignore` at the repository root. Default true. */
  keelignore?: boolean;
  /** Include untracked files in a working-tree change. Default true. */
  untracked?: boolean;
  /** A file whose diff is larger is skipped. Default 1 MiB. */
  maxFileDiffBytes?: number;
  /** Diff bytes read in all; files past it are skipped and the change is truncated. Default 8 MiB. */
  maxTotalDiffBytes?: number;
  /** Full contents larger than this are not read (the file keeps its hunks). Default 1 MiB. */
  maxFileTextBytes?: number;
  /** Full contents read in all. Default 32 MiB. */
  maxTotalTextBytes?: number;
  /** Files kept in all; the rest are skipped. Default 3 000. */
  maxFiles?: number;
  /** Time limit of each git command. Default 20 s. */
  timeoutMs?: number;
  /**
   * `GIT_*` variables to pass through (all others are removed). A hook that captures the staged
   * change of `git commit -a` needs `GIT_INDEX_FILE`, which git sets to a temporary index.
   */
  keepGitEnv?: string[];
}
