import { readdirSync, readFileSync } from 'node:fs';
import { generateText } from 'ai';
import { describe, expect, it } from 'vitest';
import { createKeelOffline } from '../../../shared/llm/offline/index.js';
import { localizeSubject, shorterSubjects } from './localize-subject.js';

/** Every subject template of the offline drafter (commit-message.ts `subjectFor`), in the order it lists them. */
const drafterShapes: [string, string][] = [
  // dependencies
  ['bump zod from 4.6.6 to 4.6.7', 'zod 버전을 4.6.6에서 4.6.7로 업데이트'],
  ['add zod 4.6.7', 'zod 4.6.7 추가'],
  ['remove zod', 'zod 제거'],
  ['bump zod, vitest and tsx', 'zod, vitest, tsx 버전 업데이트'],
  ['update dependencies zod, vitest and 2 more', 'zod, vitest 외 2개 의존성 업데이트'],
  ['refresh the lock file', 'lock 파일 갱신'],
  ['update dependencies', '의존성 업데이트'],
  // ci, build and tool config
  ['update .github/workflows/ci.yml and package.json', '.github/workflows/ci.yml, package.json 업데이트'],
  ['update ci and biome', 'ci, biome 업데이트'],
  // docs
  ['add identity docs; update plans docs', 'identity 문서 추가; plans 문서 업데이트'],
  ['add identity docs', 'identity 문서 추가'],
  ['add 4 documents', '문서 4개 추가'],
  ['document installation and usage', 'installation, usage 문서화'],
  ['update identity README and plans docs', 'identity README, plans 문서 업데이트'],
  ['update docs', '문서 업데이트'],
  // comments
  ['document parseHeader and readBody in parser', 'parser의 parseHeader, readBody 문서화'],
  ['update comments in parser', 'parser의 주석 업데이트'],
  // tests
  ['add test: rejects an expired token', '테스트 추가: rejects an expired token'],
  ['add a test to sessions routes', 'sessions routes에 테스트 추가'],
  ['add 14 tests to plans', 'plans에 테스트 14개 추가'],
  ['add 14 tests', '테스트 14개 추가'],
  ['remove tests from parser', 'parser에서 테스트 제거'],
  ['remove tests', '테스트 제거'],
  ['share test helpers in crypto', 'crypto에 공용 테스트 헬퍼 추가'],
  ['share test helpers', '공용 테스트 헬퍼 추가'],
  ['update jobs tests', 'jobs 테스트 업데이트'],
  ['update tests', '테스트 업데이트'],
  // formatting
  ['format passwords service', 'passwords service 포맷팅'],
  ['format code', '코드 포맷팅'],
  // moves
  ['move src/paths.ts to src/kernel/paths.ts', 'src/paths.ts를 src/kernel/paths.ts로 이동'],
  ['move paths to src/kernel/paths.ts', 'paths를 src/kernel/paths.ts로 이동'],
  ['move paths, env and 2 more', 'paths, env 외 2개 이동'],
  ['move 5 files', '파일 5개 이동'],
  // exports removed
  ['remove legacyToken from access token', 'access token에서 legacyToken 제거'],
  ['remove legacyToken and refresh', 'legacyToken, refresh 제거'],
  // new exports, new files
  [
    'add passwords service with lockout, verify and 2 more',
    'passwords service 추가 (lockout, verify 외 2개 포함)',
  ],
  ['add passwords service', 'passwords service 추가'],
  ['add lockout to passwords service', 'passwords service에 lockout 추가'],
  ['add lockout', 'lockout 추가'],
  // extraction and moved declarations
  ['extract withAdvisoryLock into advisory lock', 'withAdvisoryLock을 advisory lock으로 추출'],
  ['extract withAdvisoryLock', 'withAdvisoryLock 추출'],
  ['extract code into advisory lock', '코드를 advisory lock으로 추출'],
  ['move memberSchemaOf to identity schemas', 'memberSchemaOf를 identity schemas로 이동'],
  ['move code to identity schemas', '코드를 identity schemas로 이동'],
  // duplicates, performance, error handling, small changes
  ['remove duplicated lines in identity context', 'identity context의 중복 줄 제거'],
  ['remove duplicated lines', '중복 줄 제거'],
  ['optimize sync and createPasswordsService in identity', 'identity의 sync, createPasswordsService 최적화'],
  ['optimize openPglite', 'openPglite 최적화'],
  ['optimize database', 'database 최적화'],
  ['fix error handling in start and createCatalogStore', 'start, createCatalogStore의 오류 처리 수정'],
  ['fix error handling in rotate', 'rotate의 오류 처리 수정'],
  ['fix createRbac in rbac', 'rbac의 createRbac 수정'],
  ['fix createRbac', 'createRbac 수정'],
  // added behaviour, net deletion, the rest
  ['add noIdentity and checkAccess to http', 'http에 noIdentity, checkAccess 추가'],
  ['extend buildApp in app', 'app의 buildApp 확장'],
  ['extend app', 'app 확장'],
  ['remove parseHeader from parser', 'parser에서 parseHeader 제거'],
  ['simplify plansRoutes and UsageReport in plans', 'plans의 plansRoutes, UsageReport 단순화'],
  ['simplify plans', 'plans 단순화'],
  ['rework parseHeader in parser', 'parser의 parseHeader 재작업'],
  ['rework parser', 'parser 재작업'],
  // places the drafter names when no file does
  [
    'add bootstrapAdmin and findUserByUsername to 8 files',
    '파일 8개에 bootstrapAdmin, findUserByUsername 추가',
  ],
  ['add parseHeader to the project', '프로젝트에 parseHeader 추가'],
  ['describe the change (no diff found)', '변경 내용 설명 필요 (diff 없음)'],
  ['update code', '코드 업데이트'],
];

