import { describe, expect, it } from 'vitest';
import { mergeRules } from './merge-rules.js';
import type { RuleEntry } from './rules.schema.js';

const wip = { name: 'no-wip', pattern: 'wip', explanation: 'Squash WIP commits first.' };

describe('mergeRules', () => {
  it('lets a team replace a rule the organisation does not enforce, and add its own', () => {
    const org: RuleEntry[] = [
      { rule: 'header-max-length', level: 'block', value: 100 },
      { rule: 'type-empty', level: 'block' },
    ];
    const team: RuleEntry[] = [
      { rule: 'scope-empty', level: 'warn' },
      { rule: 'header-max-length', level: 'warn', value: 120 },
    ];
    expect(mergeRules(org, team)).toEqual({
      rules: [
        { rule: 'header-max-length', level: 'warn', value: 120 },
        { rule: 'type-empty', level: 'block' },
        { rule: 'scope-empty', level: 'warn' },
      ],
      ignored: [],
    });
  });

  it('ignores a team entry that lowers, turns off or loosens an enforced rule, and says why', () => {
    const org: RuleEntry[] = [
      { rule: 'header-max-length', level: 'block', value: 72, enforced: true },
      { rule: 'type-enum', level: 'block', value: ['feat', 'fix', 'docs'], enforced: true },
      { rule: 'scope-empty', level: 'warn', enforced: true },
      { rule: 'subject-full-stop', level: 'block', enforced: true },
      { rule: 'message-pattern', level: 'block', when: 'never', value: wip, enforced: true },
      { rule: 'subject-case', level: 'block', value: 'lower-case', enforced: true },
    ];
    const team: RuleEntry[] = [
      { rule: 'header-max-length', level: 'block', value: 100 },
      { rule: 'type-enum', level: 'block', value: ['feat', 'fix', 'wip', 'tmp'] },
      { rule: 'scope-empty', level: 'off' },
      { rule: 'subject-full-stop', level: 'warn' },
      { rule: 'message-pattern', level: 'block', when: 'always', value: wip },
      { rule: 'subject-case', level: 'block', value: 'sentence-case' },
    ];
    const merged = mergeRules(org, team);
    expect(merged.rules).toEqual(org);
    expect(merged.ignored).toEqual([
      {
        index: 0,
        rule: 'header-max-length',
        reason: 'the organisation enforces header-max-length at 72; a team cannot raise the limit to 100',
      },
      {
        index: 1,
        rule: 'type-enum',
        reason: 'the organisation enforces type-enum; a team cannot allow the types wip, tmp',
      },
      {
        index: 2,
        rule: 'scope-empty',
        reason: 'the organisation enforces scope-empty at "warn"; a team cannot turn it off',
      },
      {
        index: 3,
        rule: 'subject-full-stop',
        reason: 'the organisation enforces subject-full-stop at "block"; a team cannot lower it to "warn"',
      },
      {
        index: 4,
        rule: 'message-pattern',
        reason:
          'the organisation enforces message-pattern:no-wip with "never"; a team cannot turn it to "always"',
      },
      {
        index: 5,
        rule: 'subject-case',
        reason: 'the organisation enforces subject-case with its own value; a team can only raise its level',
      },
    ]);
  });

  it('lets a team tighten an enforced rule, which stays enforced', () => {
    const org: RuleEntry[] = [
      { rule: 'header-max-length', level: 'warn', value: 100, enforced: true },
      { rule: 'type-enum', level: 'block', value: ['feat', 'fix', 'docs'], enforced: true },
      { rule: 'scope-enum', level: 'block', when: 'never', value: ['misc'], enforced: true },
      { rule: 'subject-full-stop', level: 'block', enforced: true },
    ];
    const team: RuleEntry[] = [
      { rule: 'header-max-length', level: 'block', value: 72, autofix: false },
      { rule: 'type-enum', level: 'block', value: ['feat', 'fix'], autofix: true },
      { rule: 'scope-enum', level: 'block', when: 'never', value: ['misc', 'stuff'] },
      { rule: 'subject-full-stop', level: 'block', when: 'never', autofix: true },
    ];
    expect(mergeRules(org, team)).toEqual({
      rules: [
        { rule: 'header-max-length', level: 'block', value: 72, autofix: false, enforced: true },
        { rule: 'type-enum', level: 'block', value: ['feat', 'fix'], autofix: true, enforced: true },
        { rule: 'scope-enum', level: 'block', when: 'never', value: ['misc', 'stuff'], enforced: true },
        { rule: 'subject-full-stop', level: 'block', when: 'never', autofix: true, enforced: true },
      ],
      ignored: [],
    });
  });

  it('refuses to stop forbidding what an enforced `never` list forbids', () => {
    const merged = mergeRules(
      [{ rule: 'scope-enum', level: 'block', when: 'never', value: ['misc', 'stuff'], enforced: true }],
      [{ rule: 'scope-enum', level: 'block', when: 'never', value: ['misc'] }],
    );
    expect(merged.ignored).toEqual([
      {
        index: 0,
        rule: 'scope-enum',
        reason: 'the organisation enforces scope-enum; a team cannot stop forbidding the scopes stuff',
      },
    ]);
  });

  it('keys custom patterns by name: a team adds its own beside the organisation’s', () => {
    const org: RuleEntry[] = [
      { rule: 'message-pattern', level: 'block', when: 'never', value: wip, enforced: true },
    ];
    const mine = { ...wip, name: 'no-tmp', pattern: 'tmp' };
    const team: RuleEntry[] = [{ rule: 'message-pattern', level: 'warn', when: 'never', value: mine }];
    expect(mergeRules(org, team)).toEqual({ rules: [...org, ...team], ignored: [] });
  });
});
