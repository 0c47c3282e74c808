import { isIdentifier } from './text.js';

/**
 * Korean particles after a word, and the words of English subjects that have a usual Korean
 * form. Identifiers are never translated.
 */

type FinalSound = 'none' | 'rieul' | 'other';

// Sino-Korean digit readings: 일 칠 팔 end in ㄹ; 삼 육 (and 영 for 0) in another consonant.
const digitFinals: Record<string, FinalSound> = {
  '0': 'other',
  '1': 'rieul',
  '2': 'none',
  '3': 'other',
  '4': 'none',
  '5': 'none',
  '6': 'other',
  '7': 'rieul',
  '8': 'rieul',
  '9': 'none',
};

/**
 * The final sound of a word as a Korean developer reads it: the last Hangul syllable's final
 * consonant; digits as Sino-Korean numbers (7 칠, 10 십: a trailing 0 is always a consonant);
 * acronyms by letter names (엘, 알 end in ㄹ; 엠, 엔 in another consonant); English words by
 * spelling, as loanwords are written: -m, -n, -ng and a silent e after them (name 네임, line
 * 라인), -ck (lock 락), -ook (hook 훅) and a short vowel before t, p or b (commit 커밋, app 앱,
 * web 웹) end in a consonant; -l and -le in ㄹ (file 파일, table 테이블); anything else in a
 * vowel (parser 파서, test 테스트, check 체크, bar 바).
 */
export function finalSound(word: string): FinalSound {
  const text = word.replace(/[^\p{L}\p{N}]+$/u, '');
  const last = text.at(-1) ?? '';
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const final = (code - 0xac00) % 28;
    return final === 0 ? 'none' : final === 8 ? 'rieul' : 'other';
  }
  if (/\d/.test(last)) return digitFinals[last] ?? 'none';
  // The last part of a camelCase or PascalCase name: parseHTML → HTML, parseHeader → Header.
  const part = /(?:[A-Z]+(?![a-z])|[A-Z]?[a-z]+)$/.exec(text)?.[0] ?? '';
  if (part === '') return 'none';
  if (part === part.toUpperCase())
    return /[LR]$/.test(part) ? 'rieul' : /[MN]$/.test(part) ? 'other' : 'none';
  const lower = part.toLowerCase();
  if (lower === 'check') return 'none';
  if (/(?:m|n|ng|ck|ook)$|[aeiouy][mn]e$|(?:^|[^aeiou])[aeiou](?:tt?|pp?|b)$/.test(lower)) return 'other';
  if (/le?$/.test(lower)) return 'rieul';
  return 'none';
}

/** `word` + 을/를 (object). */
export function eul(word: string): string {
  return `${word}${finalSound(word) === 'none' ? '를' : '을'}`;
}

/** `word` + 으로/로 (direction); a final ㄹ takes 로. */
export function euro(word: string): string {
  return `${word}${finalSound(word) === 'other' ? '으로' : '로'}`;
}

