import { describe, expect, it } from 'vitest';
import { fromCommitlintConfig } from './commitlint.js';
import { evaluateRules } from './evaluate.js';
import { conventionalPreset, gitmojiPreset, withAutofix } from './presets.js';
import { validateRules } from './rules.schema.js';

// @commitlint/config-conventional's rules, as its package writes them.
const configConventional = {
  'body-leading-blank': [1, 'always'],
  'body-max-line-length': [2, 'always', 100],
  'footer-leading-blank': [1, 'always'],
  'footer-max-line-length': [2, 'always', 100],
  'header-max-length': [2, 'always', 100],
  'header-trim': [2, 'always'],
  'subject-case': [2, 'never', ['sentence-case', 'start-case', 'pascal-case', 'upper-case']],
  'subject-empty': [2, 'never'],
  'subject-full-stop': [2, 'never', '.'],
  'type-case': [2, 'always', 'lower-case'],
  'type-empty': [2, 'never'],
  'type-enum': [
    2,
    'always',
    ['build', 'chore', 'ci', 'docs', 'feat', 'fix', 'perf', 'refactor', 'revert', 'style', 'test'],
  ],
};

describe('fromCommitlintConfig', () => {
  it('translates config-conventional rule for rule into conventionalPreset()', () => {
    expect(fromCommitlintConfig({ rules: configConventional })).toEqual({
      rules: conventionalPreset(),
      untranslated: [],
    });
    expect(fromCommitlintConfig({ extends: '@commitlint/config-conventional' })).toEqual({
      rules: conventionalPreset(),
      untranslated: [],
    });
  });

  it('applies a config’s rules over the preset it extends', () => {
    const { rules, untranslated } = fromCommitlintConfig({
      extends: ['@commitlint/config-conventional'],
      rules: {
        'header-max-length': [1, 'always', 72],
        'type-enum': [2, 'always', ['feat', 'fix']],
        'body-leading-blank': [0],
        'scope-empty': [2, 'never'],
        'scope-enum': [0, 'always', ['api']],
      },
    });
    expect(untranslated).toEqual([]);
    expect(rules).toEqual([
      { rule: 'body-leading-blank', level: 'off', when: 'always' },
      { rule: 'body-max-line-length', level: 'block', when: 'always', value: 100 },
      { rule: 'footer-leading-blank', level: 'warn', when: 'always' },
      { rule: 'footer-max-line-length', level: 'block', when: 'always', value: 100 },
      { rule: 'header-max-length', level: 'warn', when: 'always', value: 72 },
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
      { rule: 'type-enum', level: 'block', when: 'always', value: ['feat', 'fix'] },
      { rule: 'scope-empty', level: 'block', when: 'never' },
    ]);
  });

  it('carries commitlint’s defaults and spellings over', () => {
    expect(
      fromCommitlintConfig({
        rules: {
          'subject-full-stop': [2],
          'subject-case': [2, 'always', 'lowerCase'],
          'type-case': [1, 'always', ['lowercase', 'uppercase']],
          'header-full-stop': [1, 'never', '.'],
          'start-with-gitmoji': [2, 'always'],
          'breaking-change-exclamation-mark': [2, 'always'],
        },
        plugins: ['commitlint-plugin-gitmoji'],
      }),
    ).toEqual({
      rules: [
        { rule: 'subject-full-stop', level: 'warn', when: 'never', value: '.' },
        { rule: 'subject-case', level: 'block', when: 'always', value: 'lower-case' },
        { rule: 'type-case', level: 'warn', when: 'always', value: ['lower-case', 'upper-case'] },
        { rule: 'start-with-gitmoji', level: 'block', when: 'always' },
        { rule: 'breaking-change-exclamation-mark', level: 'block', when: 'always' },
      ],
      untranslated: [],
    });
    // Left out, commitlint's `when` for subject-full-stop is "always".
    expect(fromCommitlintConfig({ rules: { 'subject-full-stop': [2] } }).rules).toEqual([
      { rule: 'subject-full-stop', level: 'block', when: 'always' },
    ]);
  });

  it('lists what it cannot translate, and why', () => {
    const { rules, untranslated } = fromCommitlintConfig({
      extends: ['@commitlint/config-angular', './local-config.js'],
      parserPreset: 'conventional-changelog-atom',
      plugins: ['commitlint-plugin-function-rules'],
      defaultIgnores: false,
      ignores: [],
      rules: {
        'body-case': [2, 'always', 'lower-case'],
        'header-max-length': [3, 'always', 72],
        'type-enum': [2, 'sometimes', ['feat']],
        'scope-enum': [2, 'always', 'api'],
        'subject-max-length': [2, 'never', 50],
        'type-empty': { level: 2 },
        'references-empty': [2, 'never'],
      },
    });
    expect(rules).toEqual([{ rule: 'references-empty', level: 'block', when: 'never' }]);
    expect(untranslated).toEqual([
      {
        rule: 'extends',
        reason:
          'Keel does not load shared configs; "@commitlint/config-angular" was left out (only @commitlint/config-conventional is built in)',
      },
      {
        rule: 'extends',
        reason:
          'Keel does not load shared configs; "./local-config.js" was left out (only @commitlint/config-conventional is built in)',
      },
      { rule: 'body-case', reason: "Keel has no rule like commitlint's body-case" },
      { rule: 'header-max-length', reason: 'the level must be 0, 1 or 2, not 3' },
      { rule: 'type-enum', reason: '"when" must be "always" or "never", not "sometimes"' },
      {
        rule: 'scope-enum',
        reason: 'its value cannot be used: Invalid input: expected array, received string',
      },
      { rule: 'subject-max-length', reason: 'its when cannot be used: Invalid input: expected "always"' },
      {
        rule: 'type-empty',
        reason: 'a rule is written [level, when?, value?]; a function or an object cannot be translated',
      },
      {
        rule: 'parserPreset',
        reason:
          'Keel reads headers as Conventional Commits (with an optional gitmoji); a parser preset is not applied',
      },
      {
        rule: 'plugins',
        reason:
          'Keel runs no commitlint plugins; "commitlint-plugin-function-rules" and its rules were left out',
      },
      { rule: 'ignores', reason: 'ignore functions cannot be read from JSON' },
      {
        rule: 'defaultIgnores',
        reason: 'Keel skips merge, revert and fixup! messages unless the caller asks it to check them',
      },
    ]);
  });

  it('refuses what is not a config object', () => {
    for (const config of [null, 'rules', [1, 2]])
      expect(fromCommitlintConfig(config)).toEqual({
        rules: [],
        untranslated: [{ rule: '(config)', reason: 'a commitlint config is a JSON object' }],
      });
    expect(fromCommitlintConfig({ rules: [] }).untranslated).toEqual([
      { rule: 'rules', reason: '"rules" must be an object of rule name → [level, when, value]' },
    ]);
  });
});

