import { describe, expect, it } from 'vitest';
import { bm25, isKorean, queryTerms, splitIdentifier, stem, terms } from './text-match.js';

describe('terms', () => {
  it('lowercases, stems and drops stopwords in English', () => {
    expect(terms('Show me the error logs of the API servers')).toEqual(['error', 'log', 'api', 'server']);
    expect(stem('queries')).toBe('query');
    expect(stem('status')).toBe('status');
  });

  it('cuts Korean into character bigrams so particles do not hide words', () => {
    expect(terms('비밀번호는')).toEqual(['비밀', '밀번', '번호', '호는']);
    const question = new Set(terms('비밀번호를 바꾸려면?'));
    expect(terms('비밀번호는 설정에서 바꿉니다').filter((t) => question.has(t))).toContain('번호');
  });

  it('separates scripts inside one run and splits identifiers', () => {
    expect(terms('CPU사용량')).toEqual(['cpu', '사용', '용량']);
    expect(splitIdentifier('searchLogs get_metric HTTPServer')).toBe('search Logs get metric HTTP Server');
  });

  it('tells Korean text from English', () => {
    expect(isKorean('지난 1시간 동안 CPU 사용량')).toBe(true);
    expect(isKorean('CPU usage over the last hour')).toBe(false);
  });
});

describe('bm25', () => {
  it('ranks the document that shares rare terms first', () => {
    const docs = [
      'the account locks after five failed sign-ins',
      'sessions last ten minutes',
      'the account page',
    ].map(terms);
    const [locks, sessions, page] = bm25(docs, queryTerms('when does the account lock?'));
    expect(locks?.score).toBeGreaterThan(page?.score ?? 0);
    expect(sessions?.score).toBe(0);
  });

  it('matches across English and Korean through the synonym table', () => {
    const docs = [terms('search application logs'), terms('read a metric')];
    const [logs, metric] = bm25(docs, queryTerms('에러 로그 보여줘'));
    expect(logs?.score).toBeGreaterThan(0);
    expect(metric?.score).toBe(0);
    expect(logs?.coverage).toBeGreaterThan(0);
  });
});
