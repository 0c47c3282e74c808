import type { FileDiff } from './diff.js';

/**
 * Facts about a diff that commit-message rules decide on: what kind each file is, which
 * declarations and test cases appear or disappear, and signals in the changed lines (comments
 * only, formatting only, duplicated lines removed, error handling, performance wording).
 */

export type FileKind =
  | 'source'
  | 'test'
  | 'docs'
  | 'ci'
  | 'build'
  | 'config'
  | 'manifest'
  | 'lockfile'
  | 'other';

export type Lang = 'js' | 'py' | 'go' | 'rust' | 'jvm' | 'ruby' | 'shell' | 'sql' | 'yaml';

export interface Declaration {
  name: string;
  kind: 'function' | 'class' | 'type' | 'const' | 'method';
  exported: boolean;
}

export interface DependencyChange {
  name: string;
  from: string | null;
  to: string | null;
  dev: boolean;
}

export interface FileFacts {
  file: FileDiff;
  kind: FileKind;
  lang: Lang | null;
  /** Non-blank added and removed lines. */
  addedCount: number;
  removedCount: number;
  addedDeclarations: Declaration[];
  removedDeclarations: Declaration[];
  /** Exported declarations that are gone, or no longer exported. */
  exportsWithdrawn: string[];
  /** Declarations whose body changed (from hunk headers and from declarations on both sides). */
  changedDeclarations: string[];
  addedTests: string[];
  removedTests: string[];
  /** Every changed line is a comment (or blank). */
  commentOnly: boolean;
  /** The change only moves whitespace, trailing commas, semicolons or quote style. */
  formattingOnly: boolean;
  /** Every changed line is an import or export-from line. */
  importsOnly: boolean;
  /** Added comment lines, without their comment markers. */
  addedComments: string[];
  /** Removed lines that repeat a line that stays (a duplicate removed). */
  duplicateRemovals: number;
  /** Dependency changes read from a manifest. */
  dependencies: DependencyChange[];
  /** A manifest change outside its dependency lists (scripts, metadata). */
  manifestOther: boolean;
}

const lockfiles = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'cargo.lock',
  'go.sum',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'gemfile.lock',
  'composer.lock',
]);
const manifests = new Set([
  'package.json',
  'go.mod',
  'cargo.toml',
  'pyproject.toml',
  'pipfile',
  'gemfile',
  'composer.json',
]);

