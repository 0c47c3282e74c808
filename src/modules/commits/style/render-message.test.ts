import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../kernel/errors/index.js';
import { conventionFromProfile, validateConvention } from './convention.js';
import { readHistory } from './fixtures/histories.js';
import { gitmojiByType } from './gitmoji.js';
import { emptyProfile, learnStyle } from './learn-style.js';
import { renderMessage } from './render-message.js';
import type { StyleDraft } from './style.types.js';

const draft = (parts: Partial<StyleDraft> = {}): StyleDraft => ({
  type: 'feat',
  scope: 'parser',
  subject: 'add parseHeader guard',
  body: '- src/parser.ts: add parseHeader; +12/-0',
  breaking: false,
  breakingNote: null,
  ...parts,
});

const breaking = draft({
  type: 'refactor',
  subject: 'remove legacyToken',
  body: '',
  breaking: true,
  breakingNote: 'legacyToken is no longer exported from src/token.ts.',
});

describe('renderMessage: Conventional Commits', () => {
  it('writes the header, a blank line, the body', () => {
    expect(renderMessage(draft(), { kind: 'conventional' })).toBe(
      'feat(parser): add parseHeader guard\n\n- src/parser.ts: add parseHeader; +12/-0',
    );
    expect(renderMessage(draft({ scope: null, body: '' }), { kind: 'conventional' })).toBe(
      'feat: add parseHeader guard',
    );
  });

  it('marks a breaking change with ! and the BREAKING CHANGE footer, or as the team does', () => {
    expect(renderMessage(breaking, { kind: 'conventional' })).toBe(
      'refactor(parser)!: remove legacyToken\n\nBREAKING CHANGE: legacyToken is no longer exported from src/token.ts.',
    );
    expect(renderMessage(breaking, { kind: 'conventional', breaking: 'footer' })).toBe(
      'refactor(parser): remove legacyToken\n\nBREAKING CHANGE: legacyToken is no longer exported from src/token.ts.',
    );
    expect(renderMessage(breaking, { kind: 'conventional', breaking: 'bang' })).toBe(
      'refactor(parser)!: remove legacyToken\n\nlegacyToken is no longer exported from src/token.ts.',
    );
    // No note to put in a footer: the ! says it.
    expect(
      renderMessage({ ...breaking, breakingNote: null }, { kind: 'conventional', breaking: 'footer' }),
    ).toBe('refactor(parser)!: remove legacyToken');
  });

  it('places a ticket where the team does', () => {
    const withTicket = draft({ body: '', ticket: 'WEB-42' });
    expect(renderMessage(withTicket, { kind: 'conventional' })).toBe(
      'feat(parser): add parseHeader guard\n\nRefs: WEB-42',
    );
    expect(
      renderMessage(withTicket, {
        kind: 'conventional',
        ticket: { placement: 'subject-prefix', brackets: 'square' },
      }),
    ).toBe('feat(parser): [WEB-42] add parseHeader guard');
    expect(
      renderMessage(draft({ body: '', ticket: '#7' }), {
        kind: 'conventional',
        ticket: { placement: 'subject-suffix', brackets: 'round' },
      }),
    ).toBe('feat(parser): add parseHeader guard (#7)');
    expect(
      renderMessage(
        { ...breaking, ticket: '#7' },
        { kind: 'conventional', ticket: { placement: 'footer', token: 'Closes' } },
      ),
    ).toBe(
      'refactor(parser)!: remove legacyToken\n\nBREAKING CHANGE: legacyToken is no longer exported from src/token.ts.\nCloses: #7',
    );
  });

  it('puts a subject on one line', () => {
    expect(
      renderMessage(draft({ subject: 'add\nparseHeader  guard', body: '' }), { kind: 'conventional' }),
    ).toBe('feat(parser): add parseHeader guard');
  });
});

describe('renderMessage: gitmoji', () => {
  it('writes <intention> [(scope): ]<message>, in shortcode or unicode', () => {
    expect(renderMessage(draft(), { kind: 'gitmoji', style: 'code' })).toBe(
      ':sparkles: (parser): add parseHeader guard\n\n- src/parser.ts: add parseHeader; +12/-0',
    );
    expect(
      renderMessage(draft({ type: 'fix', scope: null, body: '' }), { kind: 'gitmoji', style: 'unicode' }),
    ).toBe('🐛 add parseHeader guard');
  });

  it('draws each type with its gitmoji, breaking changes with 💥', () => {
    const table = Object.fromEntries(
      ['feat', 'fix', 'docs', 'style', 'refactor', 'perf', 'test', 'build', 'ci', 'chore', 'revert'].map(
        (type) => [
          type,
          renderMessage(draft({ type, scope: null, body: '', subject: 'x' }), {
            kind: 'gitmoji',
            style: 'unicode',
          }),
        ],
      ),
    );
    expect(table).toEqual({
      feat: '✨ x',
      fix: '🐛 x',
      docs: '📝 x',
      style: '🎨 x',
      refactor: '♻️ x',
      perf: '⚡️ x',
      test: '✅ x',
      build: '📦️ x',
      ci: '👷 x',
      chore: '🔧 x',
      revert: '⏪️ x',
    });
    expect(gitmojiByType.refactor?.code).toBe(':recycle:');
    expect(renderMessage(breaking, { kind: 'gitmoji', style: 'code' })).toBe(
      ':boom: (parser): remove legacyToken\n\nBREAKING CHANGE: legacyToken is no longer exported from src/token.ts.',
    );
    // Another spelling of a type, and a type gitmoji has no intention for.
    expect(
      renderMessage(draft({ type: 'feature', scope: null, body: '', subject: 'x' }), {
        kind: 'gitmoji',
        style: 'code',
      }),
    ).toBe(':sparkles: x');
    expect(
      renderMessage(draft({ type: 'bench', scope: null, body: '', subject: 'x' }), {
        kind: 'gitmoji',
        style: 'code',
      }),
    ).toBe(':wrench: x');
  });

  it('places a ticket in the message', () => {
    expect(
      renderMessage(draft({ body: '', ticket: 'WEB-42' }), {
        kind: 'gitmoji',
        style: 'code',
        ticket: { placement: 'subject-prefix', brackets: 'square' },
      }),
    ).toBe(':sparkles: (parser): [WEB-42] add parseHeader guard');
  });
});

