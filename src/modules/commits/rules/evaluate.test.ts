import { describe, expect, it } from 'vitest';
import { type EvaluateOptions, evaluateRules } from './evaluate.js';
import { conventionalPreset, withAutofix } from './presets.js';
import type { RuleEntry } from './rules.schema.js';

function judge(message: string, entry: RuleEntry, options?: EvaluateOptions) {
  return evaluateRules(message, [entry], options);
}

/** The one violation a rule reports on a message, or null. */
function violation(message: string, entry: RuleEntry, options?: EvaluateOptions) {
  const { violations } = judge(message, entry, options);
  expect(violations.length).toBeLessThanOrEqual(1);
  return violations[0] ?? null;
}

/** The message an autofix gives, checked to be settled: evaluating it again finds nothing to fix. */
function fixed(message: string, entry: RuleEntry, options?: EvaluateOptions): string | null {
  const result = judge(message, { ...entry, autofix: true } as RuleEntry, options);
  if (result.fixedMessage === null) return null;
  const again = judge(result.fixedMessage, { ...entry, autofix: true } as RuleEntry, options);
  expect(again.fixedMessage).toBeNull();
  expect(again.violations.filter((v) => v.fixed)).toEqual([]);
  return result.fixedMessage;
}

describe('evaluateRules: header rules', () => {
  it('header-trim', () => {
    const entry: RuleEntry = { rule: 'header-trim', level: 'block' };
    expect(violation('fix: x', entry)).toBeNull();
    expect(violation(' fix: x', entry)?.message).toBe('Remove the spaces before the header.');
    expect(violation('fix: x ', entry)?.message).toBe('Remove the spaces after the header.');
    expect(violation(' fix: x \n\nbody', entry)).toEqual({
      rule: 'header-trim',
      level: 'block',
      message: 'Remove the spaces around the header.',
      fixed: false,
    });
    expect(fixed(' fix: x \n\nbody', entry)).toBe('fix: x\n\nbody\n');
    // Trimmed, it would start with # and git would drop it as a comment: only the end is trimmed.
    expect(fixed(' #12 fix x ', entry)).toBe(' #12 fix x\n');
  });

  it('start-with-gitmoji', () => {
    const either: RuleEntry = { rule: 'start-with-gitmoji', level: 'block' };
    expect(violation(':sparkles: add x', either)).toBeNull();
    expect(violation('✨ feat: add x', either)).toBeNull();
    expect(violation('⚡ speed up the index', either)).toBeNull();
    expect(violation('add x', either)?.message).toBe(
      'Start the header with a gitmoji (for instance ✨ or :sparkles: for a new feature).',
    );
    expect(violation(':unicorn: add x', either)?.message).toBe(
      '":unicorn:" is not a gitmoji gitmoji.dev lists; use one from its list.',
    );
    expect(violation('feat: ✨ add x', either)?.message).toBe('Put the gitmoji ✨ first, before the type.');
    expect(fixed('feat: ✨ add x', either)).toBe('✨ feat: add x\n');
    expect(fixed(':unicorn: add x', either)).toBeNull();

    const emoji: RuleEntry = { rule: 'start-with-gitmoji', level: 'block', value: { form: 'emoji' } };
    expect(violation(':sparkles: add x', emoji)?.message).toBe(
      'Write the gitmoji as an emoji (✨), not as :sparkles:.',
    );
    expect(fixed(':sparkles: add x', emoji)).toBe('✨ add x\n');
    expect(fixed(':zap: speed up x', emoji)).toBe('⚡\uFE0F speed up x\n');

    const shortcode: RuleEntry = { rule: 'start-with-gitmoji', level: 'block', value: { form: 'shortcode' } };
    expect(violation('✨ add x', shortcode)?.message).toBe(
      'Write the gitmoji as a shortcode (:sparkles:), not as ✨.',
    );
    expect(fixed('⚡\uFE0F speed up x', shortcode)).toBe(':zap: speed up x\n');
    expect(fixed('feat: ✨ add x', shortcode)).toBe(':sparkles: feat: add x\n');
  });

  it('type-case', () => {
    const entry: RuleEntry = { rule: 'type-case', level: 'block', value: 'lower-case' };
    expect(violation('feat: x', entry)).toBeNull();
    expect(violation('Update the README', entry)).toBeNull();
    expect(violation('Feat: x', entry)?.message).toBe('The type "Feat" must be lower-case.');
    expect(fixed('Feat(api)!: x', entry)).toBe('feat(api)!: x\n');
    const never: RuleEntry = { rule: 'type-case', level: 'block', when: 'never', value: 'upper-case' };
    expect(violation('FEAT: x', never)?.message).toBe('The type "FEAT" must not be upper-case.');
    expect(fixed('FEAT: x', never)).toBeNull();
  });

  it('type-enum', () => {
    const entry: RuleEntry = { rule: 'type-enum', level: 'block', value: ['feat', 'fix', 'docs', 'chore'] };
    expect(violation('feat: x', entry)).toBeNull();
    expect(violation('Update the README', entry)).toBeNull();
    expect(violation('wip: x', entry)?.message).toBe(
      'The type "wip" is not allowed; use one of feat, fix, docs or chore.',
    );
    expect(violation('feature: x', entry)?.message).toBe('The type "feature" is not allowed; write "feat".');
    expect(fixed('feature(api): x', entry)).toBe('feat(api): x\n');
    expect(fixed('bugfix: x', entry)).toBe('fix: x\n');
    expect(fixed('hotfix!: x', entry)).toBe('fix!: x\n');
    expect(fixed('doc: x', entry)).toBe('docs: x\n');
    expect(fixed('documentation: x', entry)).toBe('docs: x\n');
    expect(fixed('FIX: x', entry)).toBe('fix: x\n');
    expect(fixed('wip: x', entry)).toBeNull();
    // A synonym maps only onto the type of the same meaning the list allows.
    expect(fixed('docs: x', { rule: 'type-enum', level: 'block', value: ['doc', 'fix'] })).toBe('doc: x\n');
    expect(fixed('perf: x', entry)).toBeNull();
    expect(fixed('performance: x', entry)).toBeNull();

    const never: RuleEntry = { rule: 'type-enum', level: 'warn', when: 'never', value: ['wip'] };
    expect(violation('wip: x', never)?.message).toBe('The type "wip" is not allowed here.');
    expect(violation('feat: x', never)).toBeNull();
  });

  it('type-empty', () => {
    expect(violation('feat: x', { rule: 'type-empty', level: 'block' })).toBeNull();
    expect(violation('add x', { rule: 'type-empty', level: 'block' })?.message).toBe(
      'Start the header with a type, as in "fix: what changed".',
    );
    expect(violation('feat: x', { rule: 'type-empty', level: 'block', when: 'always' })?.message).toBe(
      'Remove the type "feat"; this convention writes headers without one.',
    );
  });

  it('scope-enum', () => {
    const entry: RuleEntry = { rule: 'scope-enum', level: 'block', value: ['api', 'web'] };
    expect(violation('feat(api): x', entry)).toBeNull();
    expect(violation('feat(api,web): x', entry)).toBeNull();
    expect(violation('feat(api/web): x', entry)).toBeNull();
    expect(violation('feat: x', entry)).toBeNull();
    expect(violation('feat(db): x', entry)?.message).toBe(
      'The scope "db" is not allowed; use one of api or web.',
    );
    expect(fixed('feat(API)!: x', entry)).toBe('feat(api)!: x\n');
    expect(fixed('feat(Api, WEB): x', entry)).toBe('feat(api, web): x\n');
    expect(fixed('feat(db): x', entry)).toBeNull();
    const never: RuleEntry = { rule: 'scope-enum', level: 'block', when: 'never', value: ['deps'] };
    expect(violation('chore(deps): x', never)?.message).toBe('The scope "deps" is not allowed here.');
    expect(violation('chore(ci): x', never)).toBeNull();
  });

  it('scope-empty: `never` (the default) requires a scope, `always` forbids one', () => {
    expect(violation('feat(api): x', { rule: 'scope-empty', level: 'block' })).toBeNull();
    expect(violation('feat: x', { rule: 'scope-empty', level: 'block', when: 'never' })?.message).toBe(
      'Add a scope to the header, as in "fix(parser): what changed".',
    );
    expect(violation('feat(): x', { rule: 'scope-empty', level: 'block' })?.rule).toBe('scope-empty');
    expect(violation('feat(api): x', { rule: 'scope-empty', level: 'block', when: 'always' })?.message).toBe(
      'Remove the scope "api"; this convention writes headers without one.',
    );
    expect(violation('feat: x', { rule: 'scope-empty', level: 'block', when: 'always' })).toBeNull();
  });

  it('subject-empty', () => {
    expect(violation('feat: x', { rule: 'subject-empty', level: 'block' })).toBeNull();
    expect(violation('feat: ', { rule: 'subject-empty', level: 'block' })?.message).toBe(
      'Write a subject after the type: "fix: what changed".',
    );
    expect(violation('', { rule: 'subject-empty', level: 'block' })?.rule).toBe('subject-empty');
  });

  it('subject-imperative', () => {
    const entry: RuleEntry = { rule: 'subject-imperative', level: 'warn' };
    expect(violation('feat: add login lockout', entry)).toBeNull();
    expect(violation('feat(인증): 로그인 잠금 추가', entry)).toBeNull();
    expect(violation('Added login lockout', entry)).toEqual({
      rule: 'subject-imperative',
      level: 'warn',
      message: 'Write the subject in the imperative mood: "Add", not "Added".',
      fixed: false,
    });
    expect(fixed('feat(auth): added login lockout', entry)).toBe('feat(auth): add login lockout\n');
    expect(fixed('✨ Adding a retry\n\nbody', entry)).toBe('✨ Add a retry\n\nbody\n');
    expect(fixed('fix: fixes #12', entry)).toBe('fix: fix #12\n');
    expect(violation('perf: logging improvements', entry)?.message).toBe(
      'Write the subject in the imperative mood: "log", not "logging".',
    );
    expect(fixed('perf: logging improvements', entry)).toBeNull();
  });

  it('subject-case, as commitlint judges it', () => {
    const preset: RuleEntry = {
      rule: 'subject-case',
      level: 'block',
      when: 'never',
      value: ['sentence-case', 'start-case', 'pascal-case', 'upper-case'],
    };
    expect(violation('feat: add login', preset)).toBeNull();
    expect(violation('feat: add `Login` page', preset)).toBeNull();
    expect(violation('feat: 로그인 추가', preset)).toBeNull();
    expect(violation('feat: 2FA for admins', preset)).toBeNull();
    expect(violation('feat: Add login', preset)?.message).toBe(
      'The subject must not be sentence-case; start it with a lower-case letter ("add login").',
    );
    expect(violation('feat: Add Login Page', preset)?.message).toBe(
      'The subject must not be sentence-case or start-case; start it with a lower-case letter ("add Login Page").',
    );
    expect(fixed('feat: Add login', preset)).toBe('feat: add login\n');
    // An acronym or a shouted subject is not rewritten: that could change a name.
    expect(violation('feat: API keys for bots', preset)?.message).toBe(
      'The subject must not be sentence-case.',
    );
    expect(fixed('feat: API keys for bots', preset)).toBeNull();
    expect(fixed('feat: ADD LOGIN', preset)).toBeNull();

    const sentence: RuleEntry = { rule: 'subject-case', level: 'block', value: 'sentence-case' };
    expect(violation('feat: add login', sentence)?.message).toBe(
      'The subject must be sentence-case; start it with a capital letter ("Add login").',
    );
    expect(fixed('feat: add login', sentence)).toBe('feat: Add login\n');
    expect(fixed('feat: getUser returns null', sentence)).toBeNull();

    const lower: RuleEntry = { rule: 'subject-case', level: 'block', value: ['lower-case'] };
    expect(fixed('fix: Keep the cursor', lower)).toBe('fix: keep the cursor\n');
    expect(fixed('fix: Keep the README', lower)).toBeNull();
  });

  it('subject-full-stop: `never` (the default) forbids it, `always` requires it', () => {
    const never: RuleEntry = { rule: 'subject-full-stop', level: 'block' };
    expect(violation('fix: x', never)).toBeNull();
    expect(violation('fix: wait for it...', never)).toBeNull();
    expect(violation('fix: wait for it…', never)).toBeNull();
    expect(violation('fix: x.', never)?.message).toBe('Remove the "." at the end of the subject.');
    expect(fixed('fix: keep the cursor.\n\nbody.', never)).toBe('fix: keep the cursor\n\nbody.\n');
    expect(fixed('fix: 로그인 수정.', never)).toBe('fix: 로그인 수정\n');
    expect(fixed('fix: x ..', never)).toBe('fix: x\n');
    const always: RuleEntry = { rule: 'subject-full-stop', level: 'block', when: 'always', value: '.' };
    expect(violation('Keep the cursor', always)?.message).toBe('End the subject with ".".');
    expect(fixed('Keep the cursor', always)).toBe('Keep the cursor.\n');
    const ideographic: RuleEntry = { rule: 'subject-full-stop', level: 'block', value: '。' };
    expect(fixed('fix: ログインを修正。', ideographic)).toBe('fix: ログインを修正\n');
  });

  it('subject-max-length and header-max-length count characters and never cut', () => {
    const subject: RuleEntry = { rule: 'subject-max-length', level: 'block', value: 10 };
    expect(violation('fix: 0123456789', subject)).toBeNull();
    expect(violation('fix: 로그인 잠금을 추가합니다', subject)?.message).toBe(
      'The subject is 13 characters long; shorten it to 10 or fewer.',
    );
    const header: RuleEntry = { rule: 'header-max-length', level: 'block', value: 15 };
    expect(violation('fix: 0123456789', header)).toBeNull();
    expect(violation('✨ fix: 0123456789', header)?.message).toBe(
      'The header is 17 characters long; shorten it to 15 or fewer (move details to the body).',
    );
    expect(judge('fix: 0123456789ab', header).fixedMessage).toBeNull();
  });

  it('breaking-change-exclamation-mark: the ! and the footer go together', () => {
    const entry: RuleEntry = { rule: 'breaking-change-exclamation-mark', level: 'block' };
    expect(violation('feat: x', entry)).toBeNull();
    expect(violation('feat!: x\n\nBREAKING CHANGE: y', entry)).toBeNull();
    expect(violation('feat!: x', entry)?.message).toBe(
      'The header marks a breaking change with "!"; add a "BREAKING CHANGE: <what breaks and how to migrate>" footer.',
    );
    expect(fixed('feat!: x', entry)).toBeNull();
    expect(violation('feat: x\n\nBREAKING CHANGE: y', entry)?.message).toBe(
      'The message has a BREAKING CHANGE footer; mark the header with "!" as well ("feat!: …").',
    );
    expect(fixed('feat: x\n\nBREAKING CHANGE: y', entry)).toBe('feat!: x\n\nBREAKING CHANGE: y\n');
    expect(fixed('feat(api): x\n\nBREAKING-CHANGE: y', entry)).toBe('feat(api)!: x\n\nBREAKING-CHANGE: y\n');
    expect(violation('Drop v1\n\nBREAKING CHANGE: y', entry)?.message).toBe(
      'The message has a BREAKING CHANGE footer; give the header a type marked with "!" ("feat!: …").',
    );
    expect(fixed('Drop v1\n\nBREAKING CHANGE: y', entry)).toBeNull();
  });
});