/** Classifies a path; the first matching rule wins. */
export function fileKind(path: string): FileKind {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (lockfiles.has(base)) return 'lockfile';
  if (manifests.has(base) || /^requirements[\w.-]*\.txt$/.test(base)) return 'manifest';
  if (
    /^\.github\/(workflows|actions)\//.test(lower) ||
    /^\.(circleci|ci|buildkite|woodpecker)\//.test(lower) ||
    /^(\.gitlab-ci\.yml|azure-pipelines\.ya?ml|jenkinsfile|\.travis\.yml|bitbucket-pipelines\.yml|\.drone\.yml)$/.test(
      lower,
    )
  )
    return 'ci';
  if (
    /\.(test|spec|e2e)\.[^./]+$/.test(base) ||
    /(^|\/)(test|tests|__tests__|__mocks__|spec|specs|e2e|testdata|fixtures|bench|benchmarks?)\//.test(
      lower,
    ) ||
    /\.bench\.[^./]+$/.test(base) ||
    /_test\.(go|py|rb|exs?)$/.test(base) ||
    /^test_.*\.py$/.test(base) ||
    /^(vitest|jest|playwright|karma|cypress)\.config\.[^.]+$/.test(base)
  )
    return 'test';
  if (
    /\.(md|mdx|rst|adoc|asciidoc)$/.test(base) ||
    /^(docs?|documentation)\//.test(lower) ||
    /^(license|licence|notice|authors|contributors)(\.\w+)?$/.test(base)
  )
    return 'docs';
  if (
    /^(dockerfile|containerfile)(\..+)?$/.test(base) ||
    /\.dockerfile$/.test(base) ||
    /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(base) ||
    /^(makefile|gnumakefile|cmakelists\.txt|justfile|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|pom\.xml|setup\.py|setup\.cfg|meson\.build|build\.rs|\.nvmrc|\.node-version|\.npmrc|\.tool-versions)$/.test(
      base,
    ) ||
    /\.cmake$/.test(base) ||
    /^tsconfig(\.[\w-]+)?\.json$/.test(base) ||
    /^(esbuild|webpack|rollup|vite|tsup|babel|swc|turbo|nx)\.config\.[^.]+$/.test(base) ||
    /^\.babelrc$/.test(base) ||
    /^bin\/(bundle|build)[^/]*$/.test(lower) ||
    /^scripts\/build[^/]*$/.test(lower)
  )
    return 'build';
  if (
    /^(biome\.jsonc?|\.eslintrc(\.\w+)?|eslint\.config\.[^.]+|\.prettierrc(\.\w+)?|prettier\.config\.[^.]+|\.editorconfig|\.gitignore|\.gitattributes|\.dockerignore|\.npmignore|renovate\.json5?|\.markdownlint[\w.]*|\.stylelintrc[\w.]*|codeowners|\.pre-commit-config\.yaml|dependabot\.yml|\.mailmap)$/.test(
      base,
    ) ||
    /^\.vscode\//.test(lower) ||
    /^\.idea\//.test(lower)
  )
    return 'config';
  if (
    langOf(path) !== null ||
    /\.(tsx?|jsx?|vue|svelte|css|scss|html|c|h|cc|cpp|hpp|cs|swift|php|ex|exs|lua)$/.test(base)
  )
    return 'source';
  return 'other';
}

export function langOf(path: string): Lang | null {
  const ext = path.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  if (['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts'].includes(ext)) return 'js';
  if (ext === 'py') return 'py';
  if (ext === 'go') return 'go';
  if (ext === 'rs') return 'rust';
  if (['java', 'kt', 'kts', 'scala', 'cs'].includes(ext)) return 'jvm';
  if (ext === 'rb') return 'ruby';
  if (['sh', 'bash', 'zsh'].includes(ext) || !path.slice(path.lastIndexOf('/') + 1).includes('.'))
    return 'shell';
  if (ext === 'sql') return 'sql';
  if (['yml', 'yaml', 'toml'].includes(ext)) return 'yaml';
  return null;
}

const notNames = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'function',
  'return',
  'with',
  'else',
  'do',
  'try',
  'new',
  'typeof',
  'await',
  'super',
  'this',
  'constructor',
]);

