import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { embedMany } from 'ai';
import {
  embedCode,
  embedText,
  languageOf,
  offlineEmbeddingModel,
} from '../src/shared/llm/embeddings/offline/index.js';
import { type BenchResult, median } from './support.js';

const textCount = 5_000;
const rounds = 3;

const ENGLISH = (
  'the deployment pipeline failed on staging server after timeout while running database migration ' +
  'commit message review request user authentication token expired refresh cache invalidated queue ' +
  'worker retried job scheduled report generated dashboard latency increased error rate alert ' +
  'customer invoice payment processed agent answered question document uploaded search index'
).split(' ');
const KOREAN = (
  '배포 파이프라인이 스테이징 서버에서 실패했습니다 데이터베이스 마이그레이션 중 타임아웃이 발생했습니다 ' +
  '커밋 메시지를 검토해 주세요 사용자 인증 토큰이 만료되었습니다 캐시를 새로 고쳤습니다 작업이 재시도되었습니다 ' +
  '보고서가 생성되었습니다 대시보드 지연 시간이 늘었습니다 오류율 경고 고객 청구서 결제가 처리되었습니다 ' +
  '에이전트가 질문에 답했습니다 문서를 업로드했습니다 검색 색인'
).split(' ');

/** mulberry32: a tiny seeded PRNG, so the corpus is the same on every run and machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 5 000 texts of 100–200 characters: a third English, a third Korean, a third both mixed. */
export function shortTexts(count = textCount): string[] {
  const next = random(20261121);
  const pick = (words: string[]) => words[Math.floor(next() * words.length)] as string;
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const target = 100 + Math.floor(next() * 101);
    const kind = i % 3;
    let text = '';
    while (text.length < target) {
      const word =
        kind === 0 ? pick(ENGLISH) : kind === 1 ? pick(KOREAN) : pick(next() < 0.5 ? ENGLISH : KOREAN);
      text += text ? ` ${word}` : word;
      if (next() < 0.08) text += next() < 0.5 ? '.' : ` #${Math.floor(next() * 1000)}`;
    }
    texts.push(text.slice(0, 200));
  }
  return texts;
}

/** Texts per second of `embedOne` over `texts`: median of rounds, after one warm-up round. */
function textRate(texts: string[], embedOne: (text: string) => unknown): number {
  for (const text of texts) embedOne(text);
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (const text of texts) embedOne(text);
    rates.push(texts.length / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

/** The repository's own source files (in a language the code model parses), as of this commit. */
function sourceFiles(): Array<{ source: string; language: string }> {
  const paths = execFileSync('git', ['ls-files', 'src', 'bench', 'bin', 'scripts', 'test'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((path) => path && languageOf(path) && existsSync(path));
  return paths.map((path) => ({ source: readFileSync(path, 'utf8'), language: languageOf(path) as string }));
}

/**
 * Throughput of Keel's offline embeddings on one core: the work is synchronous JavaScript and
 * WebAssembly on the main thread, so one process measures one core.
 */
export async function embedBench(): Promise<BenchResult> {
  const texts = shortTexts();
  const averageChars = texts.reduce((sum, t) => sum + t.length, 0) / texts.length;
  const rate1536 = textRate(texts, (text) => embedText(text));
  const rate512 = textRate(texts, (text) => embedText(text, 512));

  const model = offlineEmbeddingModel('hashed-text-1536');
  await embedMany({ model, values: texts.slice(0, 500) });
  const sdkRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await embedMany({ model, values: texts });
    sdkRates.push(texts.length / ((performance.now() - started) / 1000));
  }
  const sdkRate = median(sdkRates);

  const coldStarted = performance.now();
  await embedCode('export const x = 1;', 'typescript');
  const coldMs = performance.now() - coldStarted;

  const files = sourceFiles();
  const chars = files.reduce((sum, f) => sum + f.source.length, 0);
  for (const file of files) await embedCode(file.source, file.language); // warm-up, grammars loaded
  const codeRates: number[] = [];
  let contexts = 0;
  let fallbacks = 0;
  for (let round = 0; round < rounds; round++) {
    contexts = 0;
    fallbacks = 0;
    const started = performance.now();
    for (const file of files) {
      const result = await embedCode(file.source, file.language);
      contexts += result.contexts;
      if (result.method !== 'ast-paths') fallbacks++;
    }
    codeRates.push(files.length / ((performance.now() - started) / 1000));
  }
  const codeRate = median(codeRates);

  return {
    name: 'Offline embeddings',
    method: `One process, main thread (one core). Text: ${texts.length} deterministic short texts (mean ${averageChars.toFixed(0)} characters; a third English, a third Korean, a third mixed), embedded ${rounds} times after a warm-up round; the median rate. \`embedMany\` runs the AI SDK path with the \`hashed-text-1536\` model (vectors copied into number arrays). Code: the repository's own tracked source files in a parsed language (${files.length} files, mean ${(chars / files.length / 1024).toFixed(1)} KiB) through \`embedCode\` into 512 dims, ${rounds} rounds after a warm-up; cold start is web-tree-sitter's init plus the TypeScript grammar load in this process.`,
    rows: [
      {
        measure: 'embedText, 1536 dims',
        value: `${rate1536.toFixed(0)} texts/s`,
        target: '≥ 2000 texts/s',
        pass: rate1536 >= 2000,
      },
      { measure: 'embedText, 512 dims', value: `${rate512.toFixed(0)} texts/s` },
      { measure: 'embedMany, hashed-text-1536', value: `${sdkRate.toFixed(0)} texts/s` },
      {
        measure: 'embedCode, 512 dims (AST path-contexts)',
        value: `${codeRate.toFixed(0)} files/s, ${((codeRate * chars) / files.length / 2 ** 20).toFixed(2)} MiB/s`,
      },
      {
        measure: 'embedCode path-contexts per file',
        value: `${(contexts / files.length).toFixed(0)} (text fallbacks: ${fallbacks})`,
      },
      { measure: 'embedCode cold start', value: `${coldMs.toFixed(0)} ms` },
    ],
  };
}