describe('presets', () => {
  it('are valid rule lists, with and without autofix', () => {
    expect(validateRules(conventionalPreset())).toEqual([]);
    expect(validateRules(withAutofix(conventionalPreset()))).toEqual([]);
    expect(validateRules(gitmojiPreset())).toEqual([]);
    expect(validateRules(withAutofix(gitmojiPreset()))).toEqual([]);
  });

  it('conventionalPreset judges like config-conventional', () => {
    const verdict = (message: string) =>
      evaluateRules(message, conventionalPreset()).violations.map((v) => `${v.level} ${v.rule}`);
    expect(verdict('feat(api): add login lockout')).toEqual([]);
    expect(verdict('feature: Add login lockout.')).toEqual([
      'block type-enum',
      'block subject-case',
      'block subject-full-stop',
    ]);
    expect(verdict('add login lockout\nbody')).toEqual(['block type-empty', 'warn body-leading-blank']);
  });

  it('gitmojiPreset takes gitmoji.dev’s own style', () => {
    const verdict = (message: string) =>
      evaluateRules(message, gitmojiPreset()).violations.map((v) => `${v.level} ${v.rule}`);
    expect(verdict('⚡️ Lazyload home screen images.')).toEqual([]);
    expect(verdict(':sparkles: feat(api): add x')).toEqual([]);
    expect(verdict('Lazyload home screen images')).toEqual(['block start-with-gitmoji']);
    expect(verdict('✨')).toEqual(['block subject-empty']);
  });
});
