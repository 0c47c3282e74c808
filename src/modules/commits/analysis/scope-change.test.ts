import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectChange } from '../capture/index.js';
import { createTestRepo, type TestRepo } from '../capture/test-repo.js';
import { scopeChange } from './scope-change.js';
import type { Scoping } from './scoping.types.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/** Commits `before`, writes `after` (null deletes), and scopes the working tree. */
async function scopeEdit(
  before: Record<string, string>,
  after: Record<string, string | null>,
  setup?: (repo: TestRepo) => void,
): Promise<Scoping> {
  const r = createTestRepo();
  repos.push(r);
  for (const [path, text] of Object.entries(before)) r.write(path, text);
  r.commit('before');
  for (const [path, text] of Object.entries(after)) {
    if (text === null) rmSync(join(r.dir, path));
    else r.write(path, text);
  }
  setup?.(r);
  return scopeChange(await collectChange(r.dir, { kind: 'working-tree' }));
}

const summary = (s: Scoping) =>
  s.elements
    .filter((e) => e.granularity === 'element')
    .map((e) => `${e.kind} ${e.element.qualifiedName} +${e.addedLines} -${e.removedLines}`)
    .sort();

const lines = (...l: string[]) => `${l.join('\n')}\n`;

const HEADER_TS = (guard: string[]) =>
  lines(
    "import { split } from './split.js';",
    '',
    'export interface Header {',
    '  name: string;',
    '  value: string;',
    '}',
    '',
    'export function parseHeader(text: string): Header | null {',
    ...guard,
    '  const [name, value] = split(text);',
    '  return { name: name.trim(), value: value.trim() };',
    '}',
    '',
    'export function formatHeader(header: Header): string {',
    "  return header.name + ': ' + header.value;",
    '}',
  );