/** The verbs other drafters (and people) write, beyond the offline templates. */
const otherShapes: [string, string][] = [
  ['add parseHeader guard', 'parseHeader 가드 추가'],
  ['handle empty header in parseHeader', 'parseHeader에서 빈 헤더 처리'],
  ['handle missing input', '누락된 입력 처리'],
  // A phrase with a word the glossary does not know is a name: it stays as written.
  ['handle missing token', '누락된 토큰 처리'],
  ['rename foo to bar', 'foo 이름을 bar로 변경'],
  ['rename token to item', 'token 이름을 item으로 변경'],
  ['rename Parser to HTMLParser', 'Parser 이름을 HTMLParser로 변경'],
  ['bump zod to 4.7.0', 'zod 버전을 4.7.0으로 업데이트'],
  ['bump vite from 5.4.9 to 5.4.11', 'vite 버전을 5.4.9에서 5.4.11로 업데이트'],
  ['test parseHeader', 'parseHeader 테스트'],
  ['test parseHeader in parser', 'parser의 parseHeader 테스트'],
  ['refactor session store', 'session store 리팩터링'],
  ['refactor parseHeader in parser', 'parser의 parseHeader 리팩터링'],
  ['simplify error handling', '오류 처리 단순화'],
  ['format parser', 'parser 포맷팅'],
  ['support Hangul in slugify', 'slugify에서 Hangul 지원'],
  ['guard parseHeader', 'parseHeader에 가드 추가'],
  ['guard parseHeader against empty input', 'parseHeader에 빈 입력 가드 추가'],
  ['improve retry logging', '재시도 로깅 개선'],
  ['fix typos in README', 'README의 오타 수정'],
  ['Add parseHeader guard.', 'parseHeader 가드 추가.'],
];

describe('localizeSubject', () => {
  it.each(drafterShapes)('writes the drafter subject "%s" in Korean', (english, korean) => {
    expect(localizeSubject(english, 'ko')).toEqual({ text: korean, localized: true });
  });

  it.each(otherShapes)('writes "%s" in Korean', (english, korean) => {
    expect(localizeSubject(english, 'ko')).toEqual({ text: korean, localized: true });
  });

  it('leaves subjects it does not recognise in English, and says so', () => {
    for (const subject of [
      'make it faster',
      'fix the bug',
      'add support for retries when the server is down',
    ])
      expect(localizeSubject(subject, 'ko')).toEqual({
        text: subject,
        localized: false,
        reason: 'not a subject shape the Korean templates know',
      });
    // One clause it cannot write keeps the whole subject in English.
    expect(localizeSubject('add foo; make it faster', 'ko').localized).toBe(false);
    expect(localizeSubject('parseHeader 가드 추가', 'ko')).toEqual({
      text: 'parseHeader 가드 추가',
      localized: false,
      reason: 'the subject is already in Korean',
    });
  });

  it('leaves English as it is for en', () => {
    expect(localizeSubject('add parseHeader guard', 'en')).toEqual({
      text: 'add parseHeader guard',
      localized: true,
    });
    expect(localizeSubject('가드 추가', 'en').localized).toBe(false);
  });

  it('writes every subject the offline drafter drafts from its own fixtures', async () => {
    const model = createKeelOffline()('keel-offline-1');
    const root = new URL('../../../shared/llm/offline/fixtures/', import.meta.url);
    const unrecognised: string[] = [];
    let drafted = 0;
    for (const dir of ['history', 'synthetic']) {
      const folder = new URL(`${dir}/`, root);
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.diff'))) {
        const { text } = await generateText({
          model,
          prompt: readFileSync(new URL(file, folder), 'utf8'),
          providerOptions: { 'keel-offline': { task: 'commit-message' } },
        });
        const subject = (text.split('\n')[0] ?? '').replace(/^[^:]+: /, '');
        drafted++;
        if (!localizeSubject(subject, 'ko').localized) unrecognised.push(`${file}: ${subject}`);
      }
    }
    expect(drafted).toBeGreaterThanOrEqual(50);
    expect(unrecognised).toEqual([]);
  });
});

describe('shorterSubjects', () => {
  it('removes trailing qualifiers one at a time, never a word or a destination', () => {
    expect(shorterSubjects('add lockout to passwords service')).toEqual(['add lockout']);
    expect(shorterSubjects('add passwords service with lockout and verify')).toEqual([
      'add passwords service',
    ]);
    expect(shorterSubjects('extract withAdvisoryLock into advisory lock')).toEqual([
      'extract withAdvisoryLock',
    ]);
    expect(shorterSubjects('Fix parseHeader in parser (for real)')).toEqual([
      'Fix parseHeader in parser',
      'Fix parseHeader',
    ]);
    expect(shorterSubjects('share test helpers in crypto')).toEqual(['share test helpers']);
  });

  it('keeps what the subject needs', () => {
    for (const subject of [
      'fix error handling in parser',
      'handle empty header in parseHeader',
      'rename foo to bar',
      'bump zod from 4.6.6 to 4.6.7',
      'move src/paths.ts to src/kernel/paths.ts',
      'add identity docs; update plans docs',
      'describe the change (no diff found)',
      'make it faster in the parser',
    ])
      expect(shorterSubjects(subject)).toEqual([]);
  });
});
