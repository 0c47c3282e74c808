import { posix } from 'node:path';
import { type FileFacts, scopeOfPath } from '../../../shared/llm/index.js';
import { scopeCandidates, stemScope, typeCandidates } from './candidates.js';
import type { ChangedElement, Relation, ScopedFile, Theme } from './scoping.types.js';

/**
 * Groups the changed elements into themes (the seed's "Top-3"): elements are joined when they
 * share a file, when one calls or names another, when their files import one another, sit in
 * the same folder, or carry the same name (`parser.ts`, `parser.test.ts`, `docs/parser.md`).
 * Each group is a theme; the three with the highest total score are kept, and a smaller group
 * joins one of them when it shares a scope (`scopeOfPath`: the folder that names a part of the
 * product). Significant themes that share neither a scope nor a word of their elements' names
 * are unrelated: the change could be split into separate commits.
 */

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root) as string;
    this.parent.set(x, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

const GENERIC = new Set([
  'index',
  'main',
  'mod',
  'lib',
  'init',
  '__init__',
  'utils',
  'util',
  'types',
  'readme',
  'app',
]);

/** A file's subject name: `src/parser.test.ts` → parser, `test_parser.py` → parser. */
function stemOf(path: string): string | null {
  const stem = (posix.basename(path).toLowerCase().replace(/^\./, '').split('.')[0] ?? '')
    .replace(/^test_|_test$|_spec$|tests?$/, '')
    .replace(/[-_]/g, '');
  return stem.length >= 3 && !GENERIC.has(stem) ? stem : null;
}

/** Keys that make two groups of files related without joining them. */
function weakKeys(path: string): string[] {
  const keys: string[] = [];
  const { scope } = scopeOfPath(path);
  if (scope) keys.push(`scope:${scope}`);
  else {
    const stem = stemScope(path);
    if (stem) keys.push(`scope:${stem}`);
  }
  return keys;
}

const WORD_STOP = new Set([
  'test',
  'tests',
  'spec',
  'main',
  'init',
  'index',
  'default',
  'handle',
  'with',
  'from',
]);

/** Words of element names (`parseHeader` → parse, header), for "these themes speak of the same thing". */
function words(elements: readonly ChangedElement[]): Set<string> {
  const out = new Set<string>();
  for (const e of elements)
    for (const w of e.element.name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/))
      if (w.length >= 4 && !WORD_STOP.has(w)) out.add(w);
  return out;
}

interface Group {
  elements: ChangedElement[];
  files: Set<string>;
  score: number;
}

export interface ThemeResult {
  themes: Theme[];
  ungrouped: string[];
  relatedThemes: boolean;
}

export function groupThemes(
  ranked: readonly ChangedElement[],
  files: readonly ScopedFile[],
  relations: readonly Relation[],
  facts: ReadonlyMap<string, FileFacts>,
  maxThemes = 3,
): ThemeResult {
  const sets = new UnionFind();
  const fileRoot = new Map<string, string>();
  for (const e of ranked) {
    const root = fileRoot.get(e.file);
    if (root) sets.union(root, e.id);
    else fileRoot.set(e.file, e.id);
  }
  for (const r of relations) {
    if (r.kind === 'imports') {
      const a = fileRoot.get(r.from);
      const b = fileRoot.get(r.to);
      if (a && b) sets.union(a, b);
    } else sets.union(r.from, r.to);
  }
  const byDir = new Map<string, string>();
  const byStem = new Map<string, string>();
  for (const file of files) {
    const root = fileRoot.get(file.path);
    if (!root) continue;
    const dir = posix.dirname(file.path);
    const sameDir = byDir.get(dir);
    if (sameDir) sets.union(sameDir, root);
    else byDir.set(dir, root);
    const stem = stemOf(file.path);
    if (!stem) continue;
    const sameStem = byStem.get(stem);
    if (sameStem) sets.union(sameStem, root);
    else byStem.set(stem, root);
  }

  const groups = new Map<string, Group>();
  for (const e of ranked) {
    const root = sets.find(e.id);
    const group = groups.get(root) ?? { elements: [], files: new Set<string>(), score: 0 };
    group.elements.push(e);
    group.files.add(e.file);
    group.score += e.score;
    groups.set(root, group);
  }
  const ordered = [...groups.values()].sort((a, b) => b.score - a.score);
  const kept = ordered.slice(0, maxThemes);
  const ungrouped: string[] = [];
  const keysOf = (group: Group) => new Set([...group.files].flatMap(weakKeys));
  for (const group of ordered.slice(maxThemes)) {
    const keys = keysOf(group);
    const home = kept.find((k) => [...keysOf(k)].some((key) => keys.has(key)));
    if (home) {
      home.elements.push(...group.elements);
      for (const f of group.files) home.files.add(f);
      home.score += group.score;
    } else ungrouped.push(...group.elements.map((e) => e.id));
  }
  const total = ordered.reduce((n, g) => n + g.score, 0) || 1;
  const themes = kept.map((group, i): Theme => {
    group.elements.sort((a, b) => b.score - a.score);
    const themeFacts = [...group.files]
      .map((f) => facts.get(f))
      .filter((f): f is FileFacts => f !== undefined);
    const type = typeCandidates(themeFacts, group.elements);
    const [scope] = scopeCandidates(themeFacts, type.decided);
    const [typeCandidate] = type.candidates;
    const scopeValue = scope && scope.confidence >= 0.4 ? scope.value : null;
    const names = [
      ...new Set(group.elements.filter((e) => e.granularity === 'element').map((e) => e.element.name)),
    ];
    const where = scopeValue ?? posix.dirname([...group.files][0] ?? '.');
    return {
      id: i + 1,
      label:
        names.length > 0
          ? `${where}: ${names.slice(0, 3).join(', ')}`
          : `${where}: ${[...group.files].slice(0, 3).join(', ')}`,
      elements: group.elements.map((e) => e.id),
      files: [...group.files],
      score: Math.round(group.score * 100) / 100,
      share: Math.round((group.score / total) * 100) / 100,
      type: typeCandidate ?? { value: type.decided.type, confidence: 0, reasons: [] },
      scope: scopeValue,
    };
  });

  // Related unless a significant theme shares neither a scope nor a name word with the first.
  const significant = kept.filter((g) => g.score / total >= 0.15);
  const [first, ...rest] = significant;
  let relatedThemes = true;
  if (first) {
    const keys = keysOf(first);
    const firstWords = words(first.elements);
    relatedThemes = rest.every(
      (g) => [...keysOf(g)].some((k) => keys.has(k)) || [...words(g.elements)].some((w) => firstWords.has(w)),
    );
  }
  return { themes, ungrouped, relatedThemes };
}
