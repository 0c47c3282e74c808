import { describe, expect, it } from 'vitest';
import { findNonImperative } from './imperative.js';

describe('findNonImperative', () => {
  it.each([
    ['added login lockout', 'added', 'add', 'add login lockout'],
    ['Added login lockout', 'Added', 'Add', 'Add login lockout'],
    ['adds a retry', 'adds', 'add', 'add a retry'],
    ['adding tests for the parser', 'adding', 'add', 'add tests for the parser'],
    ['fixes #12', 'fixes', 'fix', 'fix #12'],
    ['fixed the crash on start', 'fixed', 'fix', 'fix the crash on start'],
    ['updated docs', 'updated', 'update', 'update docs'],
    ['changed the default port', 'changed', 'change', 'change the default port'],
    ['dropped Node 18', 'dropped', 'drop', 'drop Node 18'],
    ['applies the patch', 'applies', 'apply', null],
    ['made the cache optional', 'made', 'make', 'make the cache optional'],
    ['wrote a migration guide', 'wrote', 'write', 'write a migration guide'],
    ['refactoring parser', 'refactoring', 'refactor', 'refactor parser'],
    ['uses the shared client', 'uses', 'use', 'use the shared client'],
  ])('rewrites %j', (subject, word, imperative, fixed) => {
    expect(findNonImperative(subject)).toEqual({ word, imperative, fixed });
  });

  it.each([
    // A noun phrase or a sentence about a noun: flagged, not rewritten.
    ['logging improvements', 'logging', 'log'],
    ['changes to the API', 'changes', 'change'],
    ['refactoring of the parser', 'refactoring', 'refactor'],
    ['removed files are now ignored', 'removed', 'remove'],
    ['broken links in the README', 'broken', 'break'],
    ['tests pass again', 'tests', 'test'],
  ])('flags %j without rewriting it', (subject, word, imperative) => {
    expect(findNonImperative(subject)).toEqual({ word, imperative, fixed: null });
  });

  it.each([
    'add login lockout',
    'speed up the index',
    'embed fonts',
    'process queued jobs',
    'address review comments',
    'need-based scaling',
    'LED driver support',
    'README update',
    'bump deps',
    '로그인 잠금 추가',
    'ログインを追加',
    '`Added` is a column name now',
    '',
  ])('leaves %j alone', (subject) => {
    expect(findNonImperative(subject)).toBeNull();
  });
});
