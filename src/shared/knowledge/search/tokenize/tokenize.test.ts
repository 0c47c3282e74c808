import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.js';

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
