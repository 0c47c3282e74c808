import { describe, expect, it } from 'vitest';
import { charLength, wrapLines } from './wrap-body.js';

describe('wrapLines', () => {
  it('breaks a long line between words and leaves short lines alone', () => {
    expect(wrapLines(['one two three four five six', 'short'], 13)).toEqual([
      'one two three',
      'four five six',
      'short',
    ]);
  });

  it('never breaks a URL or a word longer than the width', () => {
    const url = 'https://example.com/a/very/long/path/that/goes/on';
    expect(wrapLines([`see ${url} for details`], 20)).toEqual(['see', url, 'for details']);
    expect(wrapLines([url], 20)).toEqual([url]);
  });

  it('keeps a code span whole, spaces and all', () => {
    expect(wrapLines(['run `git commit --amend --no-edit` after it'], 20)).toEqual([
      'run',
      '`git commit --amend --no-edit`',
      'after it',
    ]);
    expect(wrapLines(['use ``a ` b`` here please'], 13)).toEqual(['use ``a ` b``', 'here please']);
  });

  it('leaves fenced code, indented code and tables as written', () => {
    const lines = [
      '```ts',
      'const aVeryLongName = someFunction(withArguments, andMoreArguments);',
      '```',
      '    indented code that is far too long for the width given here',
      '\ttabbed code that is far too long for the width given here',
      '| a table row | that is far too long | for the width |',
    ];
    expect(wrapLines(lines, 20)).toEqual(lines);
  });

  it('continues list items under their text and quotes with their marker', () => {
    expect(wrapLines(['- first item that runs long', '12. numbered item that runs long'], 16)).toEqual([
      '- first item',
      '  that runs long',
      '12. numbered',
      '    item that',
      '    runs long',
    ]);
    expect(wrapLines(['> quoted text that runs long'], 14)).toEqual([
      '> quoted text',
      '> that runs',
      '> long',
    ]);
  });

  it('never starts a row with #, which git would drop as a comment', () => {
    expect(wrapLines(['this closes issue #12 for good'], 18)).toEqual(['this closes', 'issue #12 for good']);
  });

  it('counts characters, not UTF-16 units, and wraps Korean between words', () => {
    expect(charLength('로그인 ✨')).toBe(5);
    expect(wrapLines(['다섯 번 실패하면 계정을 잠급니다'], 9)).toEqual([
      '다섯 번 실패하면',
      '계정을 잠급니다',
    ]);
  });

  it('gives the same lines when run on its own output', () => {
    const once = wrapLines(
      [
        '- a list item with a https://example.com/some/long/link inside it and more words',
        'plain text with `a code span` and #12 in a long line of prose that keeps going',
      ],
      24,
    );
    expect(wrapLines(once, 24)).toEqual(once);
  });
});
