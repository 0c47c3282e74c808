import type { ChangedElement } from './scoping.types.js';

/**
 * The score that orders changed elements (the "Top-10"). Additive, so each part can be read off:
 *
 *   10 × log2(1 + changed lines)       size, with diminishing returns (1 line: 10, 7: 30, 63: 60)
 * +  6 if exported / public              part of the file's or package's surface
 * +  5 × min(3, other changed elements that call or name it)
 * +  4 if added, removed or renamed      the shape of the code changed, not only a body
 * +  2 if a guard was added
 *
 * then × 0.5 in a test file, × 0.2 when generated, × 0.6 for file-level lines (imports,
 * top-level statements, files that could not be parsed), which say less than a declaration.
 */
export function scoreOf(e: ChangedElement): number {
  let score = 10 * Math.log2(1 + e.addedLines + e.removedLines);
  if (e.element.exported) score += 6;
  score += 5 * Math.min(3, e.referencedBy.length);
  if (e.kind !== 'modified') score += 4;
  if (e.guardAdded) score += 2;
  if (e.test) score *= 0.5;
  if (e.generated) score *= 0.2;
  if (e.granularity === 'file') score *= 0.6;
  return Math.round(score * 100) / 100;
}

/** Elements by score, highest first; ties by file and line, so the order is stable. */
export function rank(elements: ChangedElement[]): ChangedElement[] {
  for (const e of elements) e.score = scoreOf(e);
  return [...elements].sort(
    (a, b) => b.score - a.score || a.file.localeCompare(b.file) || a.element.startLine - b.element.startLine,
  );
}
