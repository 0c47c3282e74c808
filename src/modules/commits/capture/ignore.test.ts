import { describe, expect, it } from 'vitest';
import { createIgnoreMatcher, DEFAULT_IGNORE_PATTERNS, parseIgnoreFile } from './ignore.js';

describe('ignore patterns', () => {
  it('follows gitignore: names at any depth, anchored paths, folders, globs, negation', () => {
    const match = createIgnoreMatcher([
      '*.log',
      '/build/',
      'docs/**/*.pdf',
      'tmp/',
      '!keep.log',
      'a?c.txt',
      'data[0-9].csv',
      '\\#hash',
    ]).match;
    expect(match('server.log')).toBe('*.log');
    expect(match('deep/in/tree/server.log')).toBe('*.log');
    expect(match('keep.log')).toBeNull();
    expect(match('build/out.js')).toBe('/build/');
    expect(match('src/build/out.js')).toBeNull();
    expect(match('docs/a/b/manual.pdf')).toBe('docs/**/*.pdf');
    expect(match('docs/manual.pdf')).toBe('docs/**/*.pdf');
    expect(match('x/tmp/file.ts')).toBe('tmp/');
    expect(match('tmp')).toBeNull(); // a file named tmp is not the folder
    expect(match('abc.txt')).toBe('a?c.txt');
    expect(match('ab/c.txt')).toBeNull();
    expect(match('data7.csv')).toBe('data[0-9].csv');
    expect(match('#hash')).toBe('\\#hash');
    expect(match('src/main.ts')).toBeNull();
  });

  it('keeps a file under an ignored folder ignored, as git does', () => {
    const match = createIgnoreMatcher(['gen/', '!gen/keep.ts']).match;
    expect(match('gen/keep.ts')).toBe('gen/');
  });

  it('ignores lock files, vendored and generated code, build output and binaries by default', () => {
    const match = createIgnoreMatcher(DEFAULT_IGNORE_PATTERNS).match;
    for (const path of [
      'package-lock.json',
      'web/pnpm-lock.yaml',
      'Cargo.lock',
      'node_modules/x/index.js',
      'vendor/github.com/x/y.go',
      'web/dist/app.js',
      'static/app.min.js',
      'api/service.pb.go',
      'proto/msg_pb2.py',
      'src/client.generated.ts',
      'assets/logo.png',
      'fonts/x.woff2',
    ])
      expect(match(path), path).not.toBeNull();
    for (const path of ['src/app.ts', 'README.md', 'package.json', 'go.mod', 'distance.ts'])
      expect(match(path), path).toBeNull();
  });

  it('reads a .keelignore file, skipping comments and blank lines', () => {
    expect(parseIgnoreFile('# comment\n\nfixtures/\n  \n*.snap\n')).toEqual(['fixtures/', '*.snap']);
  });
});