describe('evaluateRules: body and footer rules', () => {
  it('ticket-pattern, in the subject, in a footer or anywhere', () => {
    const subject: RuleEntry = {
      rule: 'ticket-pattern',
      level: 'block',
      value: { pattern: '[A-Z]+-\\d+', where: 'subject' },
    };
    expect(violation('fix: PROJ-12 keep the cursor', subject)).toBeNull();
    expect(violation('fix: keep the cursor\n\nRefs: PROJ-12', subject)?.message).toBe(
      'Name the ticket in the subject (a reference matching /[A-Z]+-\\d+/).',
    );
    expect(fixed('fix: keep the cursor', subject, { branch: 'feature/PROJ-12-cursor' })).toBeNull();

    const footer: RuleEntry = {
      rule: 'ticket-pattern',
      level: 'block',
      value: { pattern: 'proj-\\d+', flags: 'i', where: 'footer', footerToken: 'Jira' },
    };
    expect(violation('fix: x\n\nJira: PROJ-12', footer)).toBeNull();
    expect(violation('fix: PROJ-12 x', footer)?.message).toBe(
      'Name the ticket in a footer, as in "Jira: <ticket>" (a reference matching /proj-\\d+/i).',
    );
    expect(fixed('fix: x', footer)).toBeNull();
    expect(fixed('fix: x\n\nbody', footer, { branch: 'feature/PROJ-34-login' })).toBe(
      'fix: x\n\nbody\n\nJira: PROJ-34\n',
    );
    expect(fixed('fix: x\n\nSigned-off-by: A <a@x>', footer, { branch: 'PROJ-34' })).toBe(
      'fix: x\n\nSigned-off-by: A <a@x>\nJira: PROJ-34\n',
    );

    const anywhere: RuleEntry = { rule: 'ticket-pattern', level: 'warn', value: { pattern: 'PROJ-\\d+' } };
    expect(violation('fix: x\n\nSee PROJ-9 for the history.', anywhere)).toBeNull();
    expect(violation('fix: x', anywhere)?.message).toBe(
      'Name the ticket in the message, as in a "Refs: <ticket>" footer (a reference matching /PROJ-\\d+/).',
    );
    expect(fixed('fix: x', anywhere, { branch: 'main' })).toBeNull();
  });

  it('body-leading-blank', () => {
    const entry: RuleEntry = { rule: 'body-leading-blank', level: 'warn' };
    expect(violation('fix: x', entry)).toBeNull();
    expect(violation('fix: x\n\nbody', entry)).toBeNull();
    expect(violation('fix: x\nbody', entry)?.message).toBe(
      'Put a blank line between the header and the body.',
    );
    expect(fixed('fix: x\nbody\n\nRefs: #1', entry)).toBe('fix: x\n\nbody\n\nRefs: #1\n');
    const never: RuleEntry = { rule: 'body-leading-blank', level: 'warn', when: 'never' };
    expect(violation('fix: x\n\nbody', never)?.message).toBe(
      'Remove the blank line between the header and the body.',
    );
    expect(fixed('fix: x\n\nbody', never)).toBeNull();
  });

  it('body-max-line-length wraps prose and leaves URLs and code whole', () => {
    const entry: RuleEntry = { rule: 'body-max-line-length', level: 'block', value: 30 };
    expect(violation('fix: a header longer than thirty characters\n\nshort body', entry)).toBeNull();
    const long =
      'fix: x\n\nThe cursor jumped to the end after every save.\n\nRefs: a-footer-line-longer-than-thirty-chars';
    expect(violation(long, entry)?.message).toBe(
      'Line 3 of the message is longer than 30 characters; wrap the body at 30.',
    );
    expect(fixed(long, entry)).toBe(
      'fix: x\n\nThe cursor jumped to the end\nafter every save.\n\nRefs: a-footer-line-longer-than-thirty-chars\n',
    );

    const url =
      'fix: x\n\nSee https://example.com/issues/1234567890/comments\n    indented code that is longer than thirty';
    const result = judge(url, { ...entry, autofix: true });
    expect(result.fixedMessage).toBe(
      'fix: x\n\nSee\nhttps://example.com/issues/1234567890/comments\n    indented code that is longer than thirty\n',
    );
    expect(result.violations).toEqual([
      {
        rule: 'body-max-line-length',
        level: 'block',
        message:
          'Lines 4 and 5 of the message are longer than 30 characters; wrap the body at 30 (Keel does not break a URL, a code span or indented code).',
        fixed: false,
      },
    ]);
    expect(result.ok).toBe(false);
    expect(fixed(result.fixedMessage ?? '', entry)).toBeNull();
  });

  it('footer-leading-blank', () => {
    const entry: RuleEntry = { rule: 'footer-leading-blank', level: 'warn' };
    expect(violation('fix: x\n\nbody\n\nRefs: #1', entry)).toBeNull();
    expect(violation('fix: x\n\nbody\nRefs: #1', entry)?.message).toBe(
      'Put a blank line before the footer "Refs: #1".',
    );
    expect(fixed('fix: x\n\nbody\nRefs: #1\nSigned-off-by: A <a@x>', entry)).toBe(
      'fix: x\n\nbody\n\nRefs: #1\nSigned-off-by: A <a@x>\n',
    );
    expect(fixed('fix: x\nRefs: #1', entry)).toBe('fix: x\n\nRefs: #1\n');
    const never: RuleEntry = { rule: 'footer-leading-blank', level: 'warn', when: 'never' };
    expect(violation('fix: x\n\nbody\n\nRefs: #1', never)?.message).toBe(
      'Remove the blank line before the footer "Refs: #1".',
    );
  });

  it('footer-max-line-length', () => {
    const entry: RuleEntry = { rule: 'footer-max-line-length', level: 'block', value: 20 };
    expect(violation('fix: x\n\nRefs: #1', entry)).toBeNull();
    expect(violation('fix: x\n\nbody that is longer than twenty\n\nRefs: #1', entry)).toBeNull();
    expect(
      violation('fix: x\n\nRefs: #1\nCo-authored-by: Ada Lovelace <ada@example.com>', entry)?.message,
    ).toBe(
      'Line 4 of the message is longer than 20 characters; shorten the footer or continue it on an indented line.',
    );
  });

  it('references-empty: `never` (the default) requires an issue reference', () => {
    const entry: RuleEntry = { rule: 'references-empty', level: 'warn' };
    expect(violation('fix: keep the cursor (#12)', entry)).toBeNull();
    expect(violation('fix: x\n\nRefs: acme/app#3', entry)).toBeNull();
    expect(violation('fix: x\n\nCloses #3', entry)).toBeNull();
    expect(violation('fix: x', entry)?.message).toBe('Reference an issue, as in a "Refs: #123" footer.');
    expect(violation('fix: item#3', entry)?.message).toBe('Reference an issue, as in a "Refs: #123" footer.');
    const always: RuleEntry = { rule: 'references-empty', level: 'warn', when: 'always' };
    expect(violation('fix: x', always)).toBeNull();
    expect(violation('fix: x (#12)', always)?.message).toBe(
      'Remove the issue references (#123); this convention keeps them out of messages.',
    );
  });

  it('message-pattern, with the team’s own explanation', () => {
    const noWip: RuleEntry = {
      rule: 'message-pattern',
      level: 'block',
      when: 'never',
      value: {
        name: 'no-wip',
        pattern: '\\bwip\\b',
        flags: 'i',
        target: 'header',
        explanation: 'Squash WIP commits first',
      },
    };
    expect(violation('fix: keep the cursor', noWip)).toBeNull();
    expect(violation('WIP: cursor', noWip)).toEqual({
      rule: 'message-pattern',
      level: 'block',
      message: 'Squash WIP commits first. (no-wip: the header must not match /\\bwip\\b/i)',
      fixed: false,
    });
    const signed: RuleEntry = {
      rule: 'message-pattern',
      level: 'warn',
      value: {
        name: 'dco',
        pattern: '^Signed-off-by: .+ <.+>$',
        flags: 'm',
        target: 'footer',
        explanation: 'Sign off your commits (git commit -s).',
      },
    };
    expect(violation('fix: x\n\nSigned-off-by: Ada <ada@x>', signed)).toBeNull();
    expect(violation('fix: x\n\nbody mentions Signed-off-by: Ada <ada@x>', signed)?.message).toBe(
      'Sign off your commits (git commit -s). (dco: the footer must match /^Signed-off-by: .+ <.+>$/m)',
    );
    const body: RuleEntry = {
      rule: 'message-pattern',
      level: 'warn',
      value: { name: 'why', pattern: '\\S', target: 'body', explanation: 'Say why in the body' },
    };
    expect(violation('fix: x', body)?.message).toBe('Say why in the body. (why: the body must match /\\S/)');
    expect(violation('fix: x\n\nBecause.', body)).toBeNull();
  });
});

