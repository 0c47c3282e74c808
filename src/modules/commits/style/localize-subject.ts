import { eul, euro, isGenericPhrase, koreanList } from './korean.js';
import type { Language, LocalizedSubject } from './style.types.js';
import { hangulSyllable } from './text.js';

/**
 * The subject shapes the drafters write ("add X to Y", "rename X to Y", "bump X from A to B"…),
 * each with its Korean form and, where a trailing qualifier can go without losing what the
 * change is, a shorter English form.
 */

type Match = string[];

interface Shape {
  name: string;
  pattern: RegExp;
  /** The Korean subject, or null when a part cannot be placed. */
  ko: (m: Match) => string | null;
  /** The subject without its trailing qualifier, when that keeps its meaning. */
  shorter?: (m: Match) => string | null;
}

/** A list of objects: known words in Korean, names as written. */
const things = (text: string) => koreanList(text, true);
/** A list of places and names (files, folders, declarations, versions): as written. */
const names = (text: string) => koreanList(text, false);

/** Joins the parts of a Korean template; null when any part could not be written. */
function join(...parts: (string | null)[]): string | null {
  return parts.some((p) => p === null) ? null : parts.join('');
}

/** The object holds a name (a declaration, a file): the place after it is a qualifier. */
function namesSomething(object: string): boolean {
  return object.split(/, | and /).some((item) => !isGenericPhrase(item.trim()));
}

interface Verb {
  ko: string;
  /** The particle of each place word the verb takes: `in Y` → `Y의 X 수정`. */
  places: Partial<Record<'in' | 'to' | 'from', '의' | '에' | '에서'>>;
}

const verbs: Readonly<Record<string, Verb>> = {
  add: { ko: '추가', places: { to: '에', in: '에' } },
  remove: { ko: '제거', places: { from: '에서', in: '의' } },
  fix: { ko: '수정', places: { in: '의' } },
  handle: { ko: '처리', places: { in: '에서' } },
  support: { ko: '지원', places: { in: '에서' } },
  update: { ko: '업데이트', places: { in: '의' } },
  document: { ko: '문서화', places: { in: '의' } },
  test: { ko: '테스트', places: { in: '의' } },
  refactor: { ko: '리팩터링', places: { in: '의' } },
  simplify: { ko: '단순화', places: { in: '의' } },
  optimize: { ko: '최적화', places: { in: '의' } },
  extend: { ko: '확장', places: { in: '의' } },
  rework: { ko: '재작업', places: { in: '의' } },
  format: { ko: '포맷팅', places: { in: '의' } },
  improve: { ko: '개선', places: { in: '의' } },
};

const verbNames = Object.keys(verbs).join('|');
const moves: Readonly<Record<string, string>> = { move: '이동', extract: '추출' };

const shapes: Shape[] = [
  {
    name: 'no-diff',
    pattern: /^describe the change \(no diff found\)$/,
    ko: () => '변경 내용 설명 필요 (diff 없음)',
  },
  { name: 'lock-file', pattern: /^refresh the lock file$/, ko: () => 'lock 파일 갱신' },
  {
    name: 'dependencies',
    pattern: /^update dependencies (.+)$/,
    ko: ([, list = '']) => join(names(list), ' 의존성 업데이트'),
  },
  {
    name: 'bump-from-to',
    pattern: /^bump (\S+) from (\S+) to (\S+)$/,
    ko: ([, dep = '', from = '', to = '']) => `${dep} 버전을 ${from}에서 ${euro(to)} 업데이트`,
  },
  {
    name: 'bump-to',
    pattern: /^bump (\S+) to (\S+)$/,
    ko: ([, dep = '', to = '']) => `${dep} 버전을 ${euro(to)} 업데이트`,
  },
  { name: 'bump', pattern: /^bump (.+)$/, ko: ([, list = '']) => join(names(list), ' 버전 업데이트') },
  {
    name: 'rename',
    pattern: /^rename (.+?) to (.+)$/,
    ko: ([, from = '', to = '']) => {
      const [a, b] = [names(from), names(to)];
      return a && b ? `${a} 이름을 ${euro(b)} 변경` : null;
    },
  },
  {
    name: 'move-to',
    pattern: /^(move|extract) (.+?) (?:to|into) (.+)$/,
    ko: ([, verb = '', what = '', where = '']) => {
      const [a, b] = [things(what), names(where)];
      return a && b ? `${eul(a)} ${euro(b)} ${moves[verb]}` : null;
    },
    // A moved file keeps its destination; moved declarations are named without it.
    shorter: ([, verb, what = '']) =>
      namesSomething(what) && !what.includes('/') ? `${verb} ${what}` : null,
  },
  {
    name: 'move',
    pattern: /^(move|extract) (.+)$/,
    ko: ([, verb = '', what = '']) => join(things(what), ` ${moves[verb]}`),
  },
  { name: 'add-test', pattern: /^add test: (.+)$/, ko: ([, title]) => `테스트 추가: ${title}` },
  {
    name: 'add-a-test',
    pattern: /^add a test to (.+)$/,
    ko: ([, where = '']) => join(names(where), '에 테스트 추가'),
  },
  {
    name: 'add-with',
    pattern: /^add (.+?) with (.+)$/,
    ko: ([, what = '', parts = '']) => join(things(what), ' 추가 (', names(parts), ' 포함)'),
    shorter: ([, what]) => `add ${what}`,
  },
  {
    name: 'share-helpers',
    pattern: /^share test helpers(?: in (.+))?$/,
    ko: ([, where]) => (where ? join(names(where), '에 공용 테스트 헬퍼 추가') : '공용 테스트 헬퍼 추가'),
    shorter: ([, where]) => (where ? 'share test helpers' : null),
  },
  {
    name: 'guard',
    pattern: /^guard (.+?)(?: against (.+))?$/,
    ko: ([, what = '', against]) =>
      against ? join(names(what), '에 ', things(against), ' 가드 추가') : join(names(what), '에 가드 추가'),
  },
  {
    name: 'verb',
    pattern: new RegExp(`^(${verbNames}) (.+?)(?: (in|to|from) (.+))?$`),
    ko: ([, verb = '', what = '', place, where = '']) => {
      const v = verbs[verb];
      if (!v) return null;
      if (!place) return join(things(what), ` ${v.ko}`);
      const particle = v.places[place as 'in' | 'to' | 'from'];
      return particle ? join(names(where), `${particle} `, things(what), ` ${v.ko}`) : null;
    },
    shorter: ([, verb = '', what = '', place]) => (place && namesSomething(what) ? `${verb} ${what}` : null),
  },
];

