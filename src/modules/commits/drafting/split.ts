import type { Scoping } from '../analysis/index.js';
import type { Change } from '../capture/index.js';

/** One commit of a proposed split: a theme's files. */
export interface SplitPart {
  label: string;
  files: string[];
}

/**
 * When the themes have nothing in common (`relatedThemes` false), one commit per theme: each file
 * goes to the theme holding most of its score (a file shared by two themes goes whole to the
 * larger; splitting it by hunks is left to the developer), files in no theme join the first
 * part. Null when the change is one piece.
 */
export function proposeSplit(scoping: Scoping): SplitPart[] | null {
  if (scoping.relatedThemes || scoping.themes.length < 2) return null;
  const scoreOf = new Map(scoping.elements.map((e) => [e.id, e]));
  const owner = new Map<string, { theme: number; score: number }>();
  scoping.themes.forEach((theme, index) => {
    const perFile = new Map<string, number>();
    for (const id of theme.elements) {
      const element = scoreOf.get(id);
      if (element) perFile.set(element.file, (perFile.get(element.file) ?? 0) + element.score);
    }
    for (const [file, score] of perFile) {
      const current = owner.get(file);
      if (!current || score > current.score) owner.set(file, { theme: index, score });
    }
  });
  const parts: SplitPart[] = scoping.themes.map((t) => ({ label: t.label, files: [] }));
  for (const file of scoping.files) {
    const index = owner.get(file.path)?.theme ?? 0;
    parts[index]?.files.push(file.path);
  }
  const kept = parts.filter((p) => p.files.length > 0);
  return kept.length >= 2 ? kept : null;
}

/** The part of a captured change that touches `files` (for drafting each part on its own). */
export function partOf(change: Change, files: readonly string[]): Change {
  const wanted = new Set(files);
  return { ...change, files: change.files.filter((f) => wanted.has(f.path)), skipped: [] };
}
