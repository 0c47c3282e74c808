/**
 * A unified-diff reader for `git diff` / `git show` output and plain `diff -u` output: files,
 * their status (added, deleted, modified, renamed), hunks with their lines, binary markers.
 */

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed';

export interface DiffLine {
  kind: 'add' | 'del' | 'context';
  text: string;
}

export interface Hunk {
  oldStart: number;
  newStart: number;
  /** The text after the second `@@`: git puts the enclosing function or section there. */
  section: string;
  lines: DiffLine[];
}

export interface FileDiff {
  oldPath: string | null;
  newPath: string | null;
  /** The path after the change (the old one for a deletion). */
  path: string;
  status: FileStatus;
  /** Git's similarity index for a rename or copy (100 = content unchanged). */
  similarity: number | null;
  binary: boolean;
  hunks: Hunk[];
  added: string[];
  removed: string[];
}

const hunkHeader = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@ ?(.*)$/;

function stripPrefix(path: string): string | null {
  const clean = path.replace(/\t.*$/, '').trim();
  if (clean === '/dev/null') return null;
  const unquoted = clean.startsWith('"') && clean.endsWith('"') ? clean.slice(1, -1) : clean;
  return unquoted.replace(/^[abciow]\//, '');
}

/** The `a/… b/…` paths of a `diff --git` line (paths with spaces are split at ` b/`). */
function gitHeaderPaths(line: string): [string, string] | null {
  const rest = line.slice('diff --git '.length);
  const split = rest.indexOf(' b/');
  if (split < 0) return null;
  return [rest.slice(0, split).replace(/^a\//, ''), rest.slice(split + 3)];
}

function finish(file: FileDiff): FileDiff {
  file.path = file.newPath ?? file.oldPath ?? file.path;
  if (file.status === 'modified') {
    if (file.oldPath === null && file.newPath !== null) file.status = 'added';
    else if (file.newPath === null && file.oldPath !== null) file.status = 'deleted';
    else if (file.oldPath && file.newPath && file.oldPath !== file.newPath) file.status = 'renamed';
  }
  for (const hunk of file.hunks)
    for (const line of hunk.lines) {
      if (line.kind === 'add') file.added.push(line.text);
      else if (line.kind === 'del') file.removed.push(line.text);
    }
  return file;
}

function emptyFile(oldPath: string | null, newPath: string | null): FileDiff {
  return {
    oldPath,
    newPath,
    path: newPath ?? oldPath ?? '',
    status: 'modified',
    similarity: null,
    binary: false,
    hunks: [],
    added: [],
    removed: [],
  };
}

/** Reads every file of a unified diff; text around the diff (a commit header, prose) is ignored. */
export function parseDiff(text: string): FileDiff[] {
  const files: FileDiff[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let file: FileDiff | null = null;
  let hunk: Hunk | null = null;
  let oldLeft = 0;
  let newLeft = 0;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (hunk && (oldLeft > 0 || newLeft > 0)) {
      if (line.startsWith('+')) {
        hunk.lines.push({ kind: 'add', text: line.slice(1) });
        newLeft--;
        continue;
      }
      if (line.startsWith('-')) {
        hunk.lines.push({ kind: 'del', text: line.slice(1) });
        oldLeft--;
        continue;
      }
      if (line.startsWith(' ') || line === '') {
        hunk.lines.push({ kind: 'context', text: line.slice(1) });
        oldLeft--;
        newLeft--;
        continue;
      }
      if (line.startsWith('\\')) continue;
    }
    hunk = null;
    if (line.startsWith('diff --git ')) {
      if (file) files.push(finish(file));
      const paths = gitHeaderPaths(line);
      file = emptyFile(paths?.[0] ?? null, paths?.[1] ?? null);
      continue;
    }
    const header = hunkHeader.exec(line);
    if (header && file) {
      const counts = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
      oldLeft = counts?.[1] === undefined ? 1 : Number(counts[1]);
      newLeft = counts?.[2] === undefined ? 1 : Number(counts[2]);
      hunk = {
        oldStart: Number(header[1]),
        newStart: Number(header[2]),
        section: header[3] ?? '',
        lines: [],
      };
      file.hunks.push(hunk);
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      // A plain `diff -u` has no `diff --git` line: the ---/+++ pair starts the file.
      if (!file || file.hunks.length > 0) {
        if (file) files.push(finish(file));
        file = emptyFile(null, null);
      }
      file.oldPath = stripPrefix(line.slice(4));
      file.newPath = stripPrefix((lines[i + 1] ?? '').slice(4));
      i++;
      continue;
    }
    if (!file) continue;
    if (line.startsWith('new file mode')) file.oldPath = null;
    else if (line.startsWith('deleted file mode')) file.newPath = null;
    else if (line.startsWith('rename from ')) file.oldPath = line.slice('rename from '.length);
    else if (line.startsWith('rename to ')) file.newPath = line.slice('rename to '.length);
    else if (line.startsWith('similarity index ')) file.similarity = Number.parseInt(line.slice(17), 10);
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') file.binary = true;
  }
  if (file) files.push(finish(file));
  return files.filter((f) => f.path !== '');
}

/** Finds the unified diff inside a message (in a ``` fence or not); null when there is none. */
export function extractDiff(text: string): string | null {
  const start = text.search(/^(?:diff --git |--- \S[^\n]*\n\+\+\+ )/m);
  if (start < 0) return null;
  let diff = text.slice(start);
  // A fenced diff ends at the closing fence; a diff never has a line of three backticks.
  const fence = diff.search(/^```\s*$/m);
  if (fence >= 0) diff = diff.slice(0, fence);
  return parseDiff(diff).length > 0 ? diff : null;
}
