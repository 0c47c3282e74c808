import { describe, expect, it } from 'vitest';
import { applyStyle } from './apply-style.js';
import { readHistory } from './fixtures/histories.js';
import { emptyProfile, learnStyle } from './learn-style.js';
import type { StyleDraft } from './style.types.js';

const drafterBody = [
  '- src/shared/identity/passwords.service.ts: add lockout, verify; change',
  '  hash; +48/-6',
  '- src/shared/identity/passwords.service.test.ts: 3 new tests; +61/-0',
].join('\n');

const draft = (parts: Partial<StyleDraft> = {}): StyleDraft => ({
  type: 'feat',
  scope: 'identity',
  subject: 'add lockout to passwords service',
  body: drafterBody,
  breaking: false,
  breakingNote: null,
  ...parts,
});

const keel = learnStyle(readHistory('keel'));
const korean = learnStyle(readHistory('korean'));
const gitmoji = learnStyle(readHistory('gitmoji'));

/** A history of `headers`, each repeated `times` times. */
const history = (headers: string[], times = 1) => Array.from({ length: times }, () => headers).flat();

/** Subjects of the length teams write (30–45 characters), so the length rule stays out of the way. */
const subjects = [
  'add retry with backoff to the upload client',
  'handle an empty header in the request parser',
  'describe the paging parameters of the API',
  'remove the unused feature flag for search',
];

