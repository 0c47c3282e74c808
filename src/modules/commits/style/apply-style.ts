import { asBullets, asProse, bodyStyle, longestLine, readBody, writeBody } from './body-shape.js';
import { MIN_CASES } from './learn-style.js';
import { localizeSubject, shorterSubjects } from './localize-subject.js';
import { matchScope } from './scope-match.js';
import type { StyleDraft, StyledDraft, StyleProfile } from './style.types.js';
import { charLength, hangulSyllable } from './text.js';

const percent = (value: number) => `${Math.round(value * 100)} %`;

/** Spellings teams use for one type; a type is only ever replaced by one of its own family. */
const typeFamilies: readonly string[][] = [
  ['feat', 'feature', 'features', 'feats'],
  ['fix', 'fixes', 'bugfix', 'bugfixes', 'bug'],
  ['docs', 'doc', 'documentation'],
  ['test', 'tests', 'testing'],
  ['refactor', 'refactoring', 'refactors'],
  ['perf', 'performance'],
  ['style', 'styles', 'styling'],
  ['build', 'builds'],
  ['ci', 'cicd'],
  ['chore', 'chores'],
  ['revert', 'reverts'],
];

function styleType(type: string, profile: StyleProfile, notes: string[]): string {
  const typed = profile.types.reduce((sum, c) => sum + c.count, 0);
  if (typed < MIN_CASES || profile.types.some((c) => c.value === type.toLowerCase())) return type;
  const family = typeFamilies.find((f) => f.includes(type.toLowerCase())) ?? [];
  const equivalent = profile.types.find((c) => family.includes(c.value));
  if (!equivalent) return type;
  notes.push(
    `type ${type} → ${equivalent.value}: the team writes ${equivalent.value} (${equivalent.count} of ${typed} typed commits) and never ${type}`,
  );
  return equivalent.value;
}

function styleScope(
  scope: string | null,
  type: string,
  profile: StyleProfile,
  notes: string[],
): string | null {
  if (!scope) return scope;
  const typed = profile.types.reduce((sum, c) => sum + c.count, 0);
  if (typed >= MIN_CASES && profile.scopeUsage < 0.2) {
    notes.push(
      `scope ${scope} left out: the team names a scope in ${percent(profile.scopeUsage)} of its commits`,
    );
    return null;
  }
  const match = matchScope(scope, profile.scopes, profile.scopesByType[type.toLowerCase()] ?? []);
  if (!match || match.scope === scope) return scope;
  notes.push(`scope ${scope} → ${match.scope} (${match.rule}): the team's scope`);
  return match.scope;
}

function styleBody(body: string, profile: StyleProfile, notes: string[]): string {
  if (body.trim() === '') return '';
  if (profile.sample >= MIN_CASES && profile.body.share < 0.1) {
    notes.push(`body left out: ${percent(profile.body.share)} of the team's commits have one`);
    return '';
  }
  const drafted = readBody(body);
  const lineCount = drafted.reduce((n, b) => n + (b.kind === 'bullets' ? b.items.length : 1), 0);
  const wrapped = body.split('\n').filter((l) => l.trim() !== '').length > lineCount;
  let blocks = drafted;
  const changes: string[] = [];
  const style = bodyStyle(drafted);
  if (profile.body.style === 'bullets' && style !== 'bullets') {
    blocks = asBullets(blocks);
    changes.push('written as a list, as the team writes bodies');
  } else if (profile.body.style === 'prose' && style !== 'prose') {
    blocks = asProse(blocks);
    changes.push('written as prose, as the team writes bodies');
  }
  // Lines of 50–100 columns are a wrapping habit; shorter ones are short items, not a column.
  const width = profile.body.lineWidth;
  const wraps = width !== null && width >= 50 && width <= 100;
  const unwraps = width !== null && width > 100;
  if (wraps && longestLine(body) > width)
    changes.push(`wrapped at ${width} columns, the team's usual line width`);
  else if (unwraps && wrapped) changes.push('unwrapped: the team does not wrap its bodies');
  if (changes.length === 0) return body;
  notes.push(`body ${changes.join('; ')}`);
  // No width to follow: the 72 columns git's own tools assume.
  return writeBody(blocks, wraps ? width : unwraps ? Number.POSITIVE_INFINITY : 72);
}

