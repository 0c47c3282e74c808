/** Languages the code embedding parses: each has `tree-sitter-<name>.wasm` in `tree-sitter-wasms`. */
export const CODE_LANGUAGES = [
  'typescript',
  'tsx',
  'javascript',
  'python',
  'go',
  'java',
  'rust',
  'c',
  'cpp',
  'c_sharp',
  'ruby',
  'php',
  'kotlin',
  'swift',
  'bash',
] as const;

export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

const BY_EXTENSION: Record<string, CodeLanguage> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  // tree-sitter-javascript parses JSX too.
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  py: 'python',
  pyi: 'python',
  pyw: 'python',
  go: 'go',
  java: 'java',
  rs: 'rust',
  c: 'c',
  // `.h` is shared by C, C++ and Objective-C; C parses the common subset.
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  'c++': 'cpp',
  hh: 'cpp',
  hpp: 'cpp',
  hxx: 'cpp',
  'h++': 'cpp',
  ipp: 'cpp',
  cs: 'c_sharp',
  csx: 'c_sharp',
  rb: 'ruby',
  rake: 'ruby',
  gemspec: 'ruby',
  ru: 'ruby',
  php: 'php',
  phtml: 'php',
  kt: 'kotlin',
  kts: 'kotlin',
  swift: 'swift',
  sh: 'bash',
  bash: 'bash',
  zsh: 'bash',
  ksh: 'bash',
};

const BY_FILE_NAME: Record<string, CodeLanguage> = {
  rakefile: 'ruby',
  gemfile: 'ruby',
  podfile: 'ruby',
  vagrantfile: 'ruby',
  '.bashrc': 'bash',
  '.bash_profile': 'bash',
  '.profile': 'bash',
  '.zshrc': 'bash',
};

/** Names people write for a language (`ts`, `c#`, `shell`…) → the grammar's name. */
const ALIASES: Record<string, CodeLanguage> = {
  ts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  node: 'javascript',
  py: 'python',
  python3: 'python',
  golang: 'go',
  rs: 'rust',
  'c++': 'cpp',
  cxx: 'cpp',
  cs: 'c_sharp',
  csharp: 'c_sharp',
  'c#': 'c_sharp',
  rb: 'ruby',
  kt: 'kotlin',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
};

export function isCodeLanguage(name: string): name is CodeLanguage {
  return (CODE_LANGUAGES as readonly string[]).includes(name);
}

/**
 * The language of a file from its name: `languageOf('src/app.ts') === 'typescript'`,
 * `languageOf('Gemfile') === 'ruby'`; `undefined` for anything else (`README.md`, `Makefile`).
 */
export function languageOf(path: string): CodeLanguage | undefined {
  const name = (path.split(/[\\/]/).pop() ?? '').toLowerCase();
  const byName = BY_FILE_NAME[name];
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  if (dot < 0) return undefined;
  const extension = name.slice(dot + 1);
  return Object.hasOwn(BY_EXTENSION, extension) ? BY_EXTENSION[extension] : undefined;
}

/** A language given by name or alias (`'TypeScript'`, `'ts'`, `'c#'`); `undefined` if unknown. */
export function resolveLanguage(name: string): CodeLanguage | undefined {
  const key = name.trim().toLowerCase();
  if (isCodeLanguage(key)) return key;
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}

const SHEBANGS: Array<[RegExp, CodeLanguage]> = [
  [/\b(?:ba|z|k)?sh\b/, 'bash'],
  [/\bpython[0-9.]*\b/, 'python'],
  [/\b(?:node|deno|bun)\b/, 'javascript'],
  [/\bruby\b/, 'ruby'],
  [/\bphp\b/, 'php'],
];

/** The language named by a `#!` first line (`#!/usr/bin/env python3` → python), if any. */
export function languageOfShebang(firstLine: string): CodeLanguage | undefined {
  if (!firstLine.startsWith('#!')) return undefined;
  for (const [pattern, language] of SHEBANGS) if (pattern.test(firstLine)) return language;
  return undefined;
}
