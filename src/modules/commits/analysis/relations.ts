import { posix } from 'node:path';
import type { AnalysisLanguage } from './languages.js';
import type { ChangedElement, Relation } from './scoping.types.js';

/**
 * Relations among the changed code: a changed line that calls or names another changed element
 * (`calls`, `references`), and a changed file that imports another changed file (`imports`,
 * from the import statements of the whole file, resolved the way each language resolves them).
 */

/** Names too common to say that one piece of code refers to another. */
const COMMON_NAMES = new Set([
  'constructor',
  'init',
  '__init__',
  'new',
  'main',
  'get',
  'set',
  'run',
  'add',
  'test',
  'value',
  'default',
  'toString',
  'String',
  'Error',
  'len',
  'map',
  'filter',
  'push',
]);

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** `calls` and `references` between changed elements, and each element's referrers. */
export function elementRelations(elements: readonly ChangedElement[]): Relation[] {
  const byName = new Map<string, ChangedElement[]>();
  for (const e of elements) {
    if (e.granularity !== 'element') continue;
    const name = e.element.name;
    if (name.length < 3 || COMMON_NAMES.has(name)) continue;
    byName.set(name, [...(byName.get(name) ?? []), e]);
  }
  const relations: Relation[] = [];
  if (byName.size === 0) return relations;
  for (const from of elements) {
    const named = new Set<string>();
    for (const change of from.changes)
      for (const m of change.text.matchAll(IDENTIFIER)) if (byName.has(m[0])) named.add(m[0]);
    for (const name of named) {
      const targets = (byName.get(name) ?? []).filter((t) => t.id !== from.id);
      // Several elements share the name: prefer the one in the same file.
      const local = targets.filter((t) => t.file === from.file);
      for (const to of (local.length > 0 ? local : targets).slice(0, 3)) {
        relations.push({
          kind: from.calls.includes(name) ? 'calls' : 'references',
          from: from.id,
          to: to.id,
        });
        if (!to.referencedBy.includes(from.id)) to.referencedBy.push(from.id);
      }
    }
  }
  return relations;
}

const JS_IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(?\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;
const PY_IMPORT = /^\s*from\s+(\.*)([\w.]*)\s+import\s+([\w*, ()]+)|^\s*import\s+([\w.]+)/gm;
const GO_IMPORT_BLOCK = /^import\s*\(([\s\S]*?)^\)/gm;
const GO_IMPORT = /^import\s+(?:[\w.]+\s+)?"([^"]+)"/gm;
const JAVA_IMPORT = /^\s*import\s+(?:static\s+)?([\w.]+(?:\.\*)?)\s*;/gm;
const RUST_USE = /^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+((?:crate|self|super)(?:::\w+)+)/gm;
const RUST_MOD = /^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;/gm;
const C_INCLUDE = /^\s*#\s*include\s+"([^"]+)"/gm;

const stripExtension = (path: string) =>
  path.replace(/\.(?:[cm]?[jt]sx?|py|go|java|rs|c|cc|cpp|cxx|h|hh|hpp)$/, '');

/** Which of `changed` (paths) the file at `path` imports, judging by its text. */
export function importedFiles(
  path: string,
  language: AnalysisLanguage | null,
  text: string,
  changed: readonly string[],
): string[] {
  const dir = posix.dirname(path);
  const bare = new Map<string, string>();
  for (const other of changed) if (other !== path) bare.set(stripExtension(other), other);
  const found = new Set<string>();
  const exact = (candidate: string) => {
    const normalized = posix.normalize(candidate);
    const hit = bare.get(normalized) ?? bare.get(`${normalized}/index`) ?? bare.get(`${normalized}/mod`);
    if (hit) found.add(hit);
  };
  const suffix = (modulePath: string) => {
    for (const [stem, other] of bare) {
      const module = stem.replace(/\/(?:__init__|mod|index)$/, '');
      if (module === modulePath || module.endsWith(`/${modulePath}`)) found.add(other);
    }
  };
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      for (const m of text.matchAll(JS_IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (spec?.startsWith('.')) exact(stripExtension(posix.join(dir, spec)));
      }
      break;
    case 'python':
      for (const m of text.matchAll(PY_IMPORT)) {
        if (m[4]) {
          suffix(m[4].replace(/\./g, '/'));
          continue;
        }
        const dots = m[1]?.length ?? 0;
        let base = dots > 0 ? posix.join(dir, ...Array(dots - 1).fill('..')) : '';
        const module = (m[2] ?? '').replace(/\./g, '/');
        if (dots === 0) {
          suffix(module);
          for (const name of (m[3] ?? '').split(/[\s,()]+/).filter(Boolean)) suffix(`${module}/${name}`);
          continue;
        }
        base = module ? posix.join(base, module) : base;
        exact(base);
        for (const name of (m[3] ?? '').split(/[\s,()]+/).filter((n) => n && n !== '*'))
          exact(posix.join(base, name));
      }
      break;
    case 'go': {
      const paths: string[] = [];
      for (const block of text.matchAll(GO_IMPORT_BLOCK))
        for (const m of (block[1] ?? '').matchAll(/"([^"]+)"/g)) paths.push(m[1] as string);
      for (const m of text.matchAll(GO_IMPORT)) paths.push(m[1] as string);
      for (const importPath of paths)
        for (const other of changed) {
          const otherDir = posix.dirname(other);
          if (
            other !== path &&
            otherDir !== '.' &&
            (importPath === otherDir || importPath.endsWith(`/${otherDir}`))
          )
            found.add(other);
        }
      break;
    }
    case 'java':
      for (const m of text.matchAll(JAVA_IMPORT)) {
        const name = (m[1] as string).replace(/\.\*$/, '');
        suffix(name.replace(/\./g, '/'));
        if ((m[1] as string).endsWith('.*'))
          for (const other of changed)
            if (posix.dirname(other).endsWith(name.replace(/\./g, '/')) && other !== path) found.add(other);
      }
      break;
    case 'rust':
      for (const m of text.matchAll(RUST_USE)) {
        const parts = (m[1] as string).split('::').slice(1);
        for (let n = parts.length; n > 0; n--) suffix(parts.slice(0, n).join('/'));
      }
      for (const m of text.matchAll(RUST_MOD)) exact(posix.join(dir, m[1] as string));
      break;
    case 'c':
    case 'cpp':
      for (const m of text.matchAll(C_INCLUDE)) {
        const spec = m[1] as string;
        const local = posix.normalize(posix.join(dir, spec));
        for (const other of changed)
          if (other !== path && (other === local || other === spec || other.endsWith(`/${spec}`)))
            found.add(other);
      }
      break;
    default:
      break;
  }
  found.delete(path);
  return [...found];
}