/** The declaration a line starts, if any (a line-based reading, not a parser). */
export function declarationOf(line: string, lang: Lang | null): Declaration | null {
  let m: RegExpExecArray | null;
  switch (lang) {
    case 'js': {
      m = /^\s*export\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/.exec(
        line,
      );
      if (m?.[1]) return { name: m[1], kind: 'function', exported: true };
      m = /^\s*export\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'class', exported: true };
      m = /^\s*export\s+(?:declare\s+)?(?:interface|type|enum|const\s+enum)\s+([A-Za-z_$][\w$]*)/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'type', exported: true };
      m = /^\s*export\s+(?:declare\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)/.exec(line);
      if (m?.[1]) return { name: m[1], kind: isArrow(line) ? 'function' : 'const', exported: true };
      m = /^\s*(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'function', exported: false };
      m = /^\s*(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'class', exported: false };
      m = /^(?:interface|type|enum)\s+([A-Za-z_$][\w$]*)\b/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'type', exported: false };
      m =
        /^\s*(?:const|let)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>/.exec(
          line,
        );
      if (m?.[1]) return { name: m[1], kind: 'function', exported: false };
      m =
        /^\s+(?:(?:public|private|protected|static|readonly|override|async|get|set)\s+)*([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\([^()]*\)\s*(?::\s*[^={}]+)?\{\s*$/.exec(
          line,
        );
      if (m?.[1] && !notNames.has(m[1])) return { name: m[1], kind: 'method', exported: false };
      return null;
    }
    case 'py': {
      m = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(line);
      if (m?.[2])
        return {
          name: m[2],
          kind: m[1] ? 'method' : 'function',
          exported: !m[1] && !m[2].startsWith('_'),
        };
      m = /^class\s+([A-Za-z_]\w*)/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'class', exported: !m[1].startsWith('_') };
      return null;
    }
    case 'go': {
      m = /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'function', exported: /^[A-Z]/.test(m[1]) };
      m = /^type\s+([A-Za-z_]\w*)\s/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'type', exported: /^[A-Z]/.test(m[1]) };
      return null;
    }
    case 'rust': {
      m = /^\s*(pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z_]\w*)/.exec(line);
      if (m?.[2]) return { name: m[2], kind: 'function', exported: Boolean(m[1]) };
      m = /^\s*(pub(?:\([^)]*\))?\s+)?(?:struct|enum|trait|type)\s+([A-Za-z_]\w*)/.exec(line);
      if (m?.[2]) return { name: m[2], kind: 'type', exported: Boolean(m[1]) };
      return null;
    }
    case 'jvm': {
      m =
        /^\s*(public\s+|protected\s+|private\s+|internal\s+)?(?:abstract\s+|final\s+|sealed\s+|data\s+|open\s+)*(?:class|interface|enum|record|object)\s+([A-Za-z_]\w*)/.exec(
          line,
        );
      if (m?.[2]) return { name: m[2], kind: 'class', exported: !m[1]?.startsWith('private') };
      m =
        /^\s*(public\s+|protected\s+|private\s+|internal\s+)?(?:static\s+|final\s+|override\s+|suspend\s+|abstract\s+|synchronized\s+)*(?:fun\s+|[\w<>[\],? ]+\s+)([a-zA-Z_]\w*)\s*\([^)]*\)?\s*(?:throws [\w., ]+)?[^;]*\{?\s*$/.exec(
          line,
        );
      if (m?.[2] && !notNames.has(m[2]) && /\(/.test(line) && !/^\s*(return|new|else)\b/.test(line))
        return { name: m[2], kind: 'method', exported: Boolean(m[1]?.startsWith('public')) };
      return null;
    }
    case 'ruby': {
      m = /^\s*def\s+(?:self\.)?([a-z_]\w*[?!]?)/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'method', exported: true };
      m = /^\s*(?:class|module)\s+([A-Z]\w*)/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'class', exported: true };
      return null;
    }
    case 'shell': {
      m = /^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)\s*\{?/.exec(line);
      if (m?.[1]) return { name: m[1], kind: 'function', exported: false };
      return null;
    }
    default:
      return null;
  }
}

function isArrow(line: string): boolean {
  return /=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/.test(line);
}

