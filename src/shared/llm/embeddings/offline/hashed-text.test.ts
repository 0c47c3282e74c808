import { describe, expect, it } from 'vitest';
import { cosine } from './feature-hashing.js';
import { embedText, hashText, normalizeText, TEXT_DIMS } from './hashed-text.js';

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
}

/** [text, a paraphrase of it, an unrelated text]. */
const TRIPLES: Array<[string, string, string]> = [
  [
    'The deployment pipeline failed on the staging server',
    'Staging server deployment failed in the pipeline',
    'My cat likes to sleep in the sun all afternoon',
  ],
  [
    'Refactor the user authentication module to use JWT tokens',
    'Use JWT tokens in the authentication module refactor',
    'Quarterly revenue grew by twelve percent in Europe',
  ],
  [
    '배포 파이프라인이 스테이징 서버에서 실패했습니다',
    '스테이징 서버 배포 파이프라인 실패',
    '고양이는 오후 내내 햇볕에서 자는 것을 좋아한다',
  ],
  [
    '데이터베이스 연결이 자주 끊어집니다',
    '데이터베이스와의 연결이 끊어지는 문제',
    '오늘 점심 메뉴는 김치찌개입니다',
  ],
  [
    'API를 호출하면 타임아웃 에러가 납니다',
    'API 호출 시 타임아웃 에러 발생',
    '주말에 가족과 등산을 갔습니다',
  ],
  ['机器学习模型的训练速度很慢', '训练机器学习模型太慢了', '今天的天气非常好'],
];

describe('embedText', () => {
  it('is deterministic: the same text gives the same vector, call after call', () => {
    const text = '커밋 메시지를 자동으로 생성합니다 — generate commit messages';
    const first = embedText(text);
    embedText('something else in between, to dirty the reused buffers');
    expect(Array.from(embedText(text))).toEqual(Array.from(first));
  });

  it('keeps its vectors across releases (a change here must bump HASHED_TEXT_VERSION)', () => {
    const vector = embedText('Keel 커밋 메시지');
    // The three words, each weight 1, land alone in their buckets; the largest n-gram sum follows.
    for (const bucket of [589, 869, 1349]) expect(vector[bucket]).toBeCloseTo(0.4036, 4);
    expect(vector[822]).toBeCloseTo(-0.2825, 4);
    expect(embedText('Keel 커밋 메시지', 512)[274]).toBeCloseTo(-0.2784, 4);
  });

  it('gives unit vectors of the requested length, 1536 by default and 512 on request', () => {
    const long = embedText('A short sentence about embeddings.');
    const short = embedText('A short sentence about embeddings.', 512);
    expect(long).toHaveLength(TEXT_DIMS);
    expect(short).toHaveLength(512);
    expect(norm(long)).toBeCloseTo(1, 5);
    expect(norm(short)).toBeCloseTo(1, 5);
  });

  it('gives the zero vector for a text without letters or digits', () => {
    for (const text of ['', '   \n\t', '!!! --- ???']) {
      const vector = embedText(text);
      expect(vector).toHaveLength(TEXT_DIMS);
      expect(vector.every((v) => v === 0)).toBe(true);
    }
  });

  it('ranks a paraphrase above an unrelated text, in English, Korean and Chinese', () => {
    for (const dims of [1536, 512]) {
      for (const [text, paraphrase, unrelated] of TRIPLES) {
        const a = embedText(text, dims);
        expect(cosine(a, embedText(paraphrase, dims)), `${text} (${dims})`).toBeGreaterThan(
          cosine(a, embedText(unrelated, dims)),
        );
      }
    }
  });

  it('folds case, full-width forms and compatibility characters (NFKC, lower case)', () => {
    expect(normalizeText('ＡＰＩ Ｋｅｅｌ ﬁle')).toBe('api keel file');
    expect(cosine(embedText('ＡＰＩ Server'), embedText('api server'))).toBeCloseTo(1, 5);
  });

  it('matches Korean words across particles through syllable n-grams', () => {
    const base = embedText('데이터베이스');
    expect(cosine(base, embedText('데이터베이스를'))).toBeGreaterThan(0.4);
    expect(cosine(base, embedText('고양이를'))).toBeLessThan(0.2);
  });

  it('counts words, splitting where Latin letters meet Hangul', () => {
    // api · 를 · 호출하면 · 에러가 · 납니다 · 𠀀𠀁 (astral Han) · café
    expect(hashText('API를 호출하면 에러가 납니다! 𠀀𠀁 café').tokens).toBe(7);
  });

  it('rejects dims that are not a positive integer', () => {
    expect(() => embedText('x', 0)).toThrow(RangeError);
    expect(() => embedText('x', 12.5)).toThrow(RangeError);
  });
});
