import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaptureOptions } from './capture.types.js';

/**
 * Which changed files analysis leaves out: lock files, generated, vendored and minified files,
 * build output, images and other binaries, then the repository's `.keelignore` and patterns the
 * caller passes (a team's settings). Patterns use gitignore syntax; the last one that matches a
 * path decides, `!pattern` brings a path back, and a path under an ignored folder stays ignored.
 */

export const DEFAULT_IGNORE_PATTERNS: readonly string[] = [
  // Lock files: machine-written, and their size drowns the change that caused them.
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'Cargo.lock',
  'go.sum',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'Gemfile.lock',
  'composer.lock',
  'flake.lock',
  // Vendored code and build output.
  'node_modules/',
  'vendor/',
  'third_party/',
  'dist/',
  'coverage/',
  '__pycache__/',
  // Minified, bundled and generated files.
  '*.min.js',
  '*.min.css',
  '*.min.mjs',
  '*.bundle.js',
  '*.map',
  '*.pb.go',
  '*_pb2.py',
  '*_pb2_grpc.py',
  '*.generated.*',
  '*.g.dart',
  '__generated__/',
  // Images, media, archives, fonts and compiled objects.
  '*.png',
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.webp',
  '*.bmp',
  '*.ico',
  '*.tif',
  '*.tiff',
  '*.psd',
  '*.svg',
  '*.pdf',
  '*.mp3',
  '*.mp4',
  '*.mov',
  '*.avi',
  '*.webm',
  '*.wav',
  '*.zip',
  '*.gz',
  '*.tgz',
  '*.bz2',
  '*.xz',
  '*.7z',
  '*.rar',
  '*.jar',
  '*.war',
  '*.class',
  '*.exe',
  '*.dll',
  '*.so',
  '*.dylib',
  '*.a',
  '*.o',
  '*.obj',
  '*.pyc',
  '*.wasm',
  '*.woff',
  '*.woff2',
  '*.ttf',
  '*.otf',
  '*.eot',
];

interface CompiledPattern {
  /** The pattern as written (for the skip reason). */
  source: string;
  negated: boolean;
  /** Matches directories only (the pattern ended with `/`). */
  dirOnly: boolean;
  regex: RegExp;
}

export interface IgnoreMatcher {
  /** The pattern that ignores `path` (a file path relative to the root), or null. */
  match(path: string): string | null;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) {
      out += escapeChar(glob[++i] as string);
    } else if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` any leading folders; `/**` everything inside; a lone `**` anything.
          if (glob[i + 2] === '/') {
            out += '(?:[^/]*/)*';
            i += 2;
          } else {
            out += '.*';
            i += 1;
          }
          continue;
        }
        out += '[^/]*';
        i += 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else out += escapeChar(c);
  }
  return out;
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** Compiles one gitignore line; null for blank lines and comments. */
export function compilePattern(line: string): CompiledPattern | null {
  let text = line.replace(/\r$/, '');
  // Trailing spaces are ignored unless escaped.
  text = text.replace(/(?<!\\)\s+$/, '');
  if (text === '' || text.startsWith('#')) return null;
  let negated = false;
  if (text.startsWith('!')) {
    negated = true;
    text = text.slice(1);
  } else if (text.startsWith('\\!') || text.startsWith('\\#')) text = text.slice(1);
  const dirOnly = text.endsWith('/');
  if (dirOnly) text = text.slice(0, -1);
  if (text === '') return null;
  // A slash at the start or in the middle anchors the pattern at the root; otherwise it matches
  // a name at any depth.
  const anchored = text.includes('/');
  if (text.startsWith('/')) text = text.slice(1);
  const body = globToRegex(text);
  const regex = new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`);
  return { source: line.trim(), negated, dirOnly, regex };
}

/** A matcher over patterns in order (defaults first, then `.keelignore`, then the caller's). */
export function createIgnoreMatcher(patterns: readonly string[]): IgnoreMatcher {
  const compiled = patterns.map(compilePattern).filter((p): p is CompiledPattern => p !== null);
  // One regex for every pattern: most paths match none, and one test per path prefix says so.
  const any = new RegExp(compiled.map((p) => `(?:${p.regex.source})`).join('|') || '(?!)');
  const decide = (path: string, isDir: boolean): CompiledPattern | null => {
    let decision: CompiledPattern | null = null;
    for (const pattern of compiled) {
      if (pattern.dirOnly && !isDir) continue;
      if (pattern.regex.test(path)) decision = pattern;
    }
    return decision && !decision.negated ? decision : null;
  };
  return {
    match(path: string): string | null {
      if (compiled.length === 0) return null;
      const segments = path.split('/');
      // A file under an ignored folder cannot be brought back (as in git).
      for (let i = 1; i < segments.length; i++) {
        const dir = segments.slice(0, i).join('/');
        if (!any.test(dir)) continue;
        const hit = decide(dir, true);
        if (hit) return hit.source;
      }
      return any.test(path) ? (decide(path, false)?.source ?? null) : null;
    },
  };
}

/** Lines of a `.keelignore` file. */
export function parseIgnoreFile(text: string): string[] {
  return text.split('\n').filter((line) => compilePattern(line) !== null);
}

/** The matcher for a repository: the defaults, its `.keelignore`, then the caller's patterns. */
export async function ignoreFor(
  root: string,
  options: Pick<CaptureOptions, 'defaultIgnore' | 'keelignore' | 'ignore'>,
): Promise<IgnoreMatcher> {
  const patterns = options.defaultIgnore === false ? [] : [...DEFAULT_IGNORE_PATTERNS];
  if (options.keelignore !== false) {
    const text = await readFile(join(root, '.keelignore'), 'utf8').catch(() => '');
    patterns.push(...parseIgnoreFile(text));
  }
  patterns.push(...(options.ignore ?? []));
  return createIgnoreMatcher(patterns);
}