describe('evaluateRules', () => {
  it('blocks on a block violation, passes with warnings, and skips rules that are off', () => {
    const message = 'Feat: x.';
    expect(evaluateRules(message, [{ rule: 'type-case', level: 'block', value: 'lower-case' }]).ok).toBe(
      false,
    );
    const warned = evaluateRules(message, [{ rule: 'type-case', level: 'warn', value: 'lower-case' }]);
    expect(warned.ok).toBe(true);
    expect(warned.violations).toHaveLength(1);
    expect(
      evaluateRules(message, [{ rule: 'type-case', level: 'off', value: 'lower-case', autofix: true }]),
    ).toEqual({
      ok: true,
      violations: [],
      fixedMessage: null,
      changes: [],
      ignored: false,
    });
  });

  it('rewrites nothing when autofix is not on', () => {
    const result = evaluateRules('Feat: x.', conventionalPreset());
    expect(result.fixedMessage).toBeNull();
    expect(result.changes).toEqual([]);
    expect(result.violations.map((v) => [v.rule, v.fixed])).toEqual([
      ['type-case', false],
      ['type-enum', false],
      ['subject-full-stop', false],
    ]);
  });

  it('applies every autofix in order, reports what changed, and settles', () => {
    const rules = withAutofix([
      ...conventionalPreset(),
      { rule: 'subject-imperative', level: 'warn' },
      { rule: 'breaking-change-exclamation-mark', level: 'block' },
    ]);
    const message = [
      'Feature(API): Added login lockout.',
      'Five failed attempts lock the account for fifteen minutes; an administrator can unlock it from the users page at any time.',
      'BREAKING CHANGE: the /login answer has a new field',
      '# Please enter the commit message for your changes.',
      '',
    ].join('\r\n');
    const result = evaluateRules(message, rules);
    expect(result.fixedMessage).toBe(
      [
        'feat(API)!: add login lockout',
        '',
        'Five failed attempts lock the account for fifteen minutes; an administrator can unlock it from the',
        'users page at any time.',
        '',
        'BREAKING CHANGE: the /login answer has a new field',
        '',
      ].join('\n'),
    );
    expect(result.changes).toEqual([
      {
        rule: 'type-case',
        before: 'Feature(API): Added login lockout.',
        after: 'feature(API): Added login lockout.',
      },
      {
        rule: 'type-enum',
        before: 'feature(API): Added login lockout.',
        after: 'feat(API): Added login lockout.',
      },
      {
        rule: 'subject-imperative',
        before: 'feat(API): Added login lockout.',
        after: 'feat(API): Add login lockout.',
      },
      {
        rule: 'subject-case',
        before: 'feat(API): Add login lockout.',
        after: 'feat(API): add login lockout.',
      },
      {
        rule: 'subject-full-stop',
        before: 'feat(API): add login lockout.',
        after: 'feat(API): add login lockout',
      },
      {
        rule: 'breaking-change-exclamation-mark',
        before: 'feat(API): add login lockout',
        after: 'feat(API)!: add login lockout',
      },
      {
        rule: 'body-leading-blank',
        before: 'feat(API)!: add login lockout',
        after: 'feat(API)!: add login lockout\n',
      },
      {
        rule: 'body-max-line-length',
        before:
          'Five failed attempts lock the account for fifteen minutes; an administrator can unlock it from the users page at any time.',
        after:
          'Five failed attempts lock the account for fifteen minutes; an administrator can unlock it from the\nusers page at any time.',
      },
      {
        rule: 'footer-leading-blank',
        before: 'users page at any time.',
        after: 'users page at any time.\n',
      },
    ]);
    expect(result.ok).toBe(true);
    expect(result.violations.every((v) => v.fixed)).toBe(true);
    expect(result.violations.map((v) => v.rule)).toEqual([
      'type-case',
      'type-enum',
      'subject-imperative',
      'subject-case',
      'subject-full-stop',
      'breaking-change-exclamation-mark',
      'body-leading-blank',
      'body-max-line-length',
      'footer-leading-blank',
    ]);
    const again = evaluateRules(result.fixedMessage ?? '', rules);
    expect(again).toEqual({ ok: true, violations: [], fixedMessage: null, changes: [], ignored: false });
  });

  it('reports a rule that a fix broke, even though the original message kept it', () => {
    const result = evaluateRules('feat: abcdefgh\n\nBREAKING CHANGE: y', [
      { rule: 'header-max-length', level: 'block', value: 14 },
      { rule: 'breaking-change-exclamation-mark', level: 'block', autofix: true },
    ]);
    expect(result.fixedMessage).toBe('feat!: abcdefgh\n\nBREAKING CHANGE: y\n');
    expect(result.violations).toEqual([
      {
        rule: 'header-max-length',
        level: 'block',
        message: 'The header is 15 characters long; shorten it to 14 or fewer (move details to the body).',
        fixed: false,
      },
      {
        rule: 'breaking-change-exclamation-mark',
        level: 'block',
        message: 'The message has a BREAKING CHANGE footer; mark the header with "!" as well ("feat!: …").',
        fixed: true,
      },
    ]);
    expect(result.ok).toBe(false);
  });

  it('does not count line ends, comments or trailing blank lines as a change', () => {
    const result = evaluateRules(
      'fix: keep the cursor\r\n\r\nbody\r\n# comment\r\n\r\n',
      withAutofix(conventionalPreset()),
    );
    expect(result).toEqual({ ok: true, violations: [], fixedMessage: null, changes: [], ignored: false });
  });

  it('leaves messages git writes itself alone, unless asked to check them', () => {
    const rules = conventionalPreset();
    for (const message of [
      "Merge branch 'main' into feature/x",
      'Merge pull request #12 from acme/x',
      'Revert "feat: add x"\n\nThis reverts commit abc.',
      'fixup! feat: add x',
      'squash! feat: add x',
      'amend! feat: add x',
    ])
      expect(evaluateRules(message, rules)).toEqual({
        ok: true,
        violations: [],
        fixedMessage: null,
        changes: [],
        ignored: true,
      });
    const checked = evaluateRules('fixup! feat: add x', rules, { checkGenerated: true });
    expect(checked.ignored).toBe(false);
    expect(checked.ok).toBe(false);
    // `revert:` is a Conventional Commits type, not git's revert message.
    expect(evaluateRules('revert: Add x', rules).ignored).toBe(false);
  });

  it('judges Korean messages on the rules that apply to them', () => {
    const rules = withAutofix([...conventionalPreset(), { rule: 'subject-imperative', level: 'warn' }]);
    expect(evaluateRules('feat(인증): 로그인 잠금 추가\n\n다섯 번 실패하면 계정을 잠급니다.', rules)).toEqual(
      {
        ok: true,
        violations: [],
        fixedMessage: null,
        changes: [],
        ignored: false,
      },
    );
    expect(evaluateRules('기능: 로그인 잠금 추가.', rules).violations.map((v) => [v.rule, v.fixed])).toEqual([
      ['type-empty', false],
      ['subject-full-stop', true],
    ]);
  });
});