describe('scopeChange', () => {
  it('finds a guard added to parseHeader: fix, scope parser', async () => {
    const s = await scopeEdit(
      { 'src/parser/header.ts': HEADER_TS([]) },
      { 'src/parser/header.ts': HEADER_TS(['  if (!text) return null;']) },
    );
    expect(s.top[0]).toMatchObject({
      id: 'src/parser/header.ts::parseHeader',
      kind: 'modified',
      guardAdded: true,
      addedLines: 1,
      removedLines: 0,
      element: { kind: 'function', name: 'parseHeader', exported: true, startLine: 8 },
    });
    expect(s.elements).toHaveLength(1);
    expect(s.scopeCandidates[0]?.value).toBe('parser');
    expect(s.typeCandidates[0]?.value).toBe('fix');
    expect(s.typeCandidates[0]?.reasons).toContain('a guard was added to parseHeader');
    expect(s.themes).toHaveLength(1);
    expect(s.themes[0]).toMatchObject({ scope: 'parser', type: { value: 'fix' } });
    expect(s.files[0]).toMatchObject({ analysis: 'elements', language: 'typescript' });
  });

  it('finds the guard in Python too, and scopes by the file name when the folder names nothing', async () => {
    const before = lines(
      'def parse_header(text):',
      '    name, value = text.split(":", 1)',
      '    return name, value',
    );
    const after = lines(
      'def parse_header(text):',
      '    if ":" not in text:',
      '        raise ValueError("no colon")',
      '    name, value = text.split(":", 1)',
      '    return name, value',
    );
    const s = await scopeEdit({ 'src/parser.py': before }, { 'src/parser.py': after });
    expect(s.top[0]).toMatchObject({ kind: 'modified', guardAdded: true, element: { name: 'parse_header' } });
    expect(s.scopeCandidates[0]?.value).toBe('parser');
  });

  it('sees a renamed function, and a renamed file with edits as modified elements', async () => {
    const util = lines(
      'export function computeTotal(items: number[]): number {',
      '  let total = 0;',
      '  for (const item of items) total += item;',
      '  return total;',
      '}',
      '',
      'export function average(items: number[]): number {',
      '  return computeTotal(items) / items.length;',
      '}',
    );
    const renamed = util
      .replace(/computeTotal/g, 'sum')
      .replace('let total = 0;', 'let total = 0; // running');
    const s = await scopeEdit({ 'src/math/util.ts': util }, { 'src/math/util.ts': renamed });
    expect(summary(s)).toEqual(['modified average +1 -1', 'renamed sum +2 -2']);
    expect(s.elements.find((e) => e.kind === 'renamed')?.previousName).toBe('computeTotal');
    expect(s.relations).toContainEqual({
      kind: 'calls',
      from: 'src/math/util.ts::average',
      to: 'src/math/util.ts::sum',
    });

    const body = Array.from({ length: 12 }, (_, i) => `  const v${i} = ${i};`);
    const before = lines('export function load() {', ...body, '  return 1;', '}');
    const moved = await scopeEdit({ 'src/a/loader.ts': before }, {}, (r) => {
      r.git('mv', 'src/a', 'src/b');
      r.write('src/b/loader.ts', before.replace('return 1;', 'return 2;'));
    });
    expect(moved.files[0]).toMatchObject({
      status: 'renamed',
      oldPath: 'src/a/loader.ts',
      path: 'src/b/loader.ts',
    });
    expect(summary(moved)).toEqual(['modified load +1 -1']);
  });

  it('reports added and removed declarations, and lines outside any declaration', async () => {
    const before = lines(
      "import { a } from './a.js';",
      'export function keep() {',
      '  return 1;',
      '}',
      'function gone() {',
      '  return 2;',
      '}',
    );
    const after = lines(
      "import { a, b } from './a.js';",
      'export function keep() {',
      '  return 1;',
      '}',
      'export class Fresh {',
      '  run(): number {',
      '    return 3;',
      '  }',
      '}',
    );
    const s = await scopeEdit({ 'src/m.ts': before }, { 'src/m.ts': after });
    // Git keeps the closing brace as context: `gone` loses two lines, `Fresh` gains one of its own.
    expect(summary(s)).toEqual(['added Fresh +1 -0', 'added Fresh.run +3 -0', 'removed gone +0 -2']);
    const fileLevel = s.elements.find((e) => e.granularity === 'file');
    expect(fileLevel).toMatchObject({
      file: 'src/m.ts',
      addedLines: 1,
      removedLines: 1,
      element: { kind: 'module' },
    });
    expect(s.elements.find((e) => e.kind === 'removed')?.element).toMatchObject({ startLine: 5, endLine: 7 });
  });

  it('scopes real code in Go, Java, Rust, C, C++ and JavaScript', async () => {
    const before = {
      'store/store.go': lines(
        'package store',
        '',
        'type Store struct {',
        '\titems map[string]int',
        '}',
        '',
        'func (s *Store) Get(key string) int {',
        '\treturn s.items[key]',
        '}',
      ),
      'app/src/Parser.java': lines(
        'package app;',
        'public class Parser {',
        '  public String parse(String text) {',
        '    return text.trim();',
        '  }',
        '}',
      ),
      'core/src/lib.rs': lines(
        'pub struct Parser;',
        'impl Parser {',
        '    pub fn parse(&self, text: &str) -> String {',
        '        text.trim().to_string()',
        '    }',
        '}',
      ),
      'native/buf.c': lines(
        'int buf_len(const char *s) {',
        '  int n = 0;',
        '  while (s[n]) n++;',
        '  return n;',
        '}',
      ),
      'native/widget.cpp': lines(
        'namespace ui {',
        'class Widget {',
        ' public:',
        '  int draw() { return 0; }',
        '};',
        '}',
      ),
      'web/app.js': lines('export function render(el) {', '  el.innerHTML = "";', '}'),
    };
    const after = {
      'store/store.go': `${before['store/store.go']}\nfunc (s *Store) Put(key string, v int) {\n\ts.items[key] = v\n}\n`,
      'app/src/Parser.java': before['app/src/Parser.java'].replace(
        '    return text.trim();',
        '    if (text == null) {\n      return "";\n    }\n    return text.trim();',
      ),
      'core/src/lib.rs': before['core/src/lib.rs'].replace(
        'text.trim().to_string()',
        'text.trim().to_lowercase()',
      ),
      'native/buf.c': before['native/buf.c'].replace('  int n = 0;', '  int n = 0;\n  if (!s) return 0;'),
      'native/widget.cpp': before['native/widget.cpp'].replace('return 0;', 'return layout();'),
      'web/app.js': before['web/app.js'].replace('el.innerHTML = "";', 'el.replaceChildren();'),
    };
    const s = await scopeEdit(before, after);
    expect(summary(s)).toEqual(
      [
        // The blank line above the new method goes with it.
        'added Store.Put +4 -0',
        'modified Parser.parse +3 -0',
        'modified Parser.parse +1 -1',
        'modified buf_len +1 -0',
        'modified render +1 -1',
        'modified ui.Widget.draw +1 -1',
      ].sort(),
    );
    const byFile = (path: string) => s.elements.find((e) => e.file === path && e.granularity === 'element');
    expect(byFile('app/src/Parser.java')?.guardAdded).toBe(true);
    expect(byFile('native/buf.c')?.guardAdded).toBe(true);
    expect(byFile('core/src/lib.rs')).toMatchObject({ calls: ['trim', 'to_string', 'to_lowercase'] });
    expect(byFile('native/widget.cpp')?.calls).toEqual(['layout']);
    expect(byFile('web/app.js')?.calls).toEqual(['replaceChildren']);
    expect(s.files.every((f) => f.analysis === 'elements')).toBe(true);
  });

  it('falls back to hunks for other files, binaries and submodules', async () => {
    const s = await scopeEdit(
      {
        'config/app.yml': 'port: 80\n',
        'lib/tool.rb': lines('def run', '  a', '  b', '  c', '  d', 'end'),
        'data.dat': '\0\x01',
      },
      {
        'config/app.yml': 'port: 8080\n',
        'lib/tool.rb': lines('def run', '  a', '  b', '  c', '  e', 'end'),
        'data.dat': '\0\x02',
      },
    );
    expect(Object.fromEntries(s.files.map((f) => [f.path, f.analysis]))).toEqual({
      'config/app.yml': 'hunks',
      'data.dat': 'binary',
      'lib/tool.rb': 'hunks',
    });
    const yml = s.elements.find((e) => e.file === 'config/app.yml');
    expect(yml).toMatchObject({ granularity: 'file', kind: 'modified', addedLines: 1, removedLines: 1 });
    expect(s.elements.find((e) => e.file === 'lib/tool.rb')?.element.signature).toBe('def run');
  });

  it('relates changed code: calls, imports, and a test beside its subject', async () => {
    const split = lines(
      'export function splitPair(text: string): [string, string] {',
      "  return ['', ''];",
      '}',
    );
    const header = HEADER_TS([]).replace(/\bsplit\b(?!\.js)/g, 'splitPair');
    const test = lines(
      "import { parseHeader } from './header.js';",
      "it('parses', () => {",
      "  parseHeader('a: b');",
      '});',
    );
    const s = await scopeEdit(
      { 'src/parser/split.ts': split, 'src/parser/header.ts': header, 'test/parser/header.test.ts': test },
      {
        'src/parser/split.ts': split.replace("['', '']", 'text.split(":") as [string, string]'),
        'src/parser/header.ts': header.replace(
          'const [name, value] = splitPair(text);',
          'const [name, value] = splitPair(text.trim());',
        ),
        'test/parser/header.test.ts': test.replace("'a: b'", "'a:b'"),
      },
    );
    expect(s.relations).toContainEqual({
      kind: 'calls',
      from: 'src/parser/header.ts::parseHeader',
      to: 'src/parser/split.ts::splitPair',
    });
    expect(s.relations).toContainEqual({
      kind: 'imports',
      from: 'src/parser/header.ts',
      to: 'src/parser/split.ts',
    });
    expect(s.elements.find((e) => e.element.name === 'splitPair')?.referencedBy).toEqual([
      'src/parser/header.ts::parseHeader',
    ]);
    expect(s.themes).toHaveLength(1);
    expect(s.relatedThemes).toBe(true);
    const testElement = s.elements.find((e) => e.file.startsWith('test/'));
    expect(testElement?.test).toBe(true);
  });

  it('ranks the Top-10 and groups unrelated work into separate themes', async () => {
    const fns = (prefix: string, n: number, body: (i: number) => string) =>
      lines(...Array.from({ length: n }, (_, i) => `export function ${prefix}${i}() {\n  ${body(i)}\n}`));
    const before = {
      'src/billing/invoice.ts': fns('invoice', 8, (i) => `return ${i};`),
      'src/search/query.ts': fns('query', 8, (i) => `return ${i};`),
    };
    const after = {
      'src/billing/invoice.ts': fns(
        'invoice',
        8,
        (i) => `return ${i} * 2;\n  // more\n  // lines ${'x'.repeat(i)}`,
      ),
      'src/search/query.ts': fns('query', 8, (i) => (i < 3 ? `return ${i + 1};` : `return ${i};`)),
    };
    const s = await scopeEdit(before, after);
    expect(s.elements).toHaveLength(11);
    expect(s.top).toHaveLength(10);
    expect(s.top.map((e) => e.score)).toEqual([...s.top.map((e) => e.score)].sort((a, b) => b - a));
    expect(s.top[0]?.file).toBe('src/billing/invoice.ts');
    expect(s.themes.map((t) => t.scope)).toEqual(['billing', 'search']);
    expect(s.themes[0]?.files).toEqual(['src/billing/invoice.ts']);
    expect(s.relatedThemes).toBe(false);
  });

  it('reads only the changed members of a large class, with the same answer', async () => {
    const method = (i: number, body = `return this.items.get(key) ?? ${i};`) => [
      `  get${i}(key: string): number {`,
      `    ${body}`,
      '  }',
      '',
    ];
    const file = (methods: string[][]) =>
      lines(
        "import { x } from './x.js';",
        '',
        'export class Store {',
        '  private items = new Map<string, number>();',
        '',
        ...methods.flat(),
        '}',
      );
    const before = file(Array.from({ length: 20 }, (_, i) => method(i)));
    const afterMethods = Array.from({ length: 20 }, (_, i) => method(i));
    afterMethods[4] = method(4, 'if (!key) return 0;\n    return this.items.get(key) ?? 4;');
    afterMethods.splice(12, 1); // get12 removed
    afterMethods.splice(15, 0, method(99)); // get99 added
    const s = await scopeEdit({ 'src/store.ts': before }, { 'src/store.ts': file(afterMethods) });
    expect(summary(s)).toEqual([
      'added Store.get99 +4 -0',
      'modified Store.get4 +1 -0',
      'removed Store.get12 +0 -4',
    ]);
    expect(s.elements.find((e) => e.element.name === 'get4')?.guardAdded).toBe(true);
  });

  it('scopes a file that is not UTF-8', async () => {
    const before = Buffer.from('/* caf\xe9 */\nint total(int a) {\n  return a;\n}\n', 'latin1').toString(
      'latin1',
    );
    const s = await scopeEdit({}, {}, (r) => {
      r.write('legacy.c', Buffer.from(before, 'latin1'));
      r.commit('latin1');
      r.write('legacy.c', Buffer.from(before.replace('return a;', 'return a * 2; /* cr\xe8me */'), 'latin1'));
    });
    expect(summary(s)).toEqual(['modified total +1 -1']);
    expect(s.elements[0]?.changes[1]?.text).toBe('  return a * 2; /* crème */');
  });

  it('keeps type candidates honest for lock-file-only changes', async () => {
    const s = await scopeEdit(
      { 'package-lock.json': '{"a":1}\n', 'README.md': 'x\n' },
      { 'package-lock.json': '{"a":2}\n' },
    );
    expect(s.elements).toEqual([]);
    expect(s.skipped).toHaveLength(1);
    expect(s.typeCandidates[0]?.value).toBe('chore');
    expect(s.scopeCandidates[0]?.value).toBe('deps');
  });
});
