import { posix } from 'node:path';
import { decideType, type FileFacts, focusOf, inferScope, scopeOfPath } from '../../../shared/llm/index.js';
import type { Candidate, ChangedElement } from './scoping.types.js';

/**
 * Type and scope candidates with a confidence. The type starts from the offline drafter's rules
 * (`decideType`: kinds of files, declarations, signals in the changed lines), weighted by how
 * decisive the rule that fired is, then signals only the element analysis sees adjust it: a
 * guard added to existing code votes `fix`, new public elements `feat`, renames `refactor`.
 * The scope comes from the folders of the files that decided the type (`scopeOfPath`), or the
 * file's own name when the folder names nothing (`src/parser.ts` → `parser`).
 */

const weight = (f: FileFacts) => Math.max(1, f.addedCount + f.removedCount);

/** How much a decideType rule settles the type (decisive file kinds high, size heuristics low). */
const RULE_CONFIDENCE: Record<string, number> = {
  'lockfile-only': 0.95,
  'dependency-manifest': 0.9,
  'dev-dependencies': 0.9,
  'ci-files': 0.9,
  'build-files': 0.85,
  'tooling-config': 0.8,
  'only-docs': 0.9,
  'comments-only': 0.85,
  'only-tests': 0.9,
  'mostly-tests': 0.75,
  'mostly-docs': 0.75,
  'formatting-only': 0.85,
  'moves-only': 0.8,
  'exports-removed': 0.65,
  'new-exports': 0.7,
  extraction: 0.65,
  'moved-declarations': 0.65,
  'new-file': 0.7,
  'duplicates-removed': 0.6,
  'performance-wording': 0.6,
  'error-handling': 0.65,
  'added-behaviour': 0.55,
  'net-deletion': 0.5,
  'small-change': 0.4,
  'large-addition': 0.45,
  'large-rework': 0.45,
};

function normalize(votes: Map<string, { score: number; reasons: string[] }>, slack: number): Candidate[] {
  const total = [...votes.values()].reduce((n, v) => n + v.score, 0) + slack;
  if (total === 0) return [];
  return [...votes.entries()]
    .map(([value, v]) => ({
      value,
      confidence: Math.round((v.score / total) * 100) / 100,
      reasons: v.reasons,
    }))
    .filter((c) => c.confidence > 0)
    .sort((a, b) => b.confidence - a.confidence || a.value.localeCompare(b.value));
}

function vote(
  votes: Map<string, { score: number; reasons: string[] }>,
  value: string,
  score: number,
  reason: string,
) {
  const v = votes.get(value) ?? { score: 0, reasons: [] };
  v.score += score;
  v.reasons.push(reason);
  votes.set(value, v);
}

export interface TypeResult {
  candidates: Candidate[];
  /** The rules' own decision (its scope, e.g. `deps`, when the rule sets one). */
  decided: { type: string; rule: string; scope?: string };
}

/**
 * The facts decideType reads, bounded: it looks for each new export's name in every added line
 * of the other files (building a regular expression per line), which grows with exports × lines
 * (minutes on a 50 000-line change). Counts stay exact; only the lists it searches are cut: 8
 * declarations in all (shared out one file at a time) and 240 lines — enough to see whether
 * new exports exist and are used elsewhere.
 */
export function boundedFacts(facts: readonly FileFacts[]): FileFacts[] {
  const perFileLines = Math.max(8, Math.floor(240 / Math.max(1, facts.length)));
  const quota = facts.map(() => 0);
  let budget = 8;
  for (let round = 0; budget > 0; round++) {
    let given = false;
    for (const [i, f] of facts.entries()) {
      if (budget > 0 && f.addedDeclarations.length > round) {
        quota[i] = (quota[i] ?? 0) + 1;
        budget--;
        given = true;
      }
    }
    if (!given) break;
  }
  return facts.map((f, i) =>
    f.addedDeclarations.length <= (quota[i] ?? 0) && f.file.added.length <= perFileLines
      ? f
      : {
          ...f,
          addedDeclarations: f.addedDeclarations.slice(0, quota[i]),
          file: { ...f.file, added: f.file.added.slice(0, perFileLines) },
        },
  );
}

