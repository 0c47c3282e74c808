import { describe, expect, it } from 'vitest';
import { eul, euro, finalSound } from './korean.js';

describe('Korean particles', () => {
  it('follow the last Hangul syllable: 으로 after a consonant, 로 after a vowel or ㄹ', () => {
    expect(euro('시작점')).toBe('시작점으로');
    expect(euro('파서')).toBe('파서로');
    expect(euro('파일')).toBe('파일로');
    expect(eul('파일')).toBe('파일을');
    expect(eul('코드')).toBe('코드를');
  });

  it('read digits as Sino-Korean numbers', () => {
    expect(euro('4.6.7')).toBe('4.6.7로'); // 칠
    expect(euro('1.2.3')).toBe('1.2.3으로'); // 삼
    expect(euro('v2.6')).toBe('v2.6으로'); // 육
    expect(euro('5.4.2')).toBe('5.4.2로'); // 이
    expect(euro('4.7.0')).toBe('4.7.0으로'); // 영
    expect(euro('1.10')).toBe('1.10으로'); // 십
  });

  it('read acronyms by letter names and English words as loanwords are written', () => {
    expect(euro('URL')).toBe('URL로'); // 엘
    expect(euro('JSON')).toBe('JSON으로'); // 제이슨
    expect(euro('API')).toBe('API로');
    expect(euro('parseHTML')).toBe('parseHTML로');
    expect(euro('item')).toBe('item으로');
    expect(euro('name')).toBe('name으로');
    expect(euro('string')).toBe('string으로');
    expect(euro('module')).toBe('module로');
    expect(euro('bar')).toBe('bar로');
    expect(euro('parseHeader')).toBe('parseHeader로');
    expect(eul('advisoryLock')).toBe('advisoryLock을'); // 락
    expect(eul('commit')).toBe('commit을'); // 커밋
    expect(eul('app')).toBe('app을'); // 앱
    expect(eul('test')).toBe('test를'); // 테스트
    expect(eul('check')).toBe('check를'); // 체크
    expect(eul('src/b.ts')).toBe('src/b.ts를');
  });

  it('look past closing punctuation', () => {
    expect(finalSound('foo()')).toBe('none');
    expect(finalSound('`main`')).toBe('other');
  });
});
