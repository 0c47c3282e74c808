import { describe, expect, it } from 'vitest';
import { languageOf, languageOfShebang, resolveLanguage } from './languages.js';

describe('languageOf', () => {
  it('maps file extensions and well-known file names to grammars', () => {
    expect(languageOf('src/app.ts')).toBe('typescript');
    expect(languageOf('src/App.TSX')).toBe('tsx');
    expect(languageOf('bin/keel.mjs')).toBe('javascript');
    expect(languageOf('C:\\work\\main.py')).toBe('python');
    expect(languageOf('lib/vector.hpp')).toBe('cpp');
    expect(languageOf('Program.cs')).toBe('c_sharp');
    expect(languageOf('build.gradle.kts')).toBe('kotlin');
    expect(languageOf('Gemfile')).toBe('ruby');
    expect(languageOf('scripts/setup.sh')).toBe('bash');
  });

  it('knows nothing of other files', () => {
    expect(languageOf('README.md')).toBeUndefined();
    expect(languageOf('Makefile')).toBeUndefined();
    expect(languageOf('.gitignore')).toBeUndefined();
    expect(languageOf('data.constructor')).toBeUndefined();
  });
});

describe('resolveLanguage', () => {
  it('takes grammar names and common aliases, in any case', () => {
    expect(resolveLanguage('TypeScript')).toBe('typescript');
    expect(resolveLanguage('c#')).toBe('c_sharp');
    expect(resolveLanguage('C++')).toBe('cpp');
    expect(resolveLanguage('shell')).toBe('bash');
    expect(resolveLanguage('cobol')).toBeUndefined();
    expect(resolveLanguage('toString')).toBeUndefined();
  });
});

describe('languageOfShebang', () => {
  it('reads the interpreter of a #! line', () => {
    expect(languageOfShebang('#!/usr/bin/env python3')).toBe('python');
    expect(languageOfShebang('#!/bin/bash')).toBe('bash');
    expect(languageOfShebang('#!/usr/bin/env node')).toBe('javascript');
    expect(languageOfShebang('// not a shebang')).toBeUndefined();
  });
});
