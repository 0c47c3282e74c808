import type { Hunk } from '../../../shared/llm/index.js';
import type { LineChange } from './scoping.types.js';

/**
 * The changed lines of a file's hunks, with line numbers on their own side, and the runs of
 * consecutive changes (a block of removals and additions between unchanged lines) that map new
 * line numbers to old ones and describe the edit from the new text back to the old one.
 */

export interface ChangeRun {
  /** First new line of the run (for a pure removal: the new line it sits before). */
  newStart: number;
  newCount: number;
  oldStart: number;
  oldCount: number;
}

export interface LineMap {
  /** Every changed line, in the diff's order. */
  changes: LineChange[];
  adds: LineChange[];
  dels: LineChange[];
  runs: ChangeRun[];
  /** The old line number of an unchanged new line (null for an added line). */
  oldLineOf(newLine: number): number | null;
}

export function mapLines(hunks: readonly Hunk[]): LineMap {
  const changes: LineChange[] = [];
  const adds: LineChange[] = [];
  const dels: LineChange[] = [];
  const runs: ChangeRun[] = [];
  for (const hunk of hunks) {
    // A side with no lines in the hunk names the line before it (`@@ -3,0 +4,2 @@`).
    const oldLines = hunk.lines.filter((l) => l.kind !== 'add').length;
    const newLines = hunk.lines.filter((l) => l.kind !== 'del').length;
    let oldLine = oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
    let newLine = newLines === 0 ? hunk.newStart + 1 : hunk.newStart;
    let run: ChangeRun | null = null;
    for (const line of hunk.lines) {
      if (line.kind === 'context') {
        run = null;
        oldLine++;
        newLine++;
        continue;
      }
      if (!run) {
        run = { newStart: newLine, newCount: 0, oldStart: oldLine, oldCount: 0 };
        runs.push(run);
      }
      if (line.kind === 'add') {
        const change: LineChange = { kind: 'add', line: newLine++, text: line.text };
        adds.push(change);
        changes.push(change);
        run.newCount++;
      } else {
        const change: LineChange = { kind: 'del', line: oldLine++, text: line.text };
        dels.push(change);
        changes.push(change);
        run.oldCount++;
      }
    }
  }
  runs.sort((a, b) => a.newStart - b.newStart);
  // Lines after run i are shifted by shift[i] (old = new + shift).
  const shifts: number[] = [];
  let shift = 0;
  for (const run of runs) {
    shift = run.oldStart + run.oldCount - (run.newStart + run.newCount);
    shifts.push(shift);
  }
  return {
    changes,
    adds,
    dels,
    runs,
    oldLineOf(newLine: number): number | null {
      // The last run starting at or before the line.
      let lo = 0;
      let hi = runs.length - 1;
      let at = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if ((runs[mid] as ChangeRun).newStart <= newLine) {
          at = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (at < 0) return newLine;
      const run = runs[at] as ChangeRun;
      if (newLine < run.newStart + run.newCount) return null;
      return newLine + (shifts[at] as number);
    },
  };
}

/** Offsets at which each line starts (index 0 is line 1). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offset and row/column of the start of `line` (1-based); past the end, the end of the text. */
export function positionOfLine(starts: readonly number[], text: string, line: number) {
  if (line - 1 < starts.length) return { index: starts[line - 1] as number, row: line - 1, column: 0 };
  const last = starts.length - 1;
  return { index: text.length, row: last, column: text.length - (starts[last] as number) };
}
