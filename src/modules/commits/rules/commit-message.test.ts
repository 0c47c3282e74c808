import { describe, expect, it } from 'vitest';
import { parseCommitMessage } from './commit-message.js';

describe('parseCommitMessage', () => {
  it('splits a Conventional Commits message into its parts', () => {
    const message = [
      'feat(api)!: drop the v1 endpoints',
      '',
      'Clients have had a year to move.',
      '',
      'BREAKING CHANGE: /v1 answers 410',
      'Refs: #12',
      'Signed-off-by: Ada Lovelace <ada@example.com>',
      '',
    ].join('\n');
    expect(parseCommitMessage(message)).toEqual({
      text: message.trimEnd(),
      lines: message.trimEnd().split('\n'),
      header: 'feat(api)!: drop the v1 endpoints',
      type: 'feat',
      scope: 'api',
      breaking: true,
      subject: 'drop the v1 endpoints',
      body: 'Clients have had a year to move.',
      footers: [
        { token: 'BREAKING CHANGE', value: '/v1 answers 410' },
        { token: 'Refs', value: '#12' },
        { token: 'Signed-off-by', value: 'Ada Lovelace <ada@example.com>' },
      ],
      gitmoji: null,
      bodyStart: 2,
      footerStart: 4,
    });
  });

  it('drops comment lines, the scissors line and everything after it, CRLF and trailing blank lines', () => {
    const message =
      'fix: keep the cursor\r\n\r\nThe body.\r\n# Please enter the commit message for your changes.\r\n\r\n\r\n' +
      '# ------------------------ >8 ------------------------\n# Do not modify or remove the line above.\n' +
      'diff --git a/x.ts b/x.ts\n+fix: not a header\n';
    const parsed = parseCommitMessage(message);
    expect(parsed.text).toBe('fix: keep the cursor\n\nThe body.');
    expect(parsed.lines).toEqual(['fix: keep the cursor', '', 'The body.']);
    expect(parsed.body).toBe('The body.');
    expect(parsed.footers).toEqual([]);
  });

  it('reads comments with the comment character git is configured with', () => {
    const parsed = parseCommitMessage('fix: x\n\n#12 is the issue\n; a comment\n', { commentChar: ';' });
    expect(parsed.lines).toEqual(['fix: x', '', '#12 is the issue']);
  });

  it('keeps the blank lines inside the body and drops the ones around the message', () => {
    const parsed = parseCommitMessage('\n\nfix: x\n\n\nfirst\n\nsecond\n\n\n');
    expect(parsed.header).toBe('fix: x');
    expect(parsed.body).toBe('first\n\nsecond');
    expect(parsed.bodyStart).toBe(3);
  });

  it('gives a header that is not Conventional Commits no type, and the whole header as subject', () => {
    expect(parseCommitMessage('Update the README')).toMatchObject({
      type: null,
      scope: null,
      breaking: false,
      subject: 'Update the README',
    });
    // No space after the colon: not a type.
    expect(parseCommitMessage('fix:typo')).toMatchObject({ type: null, subject: 'fix:typo' });
    expect(parseCommitMessage('fix(api) : typo')).toMatchObject({ type: null, subject: 'fix(api) : typo' });
  });

  it('reads an empty scope, an empty subject and a header with spaces around it', () => {
    expect(parseCommitMessage('feat(): x')).toMatchObject({ type: 'feat', scope: '', subject: 'x' });
    expect(parseCommitMessage('feat: ')).toMatchObject({ type: 'feat', subject: '' });
    expect(parseCommitMessage('  fix(db): keep rows  ')).toMatchObject({
      header: '  fix(db): keep rows  ',
      type: 'fix',
      scope: 'db',
      subject: 'keep rows',
    });
  });

  it('reads an empty message', () => {
    expect(parseCommitMessage('# only a comment\n\n')).toMatchObject({
      text: '',
      lines: [],
      header: '',
      type: null,
      subject: '',
      body: null,
      footers: [],
    });
  });

  it('reads gitmoji as shortcodes and as emoji, before the type or the subject', () => {
    expect(parseCommitMessage(':sparkles: add x')).toMatchObject({
      type: null,
      subject: 'add x',
      gitmoji: { text: ':sparkles:', code: ':sparkles:', emoji: '✨' },
    });
    expect(parseCommitMessage('✨ add x')).toMatchObject({
      subject: 'add x',
      gitmoji: { text: '✨', code: ':sparkles:', emoji: '✨' },
    });
    // With or without the variation selector gitmoji writes.
    expect(parseCommitMessage('⚡ speed up x').gitmoji).toEqual({ text: '⚡', code: ':zap:', emoji: '⚡' });
    expect(parseCommitMessage('⚡\uFE0F speed up x').gitmoji?.code).toBe(':zap:');
    expect(parseCommitMessage('🧑\u200D💻 add a dev script').gitmoji).toMatchObject({
      code: ':technologist:',
      text: '🧑\u200D💻',
    });
    expect(parseCommitMessage('✨ feat(api): add x')).toMatchObject({
      type: 'feat',
      scope: 'api',
      subject: 'add x',
    });
    expect(parseCommitMessage('feat: :sparkles: add x')).toMatchObject({
      type: 'feat',
      subject: 'add x',
      gitmoji: { code: ':sparkles:' },
    });
    expect(parseCommitMessage(':unicorn_magic: x').gitmoji).toEqual({
      text: ':unicorn_magic:',
      code: ':unicorn_magic:',
      emoji: null,
    });
    expect(parseCommitMessage('🦄 x').gitmoji).toEqual({ text: '🦄', code: null, emoji: '🦄' });
    expect(parseCommitMessage('© 2025 Acme').gitmoji).toBeNull();
  });

  it('reads Korean headers, scopes and bodies', () => {
    expect(parseCommitMessage('feat(인증): 로그인 잠금 추가\n\n다섯 번 실패하면 잠급니다.')).toMatchObject({
      type: 'feat',
      scope: '인증',
      subject: '로그인 잠금 추가',
      body: '다섯 번 실패하면 잠급니다.',
    });
    expect(parseCommitMessage('로그인 잠금 추가')).toMatchObject({ type: null, subject: '로그인 잠금 추가' });
  });

  it('reads BREAKING-CHANGE, `Token #value` trailers and continuation lines', () => {
    const parsed = parseCommitMessage(
      'fix: x\n\nBREAKING-CHANGE: the flag is gone\nuse --other instead\nFixes #31\nCo-authored-by: A <a@x>\n  and B <b@x>',
    );
    expect(parsed.footers).toEqual([
      { token: 'BREAKING-CHANGE', value: 'the flag is gone\nuse --other instead' },
      { token: 'Fixes', value: '#31' },
      { token: 'Co-authored-by', value: 'A <a@x>\nand B <b@x>' },
    ]);
    expect(parsed.body).toBeNull();
  });

  it('finds trailers that follow the body without a blank line', () => {
    const parsed = parseCommitMessage('fix: x\nThe body.\nRefs: #12\nSigned-off-by: A <a@x>');
    expect(parsed).toMatchObject({ body: 'The body.', bodyStart: 1, footerStart: 2 });
    expect(parsed.footers.map((f) => f.token)).toEqual(['Refs', 'Signed-off-by']);
    expect(parseCommitMessage('fix: x\nRefs: #12')).toMatchObject({ body: null, footerStart: 1 });
  });

  it('keeps prose that merely starts like a trailer in the body', () => {
    const parsed = parseCommitMessage('fix: x\n\nNote: the cache\nis rebuilt on start.');
    expect(parsed.body).toBe('Note: the cache\nis rebuilt on start.');
    expect(parsed.footers).toEqual([]);
    // Mid-paragraph, only a common trailer starts a footer block.
    expect(parseCommitMessage('fix: x\n\nWe keep it.\nExample: run it').footers).toEqual([]);
  });
});
