import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tokenize, tokenSpans } from './tokenize.js';

describe('tokenize', () => {
  it('lowercases, drops Lucene stop words and Porter-stems English', () => {
    expect(tokenize('The Servers are RUNNING and the connections failed')).toEqual([
      'server',
      'run',
      'connect',
      'fail',
    ]);
    expect(tokenize("the user's profile, it's fine")).toEqual(['user', 'profil', 'fine']);
  });

  it('gives documents and queries the same terms', () => {
    expect(tokenize('connected')).toEqual(tokenize('connection'));
    expect(tokenize('Generalization')).toEqual(tokenize('generalize'));
  });

  it('keeps numbers, and points or commas between digits', () => {
    expect(tokenize('CPU at 80% on 3.5GB, 1,000 users, v2 API')).toEqual([
      'cpu',
      '80',
      '3.5gb',
      '1,000',
      'user',
      'v2',
      'api',
    ]);
  });

  it('splits Hangul runs into character bigrams, a single syllable as itself', () => {
    expect(tokenize('서버 CPU 사용량이 높습니다')).toEqual([
      '서버',
      'cpu',
      '사용',
      '용량',
      '량이',
      '높습',
      '습니',
      '니다',
    ]);
    expect(tokenize('책 한 권')).toEqual(['책', '한', '권']);
    expect(tokenize('CPU사용량')).toEqual(['cpu', '사용', '용량']);
  });

  it('normalizes with NFKC: full-width forms and decomposed Hangul', () => {
    expect(tokenize('ＣＰＵ１２３')).toEqual(['cpu123']);
    expect(tokenize('\u1109\u1165\u1107\u1165')).toEqual(['서버']);
  });

  it('bigrams other unspaced scripts too, and returns nothing for punctuation', () => {
    expect(tokenize('東京タワー')).toEqual(['東京', '京タ', 'タワ', 'ワー']);
    expect(tokenize(' -- !! ... ')).toEqual([]);
  });
});

describe('tokenSpans', () => {
  const samples = [
    'The Servers are RUNNING and the connections failed',
    "the user's profile, it's fine — O'Neil's book",
    'CPU at 80% on 3.5GB, 1,000 users, v2 API',
    '서버 CPU 사용량이 높습니다',
    'CPU사용량 and 東京タワー',
    'ＣＰＵ１２３ and the ﬁle',
    '\u1109\u1165\u1107\u1165 decomposed, café and cafe\u0301',
    'İstanbul straße ΣΊΣΥΦΟΣ and ΣΊΣΥΦΟΣ straße',
    ' -- !! ... ',
  ];

  it('gives exactly the terms of tokenize, in order', () => {
    for (const text of samples)
      expect(
        tokenSpans(text).map((s) => s.term),
        text,
      ).toEqual(tokenize(text));
  });

  it('agrees with tokenize on every document of the manual-page fixture (English and Korean)', () => {
    const corpus = readFileSync(new URL('../fixtures/manpages/corpus.jsonl', import.meta.url), 'utf8');
    for (const [i, line] of corpus.split('\n').filter(Boolean).entries()) {
      const { text } = JSON.parse(line) as { text: string };
      const spans = tokenSpans(text);
      expect(spans.map((s) => s.term)).toEqual(tokenize(text));
      if (i % 10 !== 0) continue;
      for (const span of spans) expect(tokenize(text.slice(span.start, span.end))).toContain(span.term);
    }
  });

  it('points each term at the original text, whatever normalization did', () => {
    const text = 'Running ＣＰＵ사용량이 the ﬁle';
    const pieces = tokenSpans(text).map((s) => [s.term, text.slice(s.start, s.end)]);
    expect(pieces).toEqual([
      ['run', 'Running'],
      ['cpu', 'ＣＰＵ'],
      ['사용', '사용'],
      ['용량', '용량'],
      ['량이', '량이'],
      ['file', 'ﬁle'],
    ]);
    const jamo = '\u1109\u1165\u1107\u1165!';
    expect(tokenSpans(jamo)).toEqual([{ term: '서버', start: 0, end: 4 }]);
    const possessive = "the user's profile";
    expect(tokenSpans(possessive).map((s) => possessive.slice(s.start, s.end))).toEqual(['user', 'profile']);
  });
});
