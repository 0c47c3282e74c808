import type { Change } from '../capture/index.js';

/**
 * The captured change as one unified diff (`git diff` form), from the hunks capture kept: the
 * offline provider reads it, and a model that is sent the raw diff sees the same text.
 * Binary files and submodules keep their header lines only, as git prints them.
 */
export function unifiedDiffOf(change: Pick<Change, 'files'>): string {
  const out: string[] = [];
  for (const file of change.files) {
    const oldPath = file.oldPath ?? file.path;
    out.push(`diff --git a/${oldPath} b/${file.path}`);
    if (file.status === 'added') out.push('new file mode 100644');
    if (file.status === 'deleted') out.push('deleted file mode 100644');
    if (file.status === 'renamed' && file.oldPath) {
      out.push(`rename from ${file.oldPath}`, `rename to ${file.path}`);
    }
    if (file.binary || file.submodule) {
      out.push(`Binary files a/${oldPath} and b/${file.path} differ`);
      continue;
    }
    if (file.diff.hunks.length === 0) continue;
    out.push(
      `--- ${file.status === 'added' ? '/dev/null' : `a/${oldPath}`}`,
      `+++ ${file.status === 'deleted' ? '/dev/null' : `b/${file.path}`}`,
    );
    for (const hunk of file.diff.hunks) {
      const oldCount = hunk.lines.filter((l) => l.kind !== 'add').length;
      const newCount = hunk.lines.filter((l) => l.kind !== 'del').length;
      out.push(
        `@@ -${hunk.oldStart},${oldCount} +${hunk.newStart},${newCount} @@${hunk.section ? ` ${hunk.section}` : ''}`,
      );
      for (const line of hunk.lines)
        out.push(`${line.kind === 'add' ? '+' : line.kind === 'del' ? '-' : ' '}${line.text}`);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}