function casedAndPunctuated(subject: string, profile: StyleProfile): string {
  let text = subject;
  if (!hangulSyllable.test(text)) {
    if (profile.subject.case === 'lower' && /^[A-Z][a-z]+\b/.test(text))
      text = `${text[0]?.toLowerCase()}${text.slice(1)}`;
    if (profile.subject.case === 'upper' && /^[a-z]+\b/.test(text))
      text = `${text[0]?.toUpperCase()}${text.slice(1)}`;
  }
  if (profile.subject.period === 'always' && !/[.!?]$/.test(text)) text = `${text}.`;
  if (profile.subject.period === 'never' && /[^.]\.$/.test(text)) text = text.slice(0, -1);
  return text;
}

function styleSubject(subject: string, profile: StyleProfile, notes: string[]): string {
  const korean = profile.language === 'ko' && !hangulSyllable.test(subject);
  let localizable = korean;
  if (korean) {
    const first = localizeSubject(subject, 'ko');
    if (!first.localized) {
      notes.push(`subject kept in English: ${first.reason}`);
      localizable = false;
    } else notes.push('subject written in Korean, as the team writes');
  }
  const render = (english: string) =>
    casedAndPunctuated(localizable ? localizeSubject(english, 'ko').text : english, profile);
  const full = render(subject);
  if (full !== subject && !korean) {
    const what = [
      full[0] !== subject[0]
        ? `first letter ${profile.subject.case === 'lower' ? 'lowercase' : 'capitalized'}`
        : null,
      full.endsWith('.') !== subject.endsWith('.')
        ? full.endsWith('.')
          ? 'period added'
          : 'period removed'
        : null,
    ].filter(Boolean);
    if (what.length > 0) notes.push(`subject ${what.join(', ')}, as the team writes`);
  }
  const limit = profile.subject.p90;
  if (profile.subject.count < MIN_CASES || charLength(full) <= limit) return full;
  const shorter = shorterSubjects(subject)
    .map(render)
    .find((s) => charLength(s) <= limit);
  if (shorter) {
    notes.push(
      `subject shortened to ${charLength(shorter)} characters (trailing qualifier removed): the team's subjects stay within ${limit} (p90)`,
    );
    return shorter;
  }
  notes.push(
    `subject kept at ${charLength(full)} characters, over the team's ${limit} (p90): it cannot be shortened without losing meaning`,
  );
  return full;
}

/**
 * Fits a draft to the team's own voice (see README.md for each rule): the type and scope the
 * team uses for it, its subject case, period, length and language, and its body habit. Every
 * change — and every habit it could not follow — is explained in `notes`. An empty profile
 * changes nothing.
 *
 * @example
 * applyStyle({ type: 'feat', scope: 'parsers', subject: 'add parseHeader guard', body: '', breaking: false, breakingNote: null }, profile);
 * // { type: 'feature', scope: 'parser', subject: 'Add parseHeader guard', …, notes: ['type feat → feature: …', …] }
 */
export function applyStyle(draft: StyleDraft, profile: StyleProfile): StyledDraft {
  const notes: string[] = [];
  const type = styleType(draft.type, profile, notes);
  const scope = styleScope(draft.scope, type, profile, notes);
  const subject = styleSubject(draft.subject, profile, notes);
  const body = styleBody(draft.body, profile, notes);
  if (profile.language === 'ko' && body !== '' && !hangulSyllable.test(body))
    notes.push('body kept in English: only subjects are written in Korean');
  return { ...draft, type, scope, subject, body, notes };
}