describe('renderMessage: custom templates', () => {
  const template =
    '{{emoji}} {{type}}{{#scope}}({{scope}}){{/scope}}: {{subject}}{{#ticket}} [{{ticket}}]{{/ticket}}\n\n{{body}}\n\n{{#breaking}}BREAKING CHANGE: {{breakingNote}}{{/breaking}}';

  it('renders the variables without HTML escaping', () => {
    expect(
      renderMessage(draft({ subject: 'handle <T> & "quotes" in parseHeader', ticket: 'WEB-1' }), {
        kind: 'custom',
        template,
      }),
    ).toBe(
      '✨ feat(parser): handle <T> & "quotes" in parseHeader [WEB-1]\n\n- src/parser.ts: add parseHeader; +12/-0',
    );
  });

  it('leaves out what is empty, and renders unknown variables empty', () => {
    expect(renderMessage(breaking, { kind: 'custom', template })).toBe(
      '💥 refactor(parser): remove legacyToken\n\nBREAKING CHANGE: legacyToken is no longer exported from src/token.ts.',
    );
    expect(
      renderMessage(draft({ scope: null }), {
        kind: 'custom',
        template: '{{type}}: {{subject}}{{author}} {{emojiCode}}',
      }),
    ).toBe('feat: add parseHeader guard :sparkles:');
  });

  it('refuses a template that does not parse, naming the field', () => {
    let error: unknown;
    try {
      renderMessage(draft(), { kind: 'custom', template: '{{#type}}{{subject}}' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeelError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      details: {
        errors: [
          { field: 'template', message: 'the template does not parse: Unclosed section "type" at 20' },
        ],
      },
    });
  });
});

describe('validateConvention', () => {
  it('accepts the three conventions', () => {
    expect(validateConvention({ kind: 'conventional' })).toEqual([]);
    expect(
      validateConvention({
        kind: 'conventional',
        breaking: 'footer',
        ticket: { placement: 'footer', token: 'Refs' },
      }),
    ).toEqual([]);
    expect(validateConvention({ kind: 'gitmoji', style: 'unicode' })).toEqual([]);
    expect(validateConvention({ kind: 'custom', template: '{{type}}: {{subject}}' })).toEqual([]);
  });

  it('names the field that is wrong', () => {
    expect(validateConvention({ kind: 'angular' })).toEqual([
      { field: 'kind', message: "kind is 'conventional', 'gitmoji' or 'custom'" },
    ]);
    expect(validateConvention({ kind: 'gitmoji', style: 'emoji' })).toEqual([
      { field: 'style', message: "style is 'code' (:sparkles:) or 'unicode' (✨)" },
    ]);
    expect(validateConvention({ kind: 'custom', template: '{{#scope}}{{subject}}' })).toEqual([
      { field: 'template', message: 'the template does not parse: Unclosed section "scope" at 21' },
    ]);
    expect(validateConvention({ kind: 'custom', template: '{{type}}: {{title}}' })).toEqual([
      { field: 'template', message: 'the template does not use {{subject}}' },
    ]);
    expect(validateConvention({ kind: 'custom' })).toEqual([
      { field: 'template', message: 'a custom convention needs a template' },
    ]);
    expect(validateConvention({ kind: 'conventional', ticket: { placement: 'body' } })).toEqual([
      { field: 'ticket.placement', message: expect.stringContaining('subject-prefix') },
    ]);
  });
});

describe('conventionFromProfile', () => {
  it('proposes the convention a history shows', () => {
    expect(conventionFromProfile(learnStyle(readHistory('keel')))).toEqual({ kind: 'conventional' });
    expect(conventionFromProfile(learnStyle(readHistory('korean')))).toEqual({
      kind: 'conventional',
      breaking: 'both',
      ticket: { placement: 'footer', token: 'Refs' },
    });
    expect(conventionFromProfile(learnStyle(readHistory('gitmoji')))).toEqual({
      kind: 'gitmoji',
      style: 'code',
      ticket: { placement: 'subject-prefix', brackets: 'square' },
    });
    expect(conventionFromProfile(emptyProfile)).toEqual({ kind: 'conventional' });
  });
});