describe('applyStyle', () => {
  it('changes nothing with an empty profile', () => {
    const d = draft({ ticket: 'WEB-1' });
    expect(applyStyle(d, emptyProfile)).toEqual({ ...d, notes: [] });
  });

  describe('type', () => {
    it("uses the team's spelling when it never writes the drafted type", () => {
      const team = learnStyle(
        history(
          ['feature(identity)', 'bugfix(identity)', 'doc(identity)', 'chore(identity)'].map(
            (h, i) => `${h}: ${subjects[i]}`,
          ),
          3,
        ),
      );
      expect(applyStyle(draft({ body: '' }), team)).toMatchObject({
        type: 'feature',
        notes: ['type feat → feature: the team writes feature (3 of 12 typed commits) and never feat'],
      });
      expect(applyStyle(draft({ type: 'fix', body: '' }), team).type).toBe('bugfix');
      expect(applyStyle(draft({ type: 'docs', body: '' }), team).type).toBe('doc');
    });

    it('keeps a type the team uses, or one it has no equivalent for', () => {
      const team = learnStyle(
        history(
          ['feature(identity)', 'feat(identity)', 'chore(identity)'].map((h, i) => `${h}: ${subjects[i]}`),
          2,
        ),
      );
      expect(applyStyle(draft({ body: '' }), team)).toMatchObject({ type: 'feat', notes: [] });
      expect(applyStyle(draft({ type: 'perf', body: '' }), team)).toMatchObject({ type: 'perf', notes: [] });
      // Too few commits to say what the team never writes.
      expect(applyStyle(draft({ body: '' }), learnStyle(['feature: add a'])).type).toBe('feat');
    });
  });

  describe('scope', () => {
    it('drops the scope when the team rarely writes one', () => {
      const team = learnStyle([
        ...history(
          ['feat', 'fix', 'docs', 'chore'].map((h, i) => `${h}: ${subjects[i]}`),
          2,
        ),
        `feat(api): ${subjects[0]}`,
      ]);
      expect(applyStyle(draft({ body: '' }), team)).toMatchObject({
        scope: null,
        notes: ['scope identity left out: the team names a scope in 11 % of its commits'],
      });
    });

    it("maps a scope to the team's: same word, singular/plural, path segment, prefix, edit distance", () => {
      const team = learnStyle(
        ['feat(API)', 'fix(plans)', 'docs(bench)', 'feat(identity)', 'refactor(kernel)', 'fix(http)'].map(
          (h, i) => `${h}: ${subjects[i % subjects.length]}`,
        ),
      );
      const scoped = (scope: string) => applyStyle(draft({ scope, body: '' }), team);
      expect(scoped('api')).toMatchObject({
        scope: 'API',
        notes: ["scope api → API (same word): the team's scope"],
      });
      expect(scoped('plan')).toMatchObject({
        scope: 'plans',
        notes: ["scope plan → plans (singular/plural): the team's scope"],
      });
      expect(scoped('kernel/http').scope).toBe('http');
      expect(scoped('kernel/http').notes).toEqual([
        "scope kernel/http → http (path segment): the team's scope",
      ]);
      expect(scoped('benchmarks')).toMatchObject({
        scope: 'bench',
        notes: ["scope benchmarks → bench (prefix): the team's scope"],
      });
      expect(scoped('identiy')).toMatchObject({
        scope: 'identity',
        notes: ["scope identiy → identity (edit distance): the team's scope"],
      });
      // Nothing close: the drafted scope stays.
      expect(scoped('webhooks')).toMatchObject({ scope: 'webhooks', notes: [] });
      // Short words are not matched by spelling alone.
      expect(scoped('ui').scope).toBe('ui');
    });

    it('prefers the scope the team uses with the same type', () => {
      const team = learnStyle([
        ...history(['feat(kernel): a'], 5),
        ...history(['fix(http): b'], 2),
        ...history(['perf(http): c'], 2),
        'perf(kernel): d',
      ]);
      expect(applyStyle(draft({ type: 'perf', scope: 'kernel/http', body: '' }), team).scope).toBe('http');
      expect(applyStyle(draft({ type: 'feat', scope: 'kernel/http', body: '' }), team).scope).toBe('kernel');
    });

    it("maps the drafter's scopes onto this repository's", () => {
      expect(applyStyle(draft({ type: 'docs', scope: 'benchmarks', body: '' }), keel).scope).toBe('bench');
      expect(applyStyle(draft({ scope: 'identity', body: '' }), keel)).toMatchObject({
        scope: 'identity',
        notes: [],
      });
    });
  });

  describe('subject', () => {
    it("follows the team's first-letter case and trailing period", () => {
      expect(applyStyle(draft({ scope: 'search', body: '' }), gitmoji)).toMatchObject({
        subject: 'Add lockout to passwords service',
        notes: ['subject first letter capitalized, as the team writes'],
      });
      expect(
        applyStyle(draft({ subject: 'Add lockout to passwords service.', body: '' }), keel),
      ).toMatchObject({
        subject: 'add lockout to passwords service',
        notes: ['subject first letter lowercase, period removed, as the team writes'],
      });
      const periods = learnStyle(
        history(
          ['feat: Add the parser for headers and bodies.', 'fix: Keep the cache warm across restarts.'],
          3,
        ),
      );
      expect(applyStyle(draft({ scope: null, body: '' }), periods)).toMatchObject({
        subject: 'Add lockout to passwords service.',
        notes: ['subject first letter capitalized, period added, as the team writes'],
      });
    });

    it("shortens a subject past the team's p90 by a trailing qualifier only", () => {
      // The gitmoji team's subjects stay within 36 characters.
      expect(
        applyStyle(
          draft({ scope: 'search', subject: 'add parseHeader and readBody to parser', body: '' }),
          gitmoji,
        ),
      ).toMatchObject({
        subject: 'Add parseHeader and readBody',
        notes: [
          'subject first letter capitalized, as the team writes',
          "subject shortened to 28 characters (trailing qualifier removed): the team's subjects stay within 36 (p90)",
        ],
      });
      expect(
        applyStyle(
          draft({ scope: 'search', subject: 'fix error handling in createCatalogStore', body: '' }),
          gitmoji,
        ),
      ).toMatchObject({
        subject: 'Fix error handling in createCatalogStore',
        notes: [
          'subject first letter capitalized, as the team writes',
          "subject kept at 40 characters, over the team's 36 (p90): it cannot be shortened without losing meaning",
        ],
      });
    });

    it('writes the subject in Korean for a Korean team, shortened to its length', () => {
      expect(
        applyStyle(draft({ scope: 'auth', subject: 'handle empty header in parseHeader' }), korean),
      ).toMatchObject({
        subject: 'parseHeader에서 빈 헤더 처리',
        notes: [
          'subject written in Korean, as the team writes',
          'body kept in English: only subjects are written in Korean',
        ],
      });
      // 'passwords service에 lockout 추가' is 29 characters; the team's p90 is 23.
      expect(applyStyle(draft({ scope: 'auth', body: '' }), korean)).toMatchObject({
        subject: 'lockout 추가',
        notes: [
          'subject written in Korean, as the team writes',
          "subject shortened to 10 characters (trailing qualifier removed): the team's subjects stay within 23 (p90)",
        ],
      });
      expect(
        applyStyle(draft({ scope: 'auth', subject: 'make logins faster', body: '' }), korean),
      ).toMatchObject({
        subject: 'make logins faster',
        notes: ['subject kept in English: not a subject shape the Korean templates know'],
      });
    });
  });

  describe('body', () => {
    it('drops the body when the team almost never writes one', () => {
      expect(applyStyle(draft(), keel)).toMatchObject({
        body: '',
        notes: ["body left out: 1 % of the team's commits have one"],
      });
    });

    it('keeps bullets for a team that writes lists', () => {
      expect(applyStyle(draft({ scope: 'auth', subject: 'add lockout' }), korean).body).toBe(drafterBody);
    });

    it('turns prose into a list for a team that writes lists', () => {
      expect(
        applyStyle(
          draft({
            scope: 'auth',
            subject: 'add lockout',
            body: 'Locks an account after five failures. Unlocks it after 15 minutes.',
          }),
          korean,
        ),
      ).toMatchObject({
        body: '- Locks an account after five failures.\n- Unlocks it after 15 minutes.',
        notes: [
          'subject written in Korean, as the team writes',
          'body written as a list, as the team writes bodies',
          'body kept in English: only subjects are written in Korean',
        ],
      });
    });

    it("turns a list into prose wrapped at the team's width", () => {
      const prose =
        'This changes how the parser reads headers, so that empty\nones are reported instead of skipped.';
      const team = learnStyle(
        history(
          subjects.slice(0, 3).map((s, i) => `feat: ${s}${i < 2 ? `\n\n${prose}` : ''}`),
          3,
        ),
      );
      expect(team.body).toMatchObject({ style: 'prose', lineWidth: 56 });
      expect(applyStyle(draft({ scope: null }), team)).toMatchObject({
        body: [
          'src/shared/identity/passwords.service.ts: add lockout,',
          'verify; change hash; +48/-6.',
          'src/shared/identity/passwords.service.test.ts: 3 new',
          'tests; +61/-0.',
        ].join('\n'),
        notes: [
          "body written as prose, as the team writes bodies; wrapped at 56 columns, the team's usual line width",
        ],
      });
    });

    it('unwraps for a team that does not wrap', () => {
      const long = `- ${'word '.repeat(30).trim()}`;
      const team = learnStyle(
        history([`feat: ${subjects[0]}\n\n${long}\n- short`, `fix: ${subjects[1]}`], 5),
      );
      expect(team.body).toMatchObject({ style: 'bullets', lineWidth: 151 });
      expect(applyStyle(draft({ scope: null, subject: 'add lockout' }), team)).toMatchObject({
        body: [
          '- src/shared/identity/passwords.service.ts: add lockout, verify; change hash; +48/-6',
          '- src/shared/identity/passwords.service.test.ts: 3 new tests; +61/-0',
        ].join('\n'),
        notes: ['body unwrapped: the team does not wrap its bodies'],
      });
    });
  });

  it("fits a drafter's draft to this repository's voice", () => {
    const styled = applyStyle(
      draft({ type: 'docs', scope: 'benchmarks', subject: 'update benchmarks docs' }),
      keel,
    );
    expect(styled).toEqual({
      type: 'docs',
      scope: 'bench',
      subject: 'update benchmarks docs',
      body: '',
      breaking: false,
      breakingNote: null,
      notes: [
        "scope benchmarks → bench (prefix): the team's scope",
        "body left out: 1 % of the team's commits have one",
      ],
    });
  });
});
