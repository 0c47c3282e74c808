import { describe, expect, it } from 'vitest';
import { extractElements } from './elements.js';
import type { CodeElement } from './scoping.types.js';

const brief = (elements: CodeElement[]) =>
  elements.map(
    (e) => `${e.kind} ${e.qualifiedName} ${e.startLine}-${e.endLine}${e.exported ? ' exported' : ''}`,
  );

describe('extractElements', () => {
  it('reads TypeScript: functions, arrow functions, classes, methods, interfaces, enums, types, namespaces', async () => {
    const source = [
      "import { readFile } from 'node:fs';",
      '',
      '/** Parses headers. */',
      'export class HeaderParser<T> extends Base implements Parser {',
      '  private cache = new Map<string, T>();',
      '  onError = (error: Error) => {',
      '    this.log(error);',
      '  };',
      '  constructor(private readonly strict: boolean) {',
      '    super();',
      '  }',
      '  parseHeader(text: string): Header | null {',
      '    return split(text);',
      '  }',
      '  private reset(): void {}',
      '}',
      '',
      'export interface Header {',
      '  name: string;',
      '}',
      'export enum Level { Low, High }',
      'export type Pair = [string, string];',
      'function split(text: string) {',
      "  return text.split(':');",
      '}',
      'export const trim = async (value: string) => value.trim();',
      'namespace Internal {',
      '  export function helper() {}',
      '}',
    ].join('\n');
    expect(brief(await extractElements('typescript', source))).toEqual([
      'class HeaderParser 4-16 exported',
      'method HeaderParser.onError 6-8 exported',
      'method HeaderParser.constructor 9-11 exported',
      'method HeaderParser.parseHeader 12-14 exported',
      'method HeaderParser.reset 15-15',
      'interface Header 18-20 exported',
      'enum Level 21-21 exported',
      'type Pair 22-22 exported',
      'function split 23-25',
      'function trim 26-26 exported',
      'module Internal 27-29',
      'function Internal.helper 28-28',
    ]);
    const [parser] = await extractElements('typescript', source);
    expect(parser?.signature).toBe('export class HeaderParser<T> extends Base implements Parser {');
  });

  it('reads TSX and JavaScript', async () => {
    const tsx = 'export function Button({ label }: Props) {\n  return <button>{label}</button>;\n}\n';
    expect(brief(await extractElements('tsx', tsx))).toEqual(['function Button 1-3 exported']);
    const js = [
      'export class Store {',
      '  #items = [];',
      '  add = (item) => { this.#items.push(item); };',
      '  get(id) { return this.#items[id]; }',
      '}',
      'const helper = function () {};',
      'module.exports = { Store };',
    ].join('\n');
    expect(brief(await extractElements('javascript', js))).toEqual([
      'class Store 1-5 exported',
      'method Store.add 3-3 exported',
      'method Store.get 4-4 exported',
      'function helper 6-6',
    ]);
  });

  it('reads Python: decorated functions, classes and methods', async () => {
    const source = [
      'import os',
      '',
      '@cache',
      'def parse_header(text):',
      '    if not text:',
      '        return None',
      '    return text.split(":")',
      '',
      'class Reader(Base):',
      '    def __init__(self, path):',
      '        self.path = path',
      '',
      '    def _open(self):',
      '        return open(self.path)',
    ].join('\n');
    expect(brief(await extractElements('python', source))).toEqual([
      'function parse_header 3-7 exported',
      'class Reader 9-14 exported',
      'method Reader.__init__ 10-11 exported',
      'method Reader._open 13-14',
    ]);
  });

  it('reads Go: functions, methods by receiver, structs, interfaces, types', async () => {
    const source = [
      'package store',
      '',
      'type Store struct {',
      '\titems map[string]int',
      '}',
      '',
      'type Getter interface {',
      '\tGet(key string) int',
      '}',
      '',
      'type ID = string',
      '',
      'func (s *Store) Get(key string) int {',
      '\treturn s.items[key]',
      '}',
      '',
      'func newStore() *Store {',
      '\treturn &Store{}',
      '}',
    ].join('\n');
    expect(brief(await extractElements('go', source))).toEqual([
      'struct Store 3-5 exported',
      'interface Getter 7-9 exported',
      'type ID 11-11 exported',
      'method Store.Get 13-15 exported',
      'function newStore 17-19',
    ]);
  });

  it('reads Java: classes, constructors, methods, nested types', async () => {
    const source = [
      'package app;',
      'public class Parser {',
      '  public Parser() {}',
      '  public Header parseHeader(String text) {',
      '    return null;',
      '  }',
      '  private void reset() {}',
      '  enum Mode { STRICT, LAX }',
      '}',
      'interface Source { String read(); }',
    ].join('\n');
    expect(brief(await extractElements('java', source))).toEqual([
      'class Parser 2-9 exported',
      'method Parser.Parser 3-3 exported',
      'method Parser.parseHeader 4-6 exported',
      'method Parser.reset 7-7',
      'enum Parser.Mode 8-8',
      'interface Source 10-10',
      'method Source.read 10-10',
    ]);
  });

  it('reads Rust: structs, enums, traits, impls and their methods, modules', async () => {
    const source = [
      'pub struct Parser { strict: bool }',
      'enum Mode { Strict, Lax }',
      'pub trait Parse {',
      '    fn parse(&self, text: &str) -> Option<Header>;',
      '}',
      'impl<T> Parser<T> {',
      '    pub fn new() -> Self { Parser { strict: true } }',
      '    fn reset(&mut self) {}',
      '}',
      'impl Parse for Parser {',
      '    fn parse(&self, text: &str) -> Option<Header> { None }',
      '}',
      'mod tests {',
      '    fn it_parses() {}',
      '}',
    ].join('\n');
    expect(brief(await extractElements('rust', source))).toEqual([
      'struct Parser 1-1 exported',
      'enum Mode 2-2',
      'trait Parse 3-5 exported',
      'method Parse.parse 4-4 exported',
      'impl Parser 6-9 exported',
      'method Parser.new 7-7 exported',
      'method Parser.reset 8-8',
      'impl Parser 10-12 exported',
      'method Parser.parse 11-11 exported',
      'module tests 13-15',
      'function tests.it_parses 14-14',
    ]);
  });

  it('reads C: functions (through pointer declarators), structs, typedefs, enums', async () => {
    const source = [
      '#include "header.h"',
      'struct header { const char *name; };',
      'typedef struct { int len; } buffer;',
      'enum mode { STRICT, LAX };',
      'static char *trim(char *s) {',
      '  return s;',
      '}',
      'int parse_header(const char *text, struct header *out) {',
      '  if (!text) return -1;',
      '  return 0;',
      '}',
    ].join('\n');
    expect(brief(await extractElements('c', source))).toEqual([
      'struct header 2-2 exported',
      'struct buffer 3-3 exported',
      'enum mode 4-4 exported',
      'function trim 5-7',
      'function parse_header 8-11 exported',
    ]);
  });

  it('reads C++: namespaces, classes, in-class and out-of-class methods, templates', async () => {
    const source = [
      'namespace text {',
      'class Parser {',
      ' public:',
      '  int parse() { return 0; }',
      '  void reset();',
      '};',
      'void Parser::reset() {}',
      '}',
      'template <typename T> T twice(T t) { return t + t; }',
    ].join('\n');
    expect(brief(await extractElements('cpp', source))).toEqual([
      'module text 1-8 exported',
      'class text.Parser 2-6 exported',
      'method text.Parser.parse 4-4 exported',
      'function text.Parser.reset 7-7 exported',
      'function twice 9-9 exported',
    ]);
  });
});