describe('evaluateRules: autofixes settle', () => {
  const rules = withAutofix([
    ...conventionalPreset().map((entry) =>
      entry.rule === 'body-max-line-length' ? { ...entry, value: 24 } : entry,
    ),
    { rule: 'subject-imperative', level: 'warn' },
    { rule: 'breaking-change-exclamation-mark', level: 'block' },
    { rule: 'scope-enum', level: 'block', value: ['api', 'web'] },
    { rule: 'ticket-pattern', level: 'warn', value: { pattern: 'PROJ-\\d+', where: 'footer' } },
    { rule: 'start-with-gitmoji', level: 'warn', value: { form: 'emoji' } },
  ]);
  const headers = [
    ' Feature(API): Added x.',
    'Bugfix!: Fixes #1 crash..',
    ':sparkles: Docs: Updated readme',
    'feat: ✨ Adding thing',
    'feat(Web, API): Removed files are now ignored.',
    ' #1 x ',
    '기능: 로그인 추가.',
  ];
  const bodies = [
    '',
    'a long body line with many words that goes past the width and a https://example.com/a/b/c/d/e url',
    '- list item that is long enough to need wrapping\n    code block line that is very long indeed',
    'text ending with issue #12 and more words after that',
  ];
  const footers = ['', 'Refs: #1', 'BREAKING CHANGE: boom\nmore text', 'Signed-off-by: A <a@x>'];
  const messages = headers.flatMap((header) =>
    bodies.flatMap((body) =>
      footers.flatMap((footer) => ['\n', '\n\n'].map((gap) => [header, body, footer].join(gap))),
    ),
  );

  it.each(messages)('%j: a second evaluation finds nothing to fix, and no word is lost', (message) => {
    const options = { branch: 'feature/PROJ-7-login' };
    const result = evaluateRules(message, rules, options);
    const again = evaluateRules(result.fixedMessage ?? message, rules, options);
    expect(again.fixedMessage).toBeNull();
    expect(again.changes).toEqual([]);
    expect(again.violations.filter((v) => v.fixed)).toEqual([]);
    // Fixes rewrite the first words of the header; every word of the body and footers stays.
    const words = (text: string) => text.split('\n').slice(1).join(' ').split(/\s+/).filter(Boolean);
    expect(words(result.fixedMessage ?? message)).toEqual(expect.arrayContaining(words(message)));
  });
});
