import { describe, expect, it } from 'vitest';
import { readHistory } from './fixtures/histories.js';
import { emptyProfile, learnStyle } from './learn-style.js';

describe('learnStyle', () => {
  it("reads this repository's own history: Conventional Commits, scoped, long lowercase subjects, no bodies", () => {
    const profile = learnStyle(readHistory('keel'));
    expect(profile.sample).toBe(141);
    expect(profile.merges).toBe(0);
    expect(profile.conventional).toBe(1);
    expect(profile.gitmoji).toBe(0);
    expect(profile.types).toEqual([
      { value: 'feat', count: 45 },
      { value: 'test', count: 29 },
      { value: 'docs', count: 23 },
      { value: 'perf', count: 13 },
      { value: 'refactor', count: 11 },
      { value: 'fix', count: 10 },
      { value: 'bench', count: 4 },
      { value: 'style', count: 3 },
      { value: 'chore', count: 2 },
      { value: 'ci', count: 1 },
    ]);
    expect(profile.scopes.slice(0, 5)).toEqual([
      { value: 'llm', count: 44 },
      { value: 'identity', count: 26 },
      { value: 'kernel', count: 16 },
      { value: 'plans', count: 10 },
      { value: 'notify', count: 7 },
    ]);
    // `feat(identity,kernel)` counts both scopes.
    expect(profile.scopesByType.feat?.slice(0, 3)).toEqual([
      { value: 'identity', count: 14 },
      { value: 'llm', count: 11 },
      { value: 'kernel', count: 8 },
    ]);
    expect(profile.scopesByType.docs?.[1]).toEqual({ value: 'bench', count: 5 });
    expect(profile.scopeUsage).toBe(0.908);
    expect(profile.language).toBe('en');
    expect(profile.languageShares).toEqual({ ko: 0, en: 1 });
    expect(profile.subject).toEqual({
      count: 141,
      p50: 88,
      p90: 152,
      case: 'lower',
      lowerShare: 0.975,
      period: 'never',
      periodShare: 0,
    });
    // One body in 141 commits.
    expect(profile.body).toEqual({ share: 0.007, style: null, bulletShare: 0, lineWidth: null });
    expect(profile.tickets.share).toBe(0);
    expect(profile.tickets.placement).toBeNull();
    expect(profile.breaking).toEqual({ count: 0, marker: null });
  });

  it('reads a Korean team: Korean subjects, bullet bodies, tickets in a Refs footer, merges left out', () => {
    const profile = learnStyle(readHistory('korean'));
    expect(profile.sample).toBe(35);
    expect(profile.merges).toBe(2);
    // The revert git wrote counts as a revert, but its header is not the team's convention.
    expect(profile.conventional).toBe(0.971);
    expect(profile.types).toEqual([
      { value: 'feat', count: 11 },
      { value: 'fix', count: 10 },
      { value: 'refactor', count: 4 },
      { value: 'chore', count: 3 },
      { value: 'docs', count: 2 },
      { value: 'test', count: 2 },
      { value: 'perf', count: 1 },
      { value: 'revert', count: 1 },
      { value: 'style', count: 1 },
    ]);
    expect(profile.scopes.map((s) => s.value)).toEqual([
      'api',
      'order',
      'payment',
      'auth',
      'ui',
      'db',
      'ci',
      'deps',
    ]);
    expect(profile.scopeUsage).toBe(0.941);
    expect(profile.language).toBe('ko');
    expect(profile.languageShares).toEqual({ ko: 1, en: 0 });
    // Hangul syllables count one each: '주문 번호 중복 생성 수정' is 13 characters.
    expect(profile.subject).toEqual({
      count: 34,
      p50: 15,
      p90: 23,
      case: null,
      lowerShare: 1,
      period: 'never',
      periodShare: 0,
    });
    expect(profile.body).toEqual({ share: 0.229, style: 'bullets', bulletShare: 0.875, lineWidth: 20 });
    expect(profile.tickets).toEqual({
      share: 0.314,
      pattern: '#123',
      project: null,
      placement: 'footer',
      brackets: null,
      footerToken: 'Refs',
    });
    expect(profile.breaking).toEqual({ count: 1, marker: 'both' });
  });

  it('reads a gitmoji team: shortcodes, types by emoji, capitalized subjects, Jira keys before the subject', () => {
    const profile = learnStyle(readHistory('gitmoji'));
    expect(profile.sample).toBe(30);
    expect(profile.merges).toBe(1);
    expect(profile.conventional).toBe(0);
    expect(profile.gitmoji).toBe(1);
    expect(profile.gitmojiStyle).toBe('code');
    expect(profile.emojis.slice(0, 3)).toEqual([
      { value: ':sparkles:', count: 7 },
      { value: ':bug:', count: 6 },
      { value: ':recycle:', count: 3 },
    ]);
    // ✨ and 🐛 written as unicode count with their shortcodes; 🚑️ is a fix, 💚 and 👷 are ci.
    expect(profile.types).toEqual([
      { value: 'feat', count: 7 },
      { value: 'fix', count: 7 },
      { value: 'refactor', count: 3 },
      { value: 'ci', count: 2 },
      { value: 'docs', count: 2 },
      { value: 'test', count: 2 },
      { value: 'build', count: 1 },
      { value: 'chore', count: 1 },
      { value: 'perf', count: 1 },
      { value: 'style', count: 1 },
    ]);
    expect(profile.scopes).toEqual([
      { value: 'search', count: 4 },
      { value: 'checkout', count: 3 },
      { value: 'api', count: 2 },
      { value: 'cart', count: 2 },
      { value: 'header', count: 1 },
      { value: 'profile', count: 1 },
    ]);
    expect(profile.scopeUsage).toBe(0.433);
    expect(profile.subject).toEqual({
      count: 30,
      p50: 27,
      p90: 36,
      case: 'upper',
      lowerShare: 0,
      period: 'never',
      periodShare: 0,
    });
    expect(profile.tickets).toEqual({
      share: 0.333,
      pattern: 'ABC-123',
      project: 'WEB',
      placement: 'subject-prefix',
      brackets: 'square',
      footerToken: null,
    });
    expect(profile.breaking).toEqual({ count: 1, marker: 'footer' });
  });

  it('learns nothing from an empty history', () => {
    const profile = learnStyle([]);
    expect(profile).toEqual(emptyProfile);
    expect(profile).toMatchObject({
      sample: 0,
      conventional: 0,
      types: [],
      scopes: [],
      language: null,
      subject: { count: 0, case: null, period: null },
      body: { share: 0, style: null, lineWidth: null },
      tickets: { placement: null },
      breaking: { marker: null },
    });
    expect(learnStyle(['', '  ', 'Merge branch "main"'])).toMatchObject({ sample: 0, merges: 1 });
  });

  it('leaves out merge commits of every kind and keeps reverts', () => {
    const profile = learnStyle([
      "Merge branch 'main' into feature/x",
      'Merge pull request #12 from org/branch',
      "Merge remote-tracking branch 'origin/main'",
      'Merged in feature/login (pull request #7)',
      'Revert "feat(api): add search"\n\nThis reverts commit abc.',
      'revert: undo the search endpoint',
    ]);
    expect(profile.sample).toBe(2);
    expect(profile.merges).toBe(4);
    expect(profile.types).toEqual([{ value: 'revert', count: 2 }]);
    // The reverted header's scope belongs to the reverted commit.
    expect(profile.scopes).toEqual([]);
  });

  it('finds ticket references before and after subjects and in footers', () => {
    const suffix = learnStyle([
      'fix: handle empty input (#12)',
      'feat: add search (#11)',
      'feat(api): paginate results (#10)',
      'docs: describe paging',
    ]);
    expect(suffix.tickets).toMatchObject({
      share: 0.75,
      pattern: '#123',
      placement: 'subject-suffix',
      brackets: 'round',
    });
    const jira = learnStyle([
      'ABC-12 add login',
      'ABC-13 fix logout',
      'XY-1: update docs',
      'feat: add search\n\nCloses: ABC-14',
      // Standards are not tickets.
      'fix: decode UTF-8 names',
    ]);
    expect(jira.tickets).toMatchObject({
      share: 0.8,
      pattern: 'ABC-123',
      project: 'ABC',
      placement: 'subject-prefix',
    });
    expect(jira.tickets.brackets).toBeNull();
    expect(learnStyle(['feat: a\n\nRefs: #1', 'fix: b\n\nFixes #2']).tickets).toMatchObject({
      placement: 'footer',
      footerToken: 'Refs',
    });
  });

  it('tells bullet bodies from prose and measures their width', () => {
    const prose =
      'This changes how the parser reads headers, so that empty ones are\nreported instead of skipped. It also keeps the old behaviour behind a flag.';
    const bullets = '- parser: add parseHeader\n- lexer: remove the old token table';
    const profile = learnStyle([
      `feat: a\n\n${prose}`,
      `fix: b\n\n${prose}`,
      `fix: c\n\n${prose}\n\nRefs: #3`,
      `feat: d\n\n${prose}`,
      `feat: e\n\n${bullets}`,
      'chore: f',
    ]);
    expect(profile.body).toEqual({ share: 0.833, style: 'prose', bulletShare: 0.2, lineWidth: 75 });
  });

  it('calls a history mixed when neither language has 60 % of the subjects', () => {
    const profile = learnStyle([
      'feat: 로그인 추가',
      'fix: 토큰 만료 수정',
      'feat: add search',
      'fix: handle empty header',
      'docs: README 업데이트',
      'chore: bump deps',
    ]);
    expect(profile.language).toBe('mixed');
    expect(profile.languageShares).toEqual({ ko: 0.5, en: 0.5 });
  });

  it('reads unicode gitmojis with and without their variation selector, and gitmoji before a conventional header', () => {
    const profile = learnStyle([
      '♻️ (core): Split modules',
      '♻ Rename things',
      '⚡️ Cache lookups',
      '✨ feat(ui): add a button',
    ]);
    expect(profile.gitmojiStyle).toBe('unicode');
    expect(profile.emojis).toEqual([
      { value: ':recycle:', count: 2 },
      { value: ':sparkles:', count: 1 },
      { value: ':zap:', count: 1 },
    ]);
    expect(profile.types).toEqual([
      { value: 'refactor', count: 2 },
      { value: 'feat', count: 1 },
      { value: 'perf', count: 1 },
    ]);
    expect(profile.conventional).toBe(0.25);
    expect(profile.scopes).toEqual([
      { value: 'core', count: 1 },
      { value: 'ui', count: 1 },
    ]);
  });

  it('is deterministic', () => {
    const history = readHistory('gitmoji');
    expect(learnStyle(history)).toEqual(learnStyle([...history]));
  });
});