export function typeCandidates(facts: FileFacts[], elements: readonly ChangedElement[]): TypeResult {
  const decided = decideType(boundedFacts(facts));
  const votes = new Map<string, { score: number; reasons: string[] }>();
  vote(votes, decided.type, RULE_CONFIDENCE[decided.rule] ?? 0.5, `rule: ${decided.rule}`);
  const code = elements.filter((e) => !e.test && !e.generated);
  const changedLines = code.reduce((n, e) => n + e.addedLines + e.removedLines, 0);
  const guarded = code.filter((e) => e.guardAdded);
  if (guarded.length > 0 && changedLines <= 80)
    vote(
      votes,
      'fix',
      0.35,
      `a guard was added to ${guarded
        .map((e) => e.element.qualifiedName)
        .slice(0, 3)
        .join(', ')}`,
    );
  const declared = code.filter((e) => e.granularity === 'element');
  const fresh = declared.filter((e) => e.kind === 'added' && e.element.exported);
  const gone = declared.filter((e) => e.kind === 'removed');
  if (fresh.length > 0 && gone.length === 0)
    vote(
      votes,
      'feat',
      0.25,
      `new public ${fresh
        .map((e) => e.element.qualifiedName)
        .slice(0, 3)
        .join(', ')}`,
    );
  const renamed = declared.filter((e) => e.kind === 'renamed');
  if (renamed.length > 0 && fresh.length === 0 && gone.length === 0)
    vote(
      votes,
      'refactor',
      0.3,
      `renamed ${renamed
        .map((e) => `${e.previousName} → ${e.element.qualifiedName}`)
        .slice(0, 2)
        .join(', ')}`,
    );
  if (gone.some((e) => e.element.exported)) vote(votes, 'refactor', 0.15, 'public elements removed');
  if (elements.length > 0 && code.length === 0 && elements.every((e) => e.test))
    vote(votes, 'test', 0.3, 'only test code changed');
  return { candidates: normalize(votes, 0.15), decided };
}

/** Folder-less file names that say nothing about the subject. */
const GENERIC_STEMS = new Set([
  'index',
  'main',
  'mod',
  'lib',
  'init',
  '__init__',
  'utils',
  'util',
  'types',
  'app',
  'readme',
]);

/** A scope from a file's own name: `src/parser.ts` → parser, `src/cli/index.ts` → cli. */
export function stemScope(path: string): string | null {
  const base = posix.basename(path).toLowerCase();
  const stem = base
    .replace(/^\./, '')
    .split('.')[0]
    ?.replace(/^test_|_test$|_spec$/, '')
    .replace(/[_\s]+/g, '-');
  if (stem && !GENERIC_STEMS.has(stem)) return stem;
  const dir = posix.basename(posix.dirname(path)).toLowerCase();
  return dir && dir !== '.' && !['src', 'lib', 'app'].includes(dir) ? dir : null;
}

export function scopeCandidates(facts: FileFacts[], decided: TypeResult['decided']): Candidate[] {
  if (decided.scope) return [{ value: decided.scope, confidence: 0.9, reasons: [`rule: ${decided.rule}`] }];
  const focus = focusOf(decided.type);
  const votes = new Map<string, { score: number; reasons: string[] }>();
  for (const f of facts) {
    if (f.kind === 'lockfile') continue;
    const w = weight(f) * (focus(f) ? 1 : 0.1);
    const { scope, layer } = scopeOfPath(f.file.path);
    const value = scope ?? layer ?? stemScope(f.file.path);
    if (!value) continue;
    const v = votes.get(value) ?? { score: 0, reasons: [] };
    v.score += w;
    if (v.reasons.length < 3) v.reasons.push(f.file.path);
    votes.set(value, v);
  }
  const ruled = inferScope(facts, focus);
  if (ruled)
    vote(votes, ruled, 0.25 * [...votes.values()].reduce((n, v) => n + v.score, 0), 'rule: dominant folder');
  return normalize(votes, 0).slice(0, 5);
}
