import type { ChangedFile, DiffLine } from '../types';

export interface DiffRow {
  /** Stable within the file: hunk and line index. */
  key: string;
  kind: DiffLine['kind'] | 'hunk';
  text: string;
  /** Line number on the old side (deleted and context lines). */
  oldLine: number | null;
  /** Line number on the new side (added and context lines). */
  newLine: number | null;
  /** The Top element whose lines these are (new side), if any. */
  element: string | null;
  /** The first row shown of that element: where its label goes. */
  elementStart: boolean;
}

/**
 * A file's hunks as rows with line numbers, each marked with the scoped (Top) element it falls in.
 * Elements are ranges of the new file; a deleted line belongs to the element of the new line that
 * follows it.
 */
export function diffRows(file: ChangedFile): DiffRow[] {
  const ranges = file.elements
    .filter((e) => e.top && e.startLine > 0 && e.endLine >= e.startLine)
    // Innermost first: a method inside a class is named after the method.
    .sort((a, b) => a.endLine - a.startLine - (b.endLine - b.startLine));
  const elementAt = (line: number) =>
    ranges.find((e) => line >= e.startLine && line <= e.endLine)?.name ?? null;
  const rows: DiffRow[] = [];
  let previous: string | null = null;
  for (const [h, hunk] of file.hunks.entries()) {
    const oldCount = hunk.lines.filter((l) => l.kind !== 'add').length;
    const newCount = hunk.lines.filter((l) => l.kind !== 'del').length;
    rows.push({
      key: `${h}`,
      kind: 'hunk',
      text: `@@ -${hunk.oldStart},${oldCount} +${hunk.newStart},${newCount} @@${hunk.section ? ` ${hunk.section}` : ''}`,
      oldLine: null,
      newLine: null,
      element: null,
      elementStart: false,
    });
    previous = null;
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const [i, line] of hunk.lines.entries()) {
      const element = elementAt(newLine);
      rows.push({
        key: `${h}:${i}`,
        kind: line.kind,
        text: line.text,
        oldLine: line.kind === 'add' ? null : oldLine,
        newLine: line.kind === 'del' ? null : newLine,
        element,
        elementStart: element !== null && element !== previous,
      });
      previous = element;
      if (line.kind !== 'add') oldLine++;
      if (line.kind !== 'del') newLine++;
    }
  }
  return rows;
}
