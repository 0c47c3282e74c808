import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../kernel/errors/index.js';
import { conventionalPreset, gitmojiPreset } from './presets.js';
import { FIXABLE_RULES, parseRules, RULE_NAMES, ruleEntrySchema, validateRules } from './rules.schema.js';

describe('validateRules', () => {
  it('accepts the presets', () => {
    expect(validateRules(conventionalPreset())).toEqual([]);
    expect(validateRules(gitmojiPreset())).toEqual([]);
    expect(validateRules([])).toEqual([]);
  });

  it('names each problem by its field path', () => {
    const errors = validateRules([
      { rule: 'type-enum', level: 'block', value: ['feat', 'fix'] },
      { rule: 'type-emptyy', level: 'block' },
      { rule: 'header-max-length', level: 'block', value: 0 },
      { rule: 'scope-empty', level: 'error' },
      { level: 'warn' },
      { rule: 'subject-case', level: 'warn', value: 'Sentence' },
    ]);
    expect(errors).toEqual([
      { field: 'rules[1].rule', message: 'is not a rule Keel knows: "type-emptyy"' },
      { field: 'rules[2].value', message: 'Too small: expected number to be >=1' },
      {
        field: 'rules[3].level',
        message: 'Invalid option: expected one of "block"|"warn"|"off"',
      },
      { field: 'rules[4].rule', message: 'is required: name the rule (e.g. "type-enum")' },
      {
        field: 'rules[5].value',
        message:
          'must be a case (lower-case, upper-case, camel-case, kebab-case, pascal-case, sentence-case, snake-case, start-case) or a list of them',
      },
    ]);
  });

  it('refuses an autofix on a rule that has none, and says why', () => {
    expect(validateRules([{ rule: 'header-max-length', level: 'block', value: 72, autofix: true }])).toEqual([
      { field: 'rules[0].autofix', message: 'has no autofix: Keel never shortens a header silently' },
    ]);
    expect(validateRules([{ rule: 'header-max-length', level: 'block', value: 72, autofix: false }])).toEqual(
      [],
    );
  });

  it('accepts autofix: true exactly on the fixable rules', () => {
    const fixable = RULE_NAMES.filter((rule) => {
      const errors = validateRules([{ ...minimalEntry(rule), autofix: true }]);
      return !errors.some((e) => e.field === 'rules[0].autofix');
    });
    expect(fixable).toEqual([...FIXABLE_RULES]);
  });

  it('names unknown settings, and `when` a rule does not take', () => {
    expect(validateRules([{ rule: 'type-empty', level: 'block', levle: 'warn' }])).toEqual([
      { field: 'rules[0].levle', message: 'is not a setting of this rule' },
    ]);
    expect(validateRules([{ rule: 'header-max-length', level: 'block', when: 'never', value: 72 }])).toEqual([
      { field: 'rules[0].when', message: 'Invalid input: expected "always"' },
    ]);
  });

  it('checks that custom patterns compile and that their flags are safe', () => {
    const errors = validateRules([
      { rule: 'ticket-pattern', level: 'block', value: { pattern: 'PROJ-(\\d+' } },
      {
        rule: 'message-pattern',
        level: 'warn',
        value: { name: 'no-wip', pattern: 'wip', flags: 'gi', explanation: 'No WIP commits.' },
      },
      { rule: 'message-pattern', level: 'warn', value: { name: 'No WIP', pattern: 'wip', explanation: '' } },
    ]);
    expect(errors).toEqual([
      {
        field: 'rules[0].value.pattern',
        message:
          'is not a valid regular expression (Invalid regular expression: /PROJ-(\\d+/: Unterminated group)',
      },
      { field: 'rules[1].value.flags', message: 'may hold only the flags i, m, s and u, each once' },
      { field: 'rules[2].value.name', message: 'must be a short lower-case name (letters, digits, -)' },
      { field: 'rules[2].value.explanation', message: 'Too small: expected string to have >=1 characters' },
    ]);
  });

  it('allows one entry per rule, and one message-pattern per name', () => {
    const wip = { name: 'no-wip', pattern: 'wip', explanation: 'No WIP commits.' };
    expect(
      validateRules([
        { rule: 'type-empty', level: 'block' },
        { rule: 'message-pattern', level: 'warn', value: wip },
        { rule: 'message-pattern', level: 'warn', value: { ...wip, name: 'no-fixup' } },
        { rule: 'type-empty', level: 'warn' },
        { rule: 'message-pattern', level: 'block', value: wip },
      ]),
    ).toEqual([
      {
        field: 'rules[3].rule',
        message: 'repeats type-empty (already configured at index 0); keep one entry per rule',
      },
      {
        field: 'rules[4].value.name',
        message: 'repeats message-pattern:no-wip (already configured at index 1); keep one entry per rule',
      },
    ]);
  });

  it('names duplicates in the same answer as other problems', () => {
    expect(
      validateRules([
        { rule: 'type-empty', level: 'block' },
        { rule: 'header-max-length', level: 'block' },
        { rule: 'type-empty', level: 'warn' },
      ]),
    ).toEqual([
      { field: 'rules[1].value', message: 'Invalid input: expected number, received undefined' },
      {
        field: 'rules[2].rule',
        message: 'repeats type-empty (already configured at index 0); keep one entry per rule',
      },
    ]);
  });

  it('names the list itself when it is not a list, under the name the caller gives it', () => {
    expect(validateRules({ rule: 'type-empty' })).toEqual([
      { field: 'rules', message: 'Invalid input: expected array, received object' },
    ]);
    expect(validateRules([{ rule: 'type-enum', level: 'block', value: [] }], 'body.rules')).toEqual([
      { field: 'body.rules[0].value', message: 'Too small: expected array to have >=1 items' },
    ]);
  });
});

describe('parseRules', () => {
  it('returns the rules when they are valid', () => {
    expect(parseRules(conventionalPreset())).toEqual(conventionalPreset());
  });

  it('throws validation_failed (400) with the field errors', () => {
    let thrown: unknown;
    try {
      parseRules([{ rule: 'header-max-length', level: 'block', value: 'long' }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KeelError);
    const error = thrown as KeelError;
    expect(error.code).toBe('validation_failed');
    expect(error.status).toBe(400);
    expect(error.message).toBe('rules[0].value: Invalid input: expected number, received string');
    expect(error.details).toEqual({
      errors: [{ field: 'rules[0].value', message: 'Invalid input: expected number, received string' }],
    });
  });
});

/** The smallest valid entry of each rule. */
function minimalEntry(rule: (typeof RULE_NAMES)[number]): Record<string, unknown> {
  const values: Partial<Record<(typeof RULE_NAMES)[number], unknown>> = {
    'type-case': 'lower-case',
    'type-enum': ['feat'],
    'scope-enum': ['api'],
    'subject-case': 'lower-case',
    'subject-max-length': 50,
    'header-max-length': 72,
    'body-max-line-length': 72,
    'footer-max-line-length': 72,
    'ticket-pattern': { pattern: 'PROJ-\\d+' },
    'message-pattern': { name: 'x', pattern: 'x', explanation: 'x' },
  };
  const entry = { rule, level: 'block', ...(rule in values ? { value: values[rule] } : {}) };
  expect(ruleEntrySchema.safeParse(entry).success).toBe(true);
  return entry;
}
