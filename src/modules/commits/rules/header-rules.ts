import { headerParts, isBreakingToken, type ParsedCommitMessage } from './commit-message.js';
import { isKnownGitmoji } from './gitmoji.js';
import { findNonImperative } from './imperative.js';
import { listOf, quote, type RuleDefinitions, withHeader, withSubject } from './rule-definition.js';
import { type TextCase, whenOf } from './rules.schema.js';
import { caseList, casePasses, isInCase } from './text-case.js';
import { charLength } from './wrap-body.js';

type HeaderRule =
  | 'header-trim'
  | 'start-with-gitmoji'
  | 'type-case'
  | 'type-enum'
  | 'type-empty'
  | 'scope-enum'
  | 'scope-empty'
  | 'subject-empty'
  | 'subject-imperative'
  | 'subject-case'
  | 'subject-full-stop'
  | 'subject-max-length'
  | 'header-max-length'
  | 'breaking-change-exclamation-mark';

/**
 * Types that mean the same change. A type-enum fix maps a type to the one member of its group
 * the convention allows; it never maps across groups (`perf` is not `refactor`), which is where
 * the offline drafter's fallbacks differ: they pick a nearby type, a fix may not.
 */
const typeSynonyms = [
  ['feat', 'feature', 'features', 'feats'],
  ['fix', 'fixes', 'fixed', 'bugfix', 'bugfixes', 'hotfix'],
  ['docs', 'doc', 'documentation'],
  ['test', 'tests', 'testing'],
  ['refactor', 'refactors', 'refactoring'],
  ['perf', 'performance'],
  ['style', 'styles'],
  ['chore', 'chores'],
  ['build', 'builds'],
  ['revert', 'reverts'],
];

function allowedTypeFor(type: string, allowed: string[]): string | null {
  const lower = type.toLowerCase();
  const exact = allowed.filter((t) => t.toLowerCase() === lower);
  if (exact.length === 1) return exact[0] ?? null;
  const group = typeSynonyms.find((g) => g.includes(lower));
  const members = group ? allowed.filter((t) => group.includes(t.toLowerCase())) : [];
  return members.length === 1 ? (members[0] ?? null) : null;
}

function withType(message: ParsedCommitMessage, type: string): string | null {
  const parts = headerParts(message.header);
  if (!parts.type) return null;
  const { header } = message;
  return withHeader(message, header.slice(0, parts.type.start) + type + header.slice(parts.type.end));
}

const scopeDelimiters = /\/|\\|, ?/;
const scopeSegments = (scope: string) => scope.split(scopeDelimiters);

function scopeAllowed(scope: string, when: 'always' | 'never', allowed: string[]): boolean {
  const segments = scopeSegments(scope);
  if (when === 'never') return !allowed.includes(scope) && !segments.some((s) => allowed.includes(s));
  return allowed.includes(scope) || segments.every((s) => allowed.includes(s));
}

/** The first word lowered ("Add x" → "add x") or raised ("add x" → "Add x"), when that is all it takes. */
function recased(subject: string, when: 'always' | 'never', value: TextCase | TextCase[]): string | null {
  const word = /^\p{L}+/u.exec(subject)?.[0] ?? '';
  const rest = subject.slice(word.length);
  const candidates = [
    // A capitalised word, not an acronym (API) or an identifier (getUser, iOS).
    /^\p{Lu}\p{Ll}*$/u.test(word) ? word.toLowerCase() + rest : null,
    /^\p{Ll}+$/u.test(word) ? word.charAt(0).toUpperCase() + word.slice(1) + rest : null,
  ];
  return candidates.find((c) => c !== null && casePasses(c, when, value)) ?? null;
}

const endsWithEllipsis = (text: string) => text.endsWith('...') || text.endsWith('…');

