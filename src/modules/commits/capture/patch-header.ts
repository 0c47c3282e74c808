import type { FileDiff } from '../../../shared/llm/index.js';
import type { ChangedFileStatus } from './capture.types.js';
import { GITLINK_MODE, type RawEntry } from './raw-diff.js';

/** What the header of one file's patch says: its path (unquoted) and, for text, its raw entry. */

/** The path a piece of git's patch belongs to (its new path; the old one for a deletion). */
export function piecePath(header: Buffer): string | null {
  const text = header.toString('utf8');
  const moved = /^(?:rename|copy) to (.*)$/m.exec(text);
  if (moved?.[1] !== undefined) return unquote(moved[1]);
  const first = text.slice(0, text.indexOf('\n') < 0 ? undefined : text.indexOf('\n'));
  const rest = first.slice('diff --git '.length);
  if (rest.startsWith('"') || rest.endsWith('"')) {
    // Quoted paths: `"a/x\ty" "b/x\ty"` (or one side quoted).
    const parts = [...rest.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) =>
      m[1] !== undefined ? unquote(`"${m[1]}"`) : (m[2] as string),
    );
    const b = parts.at(-1);
    return b ? b.replace(/^b\//, '') : null;
  }
  // Unquoted `a/P b/P`: both halves are the same path when nothing was renamed.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) return rest.slice(half + 3);
  const split = rest.indexOf(' b/');
  return split < 0 ? null : rest.slice(split + 3);
}

/** Git's C-style quoting (`"a\"b\303\251"`) back to the path. */
export function unquote(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"')) return text;
  const body = text.slice(1, -1);
  const bytes: number[] = [];
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[++i] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** What a patch header says about a file, in the shape of git's raw listing. */
export function entryFromHeader(header: string, diff: FileDiff): RawEntry {
  const oldMode = /^(?:old|deleted file) mode (\d+)/m.exec(header)?.[1];
  const newMode = /^(?:new|new file) mode (\d+)/m.exec(header)?.[1];
  const index = /^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?/m.exec(header);
  const submodule = /^[-+]Subproject commit /m.test(header) || index?.[3] === GITLINK_MODE;
  const status: ChangedFileStatus = /^copy from /m.test(header)
    ? 'copied'
    : oldMode && newMode && oldMode.slice(0, 2) !== newMode.slice(0, 2)
      ? 'type-changed'
      : diff.status;
  const mode = (m: string | undefined) => (submodule ? GITLINK_MODE : (m ?? index?.[3] ?? '100644'));
  return {
    oldMode: mode(oldMode),
    newMode: mode(newMode),
    oldSha: status === 'added' ? '0' : (index?.[1] ?? '0'),
    newSha: status === 'deleted' ? '0' : (index?.[2] ?? '0'),
    status,
    oldPath: status === 'added' ? null : (/^copy from (.*)$/m.exec(header)?.[1] ?? diff.oldPath ?? diff.path),
    path: diff.path,
    unmerged: false,
  };
}