/** English words of commit subjects and how Korean developers write them. */
const glossary: Readonly<Record<string, string>> = {
  argument: '인자',
  arguments: '인자',
  broken: '깨진',
  cache: '캐시',
  case: '케이스',
  cases: '케이스',
  check: '검사',
  checks: '검사',
  code: '코드',
  comment: '주석',
  comments: '주석',
  condition: '조건',
  config: '설정',
  configuration: '설정',
  default: '기본값',
  defaults: '기본값',
  dependencies: '의존성',
  dependency: '의존성',
  docs: '문서',
  documentation: '문서',
  duplicate: '중복',
  duplicated: '중복',
  edge: '엣지',
  empty: '빈',
  encoding: '인코딩',
  error: '오류',
  errors: '오류',
  example: '예제',
  examples: '예제',
  file: '파일',
  files: '파일',
  flaky: '불안정한',
  guard: '가드',
  guards: '가드',
  handling: '처리',
  header: '헤더',
  headers: '헤더',
  helper: '헬퍼',
  helpers: '헬퍼',
  input: '입력',
  invalid: '잘못된',
  leak: '누수',
  limit: '제한',
  limits: '제한',
  line: '줄',
  lines: '줄',
  link: '링크',
  links: '링크',
  log: '로그',
  logging: '로깅',
  logs: '로그',
  memory: '메모리',
  message: '메시지',
  messages: '메시지',
  missing: '누락된',
  name: '이름',
  names: '이름',
  new: '새',
  option: '옵션',
  options: '옵션',
  output: '출력',
  parameter: '매개변수',
  parameters: '매개변수',
  performance: '성능',
  permission: '권한',
  permissions: '권한',
  race: '경쟁',
  request: '요청',
  requests: '요청',
  response: '응답',
  responses: '응답',
  retries: '재시도',
  retry: '재시도',
  size: '크기',
  slow: '느린',
  stale: '오래된',
  test: '테스트',
  tests: '테스트',
  text: '텍스트',
  timeout: '타임아웃',
  timeouts: '타임아웃',
  token: '토큰',
  tokens: '토큰',
  translation: '번역',
  translations: '번역',
  type: '타입',
  types: '타입',
  typo: '오타',
  typos: '오타',
  unused: '미사용',
  validation: '검증',
  value: '값',
  values: '값',
  warning: '경고',
  warnings: '경고',
};

// Words that make a phrase a clause rather than a noun phrase the templates can place.
const functionWords = new Set(
  'a an the for of when if with without by on at as after before so that which is are was were be been not no it its into from to in than then via per using because while instead only also now can cannot should must will do does'.split(
    ' ',
  ),
);

const counted: Readonly<Record<string, string>> = { files: '파일', tests: '테스트', documents: '문서' };

/** Phrases the offline drafter writes as places and counts. */
function fixedPhrase(item: string): string | null {
  if (item === 'the project') return '프로젝트';
  if (item === 'the lock file') return 'lock 파일';
  const count = /^(\d+) (files|tests|documents)$/.exec(item);
  if (count) return `${counted[count[2] ?? ''] ?? ''} ${count[1]}개`;
  return null;
}

/**
 * One named thing. As an object (`translate`), a phrase of known words and identifiers is
 * written in Korean (`empty header` → `빈 헤더`, `parseHeader guard` → `parseHeader 가드`).
 * Anything else is a name (a file, folder or heading: `passwords service`) and stays as written,
 * except the drafter's `… docs` / `… tests` tails. A clause (function words) is not placed: null.
 */
export function koreanItem(item: string, translate: boolean): string | null {
  const fixed = fixedPhrase(item);
  if (fixed) return fixed;
  const words = item.split(' ').filter(Boolean);
  if (words.length === 0 || words.some((w) => functionWords.has(w))) return null;
  if (translate && words.every((w) => isIdentifier(w) || glossary[w]))
    return words.map((w) => (isIdentifier(w) ? w : (glossary[w] ?? w))).join(' ');
  if (words.length > 4) return null;
  const tail = words.at(-1) ?? '';
  if (words.length > 1 && (tail === 'docs' || tail === 'tests'))
    return `${words.slice(0, -1).join(' ')} ${glossary[tail]}`;
  return item;
}

/** Whether an object phrase is only known words (no name in it). */
export function isGenericPhrase(item: string): boolean {
  if (fixedPhrase(item) && !/^\d/.test(item)) return true;
  const words = item.split(' ').filter(Boolean);
  return words.length > 0 && words.every((w) => !isIdentifier(w) && glossary[w] !== undefined);
}

/**
 * A list as the drafter writes it (`a, b and c`, `a, b and 3 more`) in Korean (`a, b, c`,
 * `a, b 외 3개`); null when an item cannot be placed.
 */
export function koreanList(text: string, translate: boolean): string | null {
  const items = text.split(/, | and /);
  const more = /^(\d+) more$/.exec(items.at(-1) ?? '');
  if (more) items.pop();
  const rendered = items.map((item) => koreanItem(item.trim(), translate));
  if (rendered.some((r) => r === null) || rendered.length === 0) return null;
  return `${rendered.join(', ')}${more ? ` 외 ${more[1]}개` : ''}`;
}