export const headerRules: RuleDefinitions<HeaderRule> = {
  'header-trim': {
    check({ header }) {
      const leading = header !== header.trimStart();
      const trailing = header !== header.trimEnd();
      if (leading && trailing) return 'Remove the spaces around the header.';
      if (leading) return 'Remove the spaces before the header.';
      if (trailing) return 'Remove the spaces after the header.';
      return null;
    },
    fix(message) {
      const { header } = message;
      // A header that starts with `#` once trimmed would be a comment line to git, and dropped.
      const trimmed = header.trim().startsWith('#') ? header.trimEnd() : header.trim();
      return trimmed === header ? null : withHeader(message, trimmed);
    },
  },

  'start-with-gitmoji': {
    check(message, entry) {
      const parts = headerParts(message.header);
      const form = entry.value?.form ?? 'either';
      const gitmoji = parts.gitmoji?.value;
      if (!gitmoji)
        return 'Start the header with a gitmoji (for instance ✨ or :sparkles: for a new feature).';
      if (!isKnownGitmoji(gitmoji))
        return `${quote(gitmoji.text)} is not a gitmoji gitmoji.dev lists; use one from its list.`;
      const atStart = parts.gitmoji?.start === message.header.length - message.header.trimStart().length;
      if (!atStart) return `Put the gitmoji ${gitmoji.text} first, before the type.`;
      if (form === 'emoji' && gitmoji.text.startsWith(':'))
        return `Write the gitmoji as an emoji (${gitmoji.emoji}), not as ${gitmoji.code}.`;
      if (form === 'shortcode' && !gitmoji.text.startsWith(':'))
        return `Write the gitmoji as a shortcode (${gitmoji.code}), not as ${gitmoji.text}.`;
      return null;
    },
    fix(message, entry) {
      const parts = headerParts(message.header);
      const found = parts.gitmoji;
      if (!found || !isKnownGitmoji(found.value)) return null;
      const form = entry.value?.form ?? 'either';
      const wanted =
        (form === 'emoji' ? found.value.emoji : form === 'shortcode' ? found.value.code : null) ??
        found.value.text;
      const { header } = message;
      const rest =
        `${header.slice(0, found.start)}${header.slice(found.end).replace(/^\s+/, '')}`.trimStart();
      const indent = header.slice(0, header.length - header.trimStart().length);
      return withHeader(message, `${indent}${wanted} ${rest}`);
    },
  },

  'type-case': {
    check({ type }, entry) {
      if (!type) return null;
      const when = whenOf(entry);
      if (casePasses(type, when, entry.value)) return null;
      return `The type ${quote(type)} must ${when === 'never' ? 'not ' : ''}be ${caseList(entry.value)}.`;
    },
    fix(message, entry) {
      const { type } = message;
      if (!type || whenOf(entry) !== 'always') return null;
      const targets = Array.isArray(entry.value) ? entry.value : [entry.value];
      for (const target of targets) {
        const candidate =
          target === 'lower-case' ? type.toLowerCase() : target === 'upper-case' ? type.toUpperCase() : null;
        if (candidate && isInCase(candidate, target)) return withType(message, candidate);
      }
      return null;
    },
  },

  'type-enum': {
    check({ type }, entry) {
      if (!type) return null;
      if (whenOf(entry) === 'never')
        return entry.value.includes(type) ? `The type ${quote(type)} is not allowed here.` : null;
      if (entry.value.includes(type)) return null;
      const suggestion = allowedTypeFor(type, entry.value);
      return `The type ${quote(type)} is not allowed; ${
        suggestion ? `write ${quote(suggestion)}` : `use one of ${listOf(entry.value, 'or')}`
      }.`;
    },
    fix(message, entry) {
      if (!message.type || whenOf(entry) === 'never') return null;
      const allowed = allowedTypeFor(message.type, entry.value);
      return allowed ? withType(message, allowed) : null;
    },
  },

  'type-empty': {
    check({ type }, entry) {
      if (whenOf(entry) === 'always')
        return type ? `Remove the type ${quote(type)}; this convention writes headers without one.` : null;
      return type ? null : 'Start the header with a type, as in "fix: what changed".';
    },
  },

  'scope-enum': {
    check({ scope }, entry) {
      if (!scope) return null;
      const when = whenOf(entry);
      if (scopeAllowed(scope, when, entry.value)) return null;
      return when === 'never'
        ? `The scope ${quote(scope)} is not allowed here.`
        : `The scope ${quote(scope)} is not allowed; use one of ${listOf(entry.value, 'or')}.`;
    },
    fix(message, entry) {
      const { scope } = message;
      const parts = headerParts(message.header);
      if (!scope || !parts.type || whenOf(entry) === 'never') return null;
      const fixed = scope.replace(/[^/\\,\s]+/g, (segment) => {
        const same = entry.value.filter((s) => s.toLowerCase() === segment.toLowerCase());
        return same.length === 1 ? (same[0] ?? segment) : segment;
      });
      if (fixed === scope || !scopeAllowed(fixed, 'always', entry.value)) return null;
      const start = parts.type.end + 1;
      const { header } = message;
      return withHeader(message, header.slice(0, start) + fixed + header.slice(start + scope.length));
    },
  },

  'scope-empty': {
    check({ scope }, entry) {
      if (whenOf(entry) === 'always')
        return scope ? `Remove the scope ${quote(scope)}; this convention writes headers without one.` : null;
      return scope ? null : 'Add a scope to the header, as in "fix(parser): what changed".';
    },
  },

  'subject-empty': {
    check({ subject }, entry) {
      if (whenOf(entry) === 'always')
        return subject ? 'Leave the subject empty; this convention puts nothing after the type.' : null;
      return subject ? null : 'Write a subject after the type: "fix: what changed".';
    },
  },

  'subject-imperative': {
    check({ subject }) {
      const found = findNonImperative(subject);
      return found
        ? `Write the subject in the imperative mood: ${quote(found.imperative)}, not ${quote(found.word)}.`
        : null;
    },
    fix(message) {
      const fixed = findNonImperative(message.subject)?.fixed;
      return fixed ? withSubject(message, fixed) : null;
    },
  },

  'subject-case': {
    check({ subject }, entry) {
      // As commitlint: a subject that does not start with a Latin letter is in every case.
      if (!/^[a-z]/i.test(subject)) return null;
      const when = whenOf(entry);
      if (casePasses(subject, when, entry.value)) return null;
      const targets = Array.isArray(entry.value) ? entry.value : [entry.value];
      const wants =
        when === 'never'
          ? `must not be ${listOf(
              targets.filter((t) => isInCase(subject, t)),
              'or',
            )}`
          : `must be ${listOf(targets, 'or')}`;
      const fixed = recased(subject, when, entry.value);
      const letter = /^\p{Ll}/u.test(fixed ?? '') ? 'a lower-case' : 'a capital';
      const hint = fixed ? `; start it with ${letter} letter (${quote(fixed)})` : '';
      return `The subject ${wants}${hint}.`;
    },
    fix(message, entry) {
      const fixed = recased(message.subject, whenOf(entry), entry.value);
      return fixed ? withSubject(message, fixed) : null;
    },
  },

  'subject-full-stop': {
    check({ subject }, entry) {
      const stop = entry.value ?? '.';
      if (!subject) return null;
      const ends = subject.endsWith(stop) && !endsWithEllipsis(subject);
      if (whenOf(entry) === 'never')
        return ends ? `Remove the ${quote(stop)} at the end of the subject.` : null;
      return ends || endsWithEllipsis(subject) ? null : `End the subject with ${quote(stop)}.`;
    },
    fix(message, entry) {
      const stop = entry.value ?? '.';
      const { subject } = message;
      if (whenOf(entry) === 'always') return withSubject(message, subject + stop);
      let fixed = subject;
      while (fixed.endsWith(stop)) fixed = fixed.slice(0, -stop.length).trimEnd();
      return fixed ? withSubject(message, fixed) : null;
    },
  },

  'subject-max-length': {
    check({ subject }, entry) {
      const length = charLength(subject);
      return length > entry.value
        ? `The subject is ${length} characters long; shorten it to ${entry.value} or fewer.`
        : null;
    },
  },

  'header-max-length': {
    check({ header }, entry) {
      const length = charLength(header);
      return length > entry.value
        ? `The header is ${length} characters long; shorten it to ${entry.value} or fewer (move details to the body).`
        : null;
    },
  },

  'breaking-change-exclamation-mark': {
    check(message) {
      const footer = message.footers.some((f) => isBreakingToken(f.token));
      if (message.breaking && !footer)
        return 'The header marks a breaking change with "!"; add a "BREAKING CHANGE: <what breaks and how to migrate>" footer.';
      if (!message.breaking && footer)
        return message.type
          ? `The message has a BREAKING CHANGE footer; mark the header with "!" as well ("${message.type}!: …").`
          : 'The message has a BREAKING CHANGE footer; give the header a type marked with "!" ("feat!: …").';
      return null;
    },
    fix(message) {
      const { bangAt } = headerParts(message.header);
      if (message.breaking || bangAt === null) return null;
      return withHeader(message, `${message.header.slice(0, bangAt)}!${message.header.slice(bangAt)}`);
    },
  },
};