/** A test case starting a line: `it('…'`, `test.each(…)('…'`, `it.skip("…"`. */
const testTitle =
  /^\s*(?:it|test)(?:\.(?:each\([^)]*\)|only|skip|concurrent|todo|fails))*\(\s*(['"`])(.+?)\1/;

/** The test case a line declares (it/test in JS, test_* in Python, Test* in Go). */
export function testTitleOf(line: string, lang: Lang | null): string | null {
  if (lang === 'js') {
    return testTitle.exec(line)?.[2] ?? null;
  }
  if (lang === 'py') return /^\s*(?:async\s+)?def\s+(test_\w+)/.exec(line)?.[1] ?? null;
  if (lang === 'go') return /^func\s+(Test\w+)\s*\(/.exec(line)?.[1] ?? null;
  if (lang === 'rust') return null;
  return null;
}

function commentText(line: string, lang: Lang | null): string | null {
  const trimmed = line.trim();
  if (trimmed === '') return null;
  const hashComments = lang === 'py' || lang === 'ruby' || lang === 'shell' || lang === 'yaml';
  const m =
    /^(?:\/\/+|\/\*+|\*+\/?|<!--)\s?(.*?)(?:\*\/|-->)?$/.exec(trimmed) ??
    (hashComments ? /^#+\s?(.*)$/.exec(trimmed) : null) ??
    (lang === 'sql' ? /^--\s?(.*)$/.exec(trimmed) : null) ??
    (lang === 'py' ? /^(?:"""|''')(.*?)(?:"""|''')?$/.exec(trimmed) : null);
  return m ? (m[1] ?? '') : null;
}

/** Code without its whitespace and the punctuation formatters add or drop. */
function formattingKey(lines: string[]): string {
  return lines
    .join('\n')
    .replace(/\s+/g, '')
    .replace(/,(?=[)\]}>])/g, '')
    .replace(/;/g, '')
    .replace(/"/g, "'");
}

const importLine =
  /^\s*(?:import\b|export\s+(?:\*|\{[^}]*\}|type\s+\{[^}]*\})\s+from\b|from\s+\S+\s+import\b|require\(|use\s|#include\b|\}\s*from\s+['"])/;

function dependencyChanges(file: FileDiff): { dependencies: DependencyChange[]; other: boolean } {
  const base = file.path.toLowerCase().slice(file.path.lastIndexOf('/') + 1);
  const found = new Map<string, DependencyChange>();
  let other = false;
  for (const hunk of file.hunks) {
    let section: string | null = null;
    for (const line of hunk.lines) {
      const text = line.text;
      const opened =
        /^\s*"(\w*[dD]ependencies)"\s*:\s*\{/.exec(text) ?? /^\s*\[([\w.-]*dependencies)\]/.exec(text);
      if (opened?.[1]) {
        section = opened[1];
        continue;
      }
      if (/^\s*\}/.test(text) && base === 'package.json') {
        if (line.kind === 'context') section = null;
        continue;
      }
      if (line.kind === 'context') continue;
      const entry =
        base === 'package.json'
          ? /^\s*"([^"]+)"\s*:\s*"([^"]*)",?\s*$/.exec(text)
          : base === 'go.mod'
            ? /^\s*(?:require\s+)?([\w.-]+\/[\w./-]+)\s+(v[\w.+-]+)/.exec(text)
            : /^requirements/.test(base)
              ? /^\s*([A-Za-z0-9_.-]+)\s*(?:[=<>~!]=?\s*([\w.*+-]+))?/.exec(text)
              : /^\s*([A-Za-z0-9_.-]+)\s*=\s*(?:"([^"]+)"|\{[^}]*version\s*=\s*"([^"]+)")/.exec(text);
      const inDependencies =
        base === 'package.json'
          ? section !== null
          : base === 'go.mod' || /^requirements/.test(base) || section !== null;
      if (!entry?.[1] || !inDependencies) {
        if (text.trim() !== '') other = true;
        continue;
      }
      const name = entry[1];
      const version = entry[2] ?? entry[3] ?? null;
      const change = found.get(name) ?? {
        name,
        from: null,
        to: null,
        dev: /^(dev|test)/i.test(section ?? ''),
      };
      if (line.kind === 'add') change.to = version;
      else change.from = version;
      found.set(name, change);
    }
  }
  return { dependencies: [...found.values()], other };
}

function declarationsIn(lines: string[], lang: Lang | null): Declaration[] {
  const out: Declaration[] = [];
  for (const line of lines) {
    const decl = declarationOf(line, lang);
    if (decl && !out.some((d) => d.name === decl.name)) out.push(decl);
  }
  return out;
}

/** Reads the facts of one file of a diff. */
export function analyzeFile(file: FileDiff): FileFacts {
  const kind = fileKind(file.path);
  const lang = langOf(file.path);
  const added = file.added.filter((l) => l.trim() !== '');
  const removed = file.removed.filter((l) => l.trim() !== '');
  const addedDecls = declarationsIn(file.added, lang);
  const removedDecls = declarationsIn(file.removed, lang);
  const removedNames = new Set(removedDecls.map((d) => d.name));
  const addedNames = new Set(addedDecls.map((d) => d.name));
  // Changed lines per enclosing declaration: the last declaration seen above each change (git's
  // hunk header names the one above the hunk). Most changed first.
  const changedLines = new Map<string, number>();
  for (const d of addedDecls) if (removedNames.has(d.name)) changedLines.set(d.name, 1);
  const count = (name: string | null, n: number) => {
    if (!name || n === 0 || addedNames.has(name) !== removedNames.has(name)) return;
    changedLines.set(name, (changedLines.get(name) ?? 0) + n);
  };
  for (const hunk of file.hunks) {
    let current = declarationOf(hunk.section, lang)?.name ?? null;
    // Changed comment lines belong to the declaration they document, which comes after them.
    let pendingComments = 0;
    for (const line of hunk.lines) {
      if (line.text.trim() === '') continue;
      const decl = declarationOf(line.text, lang);
      if (decl) {
        count(decl.name, pendingComments);
        pendingComments = 0;
        current = decl.name;
      }
      const comment = commentText(line.text, lang) !== null;
      if (line.kind !== 'context' && comment && !decl) {
        pendingComments++;
        continue;
      }
      if (!comment && !decl && pendingComments > 0) {
        count(current, pendingComments);
        pendingComments = 0;
      }
      if (line.kind !== 'context' && !decl) count(current, 1);
      else if (line.kind !== 'context' && decl && !addedNames.has(decl.name) && !removedNames.has(decl.name))
        count(decl.name, 1);
    }
    count(current, pendingComments);
  }
  const changed = [...changedLines.entries()].sort((x, y) => y[1] - x[1]).map(([name]) => name);
  // Only test files declare test cases (`.describe('…')` in a zod schema is not one).
  const titlesIn = (lines: string[]) =>
    kind === 'test' ? lines.map((l) => testTitleOf(l, lang)).filter((t): t is string => t !== null) : [];
  const addedTitles = titlesIn(file.added);
  const removedTitles = titlesIn(file.removed);
  const addedComments = added.map((l) => commentText(l, lang)).filter((t): t is string => t !== null);
  const commentOnly =
    added.length + removed.length > 0 && [...added, ...removed].every((l) => commentText(l, lang) !== null);
  const formattingOnly =
    added.length + removed.length > 0 && added.length > 0 && formattingKey(added) === formattingKey(removed);
  const importsOnly =
    added.length + removed.length > 0 && [...added, ...removed].every((l) => importLine.test(l));
  // A removed line that repeats a line that stays: the same text as context, an added line, or
  // another removed line of the same hunk.
  let duplicateRemovals = 0;
  for (const hunk of file.hunks) {
    const kept = new Set(hunk.lines.filter((l) => l.kind !== 'del').map((l) => l.text.trim()));
    const seen = new Set<string>();
    for (const line of hunk.lines) {
      const text = line.text.trim();
      // Closing brackets and other short lines repeat everywhere: not duplicates worth a name.
      if (line.kind !== 'del' || (text.match(/\w/g)?.length ?? 0) < 3) continue;
      if (kept.has(text) || seen.has(text)) duplicateRemovals++;
      seen.add(text);
    }
  }
  const deps = kind === 'manifest' ? dependencyChanges(file) : { dependencies: [], other: false };
  return {
    file,
    kind,
    lang,
    addedCount: added.length,
    removedCount: removed.length,
    addedDeclarations: addedDecls.filter((d) => !removedNames.has(d.name)),
    removedDeclarations: removedDecls.filter((d) => !addedNames.has(d.name)),
    exportsWithdrawn: removedDecls
      .filter((d) => d.exported && !addedDecls.some((a) => a.name === d.name && a.exported))
      .map((d) => d.name),
    changedDeclarations: changed,
    addedTests: addedTitles.filter((t) => !removedTitles.includes(t)),
    removedTests: removedTitles.filter((t) => !addedTitles.includes(t)),
    commentOnly,
    formattingOnly,
    importsOnly,
    addedComments,
    duplicateRemovals,
    dependencies: deps.dependencies,
    manifestOther: deps.other,
  };
}