function match(subject: string): { shape: Shape; m: Match } | null {
  for (const shape of shapes) {
    const m = shape.pattern.exec(subject);
    if (m) return { shape, m: [...m].map((g) => g ?? '') };
  }
  return null;
}

/** `Add x.` → `add x` and the period, so the shapes read one form. */
function normalize(subject: string): { text: string; period: string } {
  const trimmed = subject.trim().replace(/\s+/g, ' ');
  const period = /[^.]\.$/.test(trimmed) ? '.' : '';
  const text = period ? trimmed.slice(0, -1) : trimmed;
  return { text: /^[A-Z][a-z]+\b/.test(text) ? `${text[0]?.toLowerCase()}${text.slice(1)}` : text, period };
}

/**
 * Writes a drafted English subject in natural Korean developer style (`add parseHeader guard`
 * → `parseHeader 가드 추가`, `rename foo to bar` → `foo 이름을 bar로 변경`), identifiers
 * untouched; clauses joined by `; ` are written one by one. A subject of a shape it does not
 * know stays as it was, with `localized: false` and the reason. `en` leaves English as it is.
 */
export function localizeSubject(subject: string, language: Language): LocalizedSubject {
  if (hangulSyllable.test(subject))
    return language === 'ko'
      ? { text: subject, localized: false, reason: 'the subject is already in Korean' }
      : { text: subject, localized: false, reason: 'the subject is not in English: it cannot be translated' };
  if (language === 'en') return { text: subject, localized: true };
  const { text, period } = normalize(subject);
  const clauses = text.split('; ').map((clause) => {
    const found = match(clause);
    return found ? found.shape.ko(found.m) : null;
  });
  if (clauses.some((c) => c === null))
    return { text: subject, localized: false, reason: 'not a subject shape the Korean templates know' };
  return { text: `${clauses.join('; ')}${period}`, localized: true };
}

/**
 * Shorter forms of an English subject, shortest last, each removing one trailing qualifier
 * that can go without changing what the change is: a parenthetical, the place after named
 * declarations (`add parseHeader to parser` → `add parseHeader`), the parts after `add X
 * with`. Never cuts a word, a clause, a destination of a rename or bump, or a generic object's
 * place (`fix error handling in parser` stays whole).
 */
export function shorterSubjects(subject: string): string[] {
  const out: string[] = [];
  let { text } = normalize(subject);
  const restoreCase = (s: string) =>
    /^[A-Z]/.test(subject.trim()) ? `${s[0]?.toUpperCase()}${s.slice(1)}` : s;
  for (;;) {
    // A parenthetical goes only when what remains is still a subject the shapes know.
    const withoutParenthetical = text.replace(/ \([^()]*\)$/, '');
    let next: string | null =
      withoutParenthetical !== text && match(withoutParenthetical) ? withoutParenthetical : null;
    if (next === null && !text.includes('; ')) {
      const found = match(text);
      next = found?.shape.shorter?.(found.m) ?? null;
    }
    if (next === null || next === text) return out;
    text = next;
    out.push(restoreCase(text));
  }
}
