import type { FileFacts } from './commit-analysis.js';

/**
 * The rules that pick a commit's type (from the kinds of files changed and the signals in their
 * lines) and its scope (from the dominant folder of the files that decided the type).
 */

export interface TypeDecision {
  type: string;
  rule: string;
  scope?: string;
}

export const weight = (f: FileFacts) => Math.max(1, f.addedCount + f.removedCount);
export const sum = (files: FileFacts[], of: (f: FileFacts) => number) => files.reduce((n, f) => n + of(f), 0);

const fixCode =
  /\bcatch\b|\bthrow\b|\btry\s*[:{]|\bexcept\b|\brescue\b|\braise\b|if err != nil|\.catch\(|\bfinally\b/;
const fixWords =
  /\b(fix(es|ed)?|bugs?|wrong|incorrect(ly)?|broken|crash(es|ed)?|regression|race|leaks?|typo|workaround|mistakes?|erroneous|off-by-one|faults?|refuse[sd]?|retr(y|ies|ied))\b/i;
const perfWords =
  /\b(fast(er|est)?|slow(er)?|cheap(er|ly)?|costs?|latency|throughput|memory|rss|mib|mb|cache[sd]?|caching|memoi[sz]e[sd]?|lazy|lazily|first use|start-?up|instead of|only when|only for what|fewer|skip(s|ped)?|performance|perf|speed|allocat\w*|hot path|round trips?|batch(es|ed)?|liftoff|compiled?)\b/gi;

function perfScore(code: FileFacts[]): number {
  const words = new Set<string>();
  for (const f of code)
    for (const c of f.addedComments) for (const m of c.matchAll(perfWords)) words.add(m[0].toLowerCase());
  let score = words.size;
  // A static import replaced by a dynamic one: a module now loaded on first use.
  for (const f of code) {
    const lazy = f.file.added.some((l) => /\bimport\(\s*['"]/.test(l));
    const staticGone = f.file.removed.some((l) => /^\s*import\s+(?!type\b)[^;]*from\s+['"]/.test(l));
    if (lazy && staticGone) score += 2;
  }
  return score;
}

const handlerStart = /\bcatch\s*[({]|^\s*except\b.*:\s*$|^\s*rescue\b/;

/**
 * Distinct signs of a fix: fix wording in added comments, error handling in added lines (each
 * keyword once), changes inside an existing error handler.
 */
function fixScore(code: FileFacts[]): number {
  const hits = new Set<string>();
  for (const f of code) {
    for (const c of f.addedComments)
      for (const m of c.matchAll(new RegExp(fixWords, 'gi'))) hits.add(m[0].toLowerCase());
    for (const hunk of f.file.hunks) {
      const changes = hunk.lines.filter((l) => l.kind !== 'context');
      if (changes.length === 0) continue;
      for (const l of changes) {
        if (l.kind !== 'add') continue;
        const m = fixCode.exec(l.text);
        if (m) hits.add(m[0].trim());
      }
      // A change inside an error handler (the handler itself is context).
      if (hunk.lines.some((l) => l.kind === 'context' && handlerStart.test(l.text))) hits.add('in-handler');
    }
  }
  return hits.size;
}

export function decideType(all: FileFacts[]): TypeDecision {
  const depsFiles = all.filter(
    (f) => f.kind === 'lockfile' || (f.kind === 'manifest' && f.dependencies.length > 0 && !f.manifestOther),
  );
  if (all.length > 0 && depsFiles.length === all.length) {
    const deps = all.flatMap((f) => f.dependencies);
    if (deps.length === 0) return { type: 'chore', scope: 'deps', rule: 'lockfile-only' };
    return deps.some((d) => !d.dev)
      ? { type: 'build', scope: 'deps', rule: 'dependency-manifest' }
      : { type: 'chore', scope: 'deps', rule: 'dev-dependencies' };
  }
  const rest = all.filter((f) => f.kind !== 'lockfile');
  const tooling = rest.filter((f) => ['ci', 'build', 'config', 'manifest'].includes(f.kind));
  if (rest.length > 0 && tooling.length === rest.length) {
    const ci = sum(
      rest.filter((f) => f.kind === 'ci'),
      weight,
    );
    const build = sum(
      rest.filter((f) => f.kind === 'build' || f.kind === 'manifest'),
      weight,
    );
    if (ci > 0 && ci >= build) return { type: 'ci', rule: 'ci-files' };
    if (build > 0) return { type: 'build', rule: 'build-files' };
    return { type: 'chore', rule: 'tooling-config' };
  }
  const code = rest.filter((f) => f.kind === 'source' || f.kind === 'other' || f.kind === 'build');
  const logic = code.filter((f) => !f.commentOnly);
  const tests = rest.filter((f) => f.kind === 'test');
  const docs = rest.filter((f) => f.kind === 'docs');
  if (logic.length === 0 && tests.length === 0) {
    if (docs.length > 0 || code.length > 0)
      return { type: 'docs', rule: code.length > 0 ? 'comments-only' : 'only-docs' };
    return { type: 'chore', rule: 'other-files' };
  }
  // Import lines that follow a move and files moved unchanged are not code changes of their own.
  const codeWeight = sum(
    logic.filter((f) => !f.importsOnly && f.addedCount + f.removedCount > 0),
    (f) => f.addedCount + f.removedCount,
  );
  const testWeight = sum(tests, weight);
  const docsWeight = sum(docs, weight);
  if (logic.length === 0)
    return docsWeight > testWeight
      ? { type: 'docs', rule: 'only-docs' }
      : { type: 'test', rule: 'only-tests' };
  // A few lines of code that serve a change made of tests (or of documentation).
  if (codeWeight <= 10 && Math.max(testWeight, docsWeight) >= Math.max(1, 4 * codeWeight))
    return testWeight >= docsWeight
      ? { type: 'test', rule: 'mostly-tests' }
      : { type: 'docs', rule: 'mostly-docs' };
  const changed = [...logic, ...tests];
  if (changed.every((f) => f.formattingOnly)) return { type: 'style', rule: 'formatting-only' };
  const renamed = rest.filter((f) => f.file.status === 'renamed');
  if (
    renamed.length > 0 &&
    rest.every(
      (f) =>
        (f.file.status === 'renamed' && (f.addedCount + f.removedCount === 0 || f.importsOnly)) ||
        f.importsOnly ||
        f.kind === 'docs',
    )
  )
    return { type: 'refactor', rule: 'moves-only' };

  const added = sum(logic, (f) => f.addedCount - f.addedComments.length);
  const removed = sum(logic, (f) => f.removedCount);
  const exports = logic.flatMap((f) => f.addedDeclarations.filter((d) => d.exported).map((d) => ({ d, f })));
  const relocated = exports.filter(({ d, f }) =>
    logic.some((g) => g !== f && g.removedDeclarations.some((r) => r.name === d.name)),
  );
  const fresh = exports.filter((e) => !relocated.includes(e));
  const usedElsewhere = fresh.some(({ d, f }) =>
    logic.some(
      (g) => g !== f && g.file.added.some((l) => new RegExp(`\\b${escapeRegExp(d.name)}\\b`).test(l)),
    ),
  );
  const extraction = fresh.length > 0 && removed >= 0.6 * added && usedElsewhere;
  const withdrawn = logic.flatMap((f) => f.exportsWithdrawn);

  if (withdrawn.length > 0 && added <= sum(logic, (f) => (f.importsOnly ? f.addedCount : 0)))
    return { type: 'refactor', rule: 'exports-removed' };
  if (fresh.length > 0 && !extraction) return { type: 'feat', rule: 'new-exports' };
  if (relocated.length > 0 || extraction)
    return { type: 'refactor', rule: extraction ? 'extraction' : 'moved-declarations' };
  if (logic.some((f) => f.file.status === 'added' && f.addedDeclarations.length > 0))
    return { type: 'feat', rule: 'new-file' };
  const duplicates = sum(logic, (f) => f.duplicateRemovals);
  if (added === 0 && removed > 0 && duplicates >= removed / 2)
    return { type: 'fix', rule: 'duplicates-removed' };
  if (perfScore(logic) >= 3) return { type: 'perf', rule: 'performance-wording' };
  const fixes = fixScore(logic);
  if ((fixes >= 1 && added + removed <= 60) || (fixes >= 3 && added + removed <= 200))
    return { type: 'fix', rule: 'error-handling' };
  if (added >= 6 && removed * 3 <= added) return { type: 'feat', rule: 'added-behaviour' };
  if (removed > added) return { type: 'refactor', rule: 'net-deletion' };
  if (added + removed <= 30) return { type: 'fix', rule: 'small-change' };
  return added > removed * 2
    ? { type: 'feat', rule: 'large-addition' }
    : { type: 'refactor', rule: 'large-rework' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Folders that hold code but name nothing (the scope is the folder below them). */
const containers = new Set([
  'src',
  'lib',
  'source',
  'sources',
  'app',
  'internal',
  'pkg',
  'shared',
  'modules',
  'common',
  'test',
  'tests',
  '__tests__',
  'spec',
  'docs',
  'doc',
  'support',
  'helpers',
  'fixtures',
  'e2e',
]);
/** Folders of a monorepo whose next segment is a package name. */
const workspaces = new Set(['packages', 'apps', 'crates', 'services', 'plugins', 'libs', 'projects']);
/** Layers that are containers but also a scope when a change spans them. */
const layers = new Set(['kernel', 'core']);

interface PathScope {
  scope: string | null;
  layer: string | null;
}

export function scopeOfPath(path: string): PathScope {
  const segments = path.split('/').filter(Boolean);
  const file = segments.pop() ?? '';
  const stem = file.replace(/^\./, '').split('.')[0]?.toLowerCase() ?? '';
  if (segments.length >= 2 && workspaces.has(segments[0] ?? ''))
    return { scope: segments[1] ?? null, layer: null };
  let layer: string | null = null;
  let underContainer = false;
  while (segments.length > 0) {
    const head = (segments[0] ?? '').toLowerCase();
    // Hidden folders (.github, .ci, .vscode) are tooling, not a part of the product.
    if (head.startsWith('.')) return { scope: null, layer: null };
    if (layers.has(head)) layer = head;
    else if (!containers.has(head)) break;
    else underContainer = true;
    segments.shift();
  }
  if (segments.length > 0) return { scope: (segments[0] ?? '').toLowerCase(), layer };
  if (layer) return { scope: layer, layer };
  // A page right under docs/ names its subject (docs/identity.md → identity).
  if (underContainer && /^docs?\//i.test(path)) return { scope: stem || null, layer: null };
  return { scope: null, layer: null };
}

/**
 * The scope of the files that decided the type (the code for feat/fix/refactor, the tests for
 * test, the pages for docs); other files count a tenth. A scope with half the weight wins, else a
 * layer (kernel) with 60 %, else none.
 */
export function inferScope(facts: FileFacts[], focus: (f: FileFacts) => boolean): string | null {
  const weights = new Map<string, number>();
  const layerWeights = new Map<string, number>();
  let total = 0;
  for (const f of facts) {
    if (f.kind === 'lockfile') continue;
    const w = weight(f) * (focus(f) ? 1 : 0.1);
    total += w;
    const { scope, layer } = scopeOfPath(f.file.path);
    if (scope) weights.set(scope, (weights.get(scope) ?? 0) + w);
    if (layer) layerWeights.set(layer, (layerWeights.get(layer) ?? 0) + w);
  }
  if (total === 0) return null;
  const [best] = [...weights.entries()].sort((a, b) => b[1] - a[1]);
  if (best && best[1] / total >= 0.5) return best[0];
  const [bestLayer] = [...layerWeights.entries()].sort((a, b) => b[1] - a[1]);
  if (bestLayer && bestLayer[1] / total >= 0.6) return bestLayer[0];
  return null;
}

export function focusOf(type: string): (f: FileFacts) => boolean {
  if (type === 'docs') return (f) => f.kind === 'docs' || f.commentOnly;
  if (type === 'test') return (f) => f.kind === 'test';
  if (['build', 'ci', 'chore'].includes(type)) return () => true;
  return (f) => (f.kind === 'source' || f.kind === 'other' || f.kind === 'build') && !f.commentOnly;
}
