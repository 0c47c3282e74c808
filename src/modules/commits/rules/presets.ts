import { isFixable, type RuleEntry } from './rules.schema.js';

/** The types @commitlint/config-conventional allows. */
export const CONVENTIONAL_TYPES = [
  'build',
  'chore',
  'ci',
  'docs',
  'feat',
  'fix',
  'perf',
  'refactor',
  'revert',
  'style',
  'test',
] as const;

/**
 * The rules of @commitlint/config-conventional, entry for entry (levels 1 → warn, 2 → block),
 * with no autofix: commitlint has none, and a team turns them on with `withAutofix`.
 */
export function conventionalPreset(): RuleEntry[] {
  return [
    { rule: 'body-leading-blank', level: 'warn', when: 'always' },
    { rule: 'body-max-line-length', level: 'block', when: 'always', value: 100 },
    { rule: 'footer-leading-blank', level: 'warn', when: 'always' },
    { rule: 'footer-max-line-length', level: 'block', when: 'always', value: 100 },
    { rule: 'header-max-length', level: 'block', when: 'always', value: 100 },
    { rule: 'header-trim', level: 'block', when: 'always' },
    {
      rule: 'subject-case',
      level: 'block',
      when: 'never',
      value: ['sentence-case', 'start-case', 'pascal-case', 'upper-case'],
    },
    { rule: 'subject-empty', level: 'block', when: 'never' },
    { rule: 'subject-full-stop', level: 'block', when: 'never', value: '.' },
    { rule: 'type-case', level: 'block', when: 'always', value: 'lower-case' },
    { rule: 'type-empty', level: 'block', when: 'never' },
    { rule: 'type-enum', level: 'block', when: 'always', value: [...CONVENTIONAL_TYPES] },
  ];
}

/**
 * gitmoji.dev's convention — `<gitmoji> [scope:] <subject>`, no type required: the header starts
 * with a gitmoji it lists (emoji or shortcode), within 100 characters, with a subject, and blank
 * lines before the body and the footers. Its subjects may be capitalised and end with a period.
 */
export function gitmojiPreset(): RuleEntry[] {
  return [
    { rule: 'start-with-gitmoji', level: 'block', value: { form: 'either' } },
    { rule: 'header-trim', level: 'block' },
    { rule: 'header-max-length', level: 'block', value: 100 },
    { rule: 'subject-empty', level: 'block', when: 'never' },
    { rule: 'body-leading-blank', level: 'warn', when: 'always' },
    { rule: 'footer-leading-blank', level: 'warn', when: 'always' },
  ];
}

/** The same rules, with `autofix: true` on every rule that has an autofix. */
export function withAutofix(rules: RuleEntry[]): RuleEntry[] {
  return rules.map((entry) => (isFixable(entry) ? { ...entry, autofix: true } : entry));
}
