import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../capture/test-repo.js';
import { evalCommits, rougeL, subjectWords } from './eval-commits.js';

describe('subject similarity', () => {
  it('is ROUGE-L F1 over words', () => {
    expect(rougeL(subjectWords('handle empty header'), subjectWords('Handle an empty header.'))).toBeCloseTo(
      (2 * 1 * 0.75) / 1.75,
      5,
    );
    expect(rougeL(subjectWords('add parser'), subjectWords('remove cache'))).toBe(0);
    expect(rougeL([], ['a'])).toBe(0);
    expect(subjectWords('fix(parser): use `parseHeader` in v1.2')).toEqual([
      'fix',
      'parser',
      'use',
      'parseheader',
      'in',
      'v1.2',
    ]);
  });
});

describe('evalCommits', () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createTestRepo();
    repo.write(
      'src/parser/header.ts',
      'export function parseHeader(text: string) {\n  return text.split(":");\n}\n',
    );
    repo.commit('feat(parser): parse headers'); // the root commit: no parent, not judged
    repo.write(
      'src/parser/header.ts',
      'export function parseHeader(text: string) {\n  if (!text) return [];\n  return text.split(":");\n}\n',
    );
    repo.commit('fix(parser): handle empty text in parseHeader');
    repo.write('README.md', '# Parser\n\nParses headers.\n');
    repo.commit('docs: describe the parser');
    repo.write(
      'src/parser/header.test.ts',
      "import { parseHeader } from './header';\ntest('splits', () => {\n  expect(parseHeader('a:b')).toEqual(['a', 'b']);\n});\n",
    );
    repo.commit('add a test');
    repo.git('-c', 'user.name=dependabot[bot]', 'commit', '-q', '--allow-empty', '-m', 'chore(deps): bump x');
  });
  afterAll(() => repo.cleanup());

  it('drafts each commit from its diff alone and scores type, scope and subject', async () => {
    const report = await evalCommits({ repoDir: repo.dir, limit: 10 });
    // The bot's commit and the root commit are left out; "add a test" is not Conventional.
    expect(report.commits).toBe(3);
    expect(report.conventional).toBe(2);
    expect(report.provider).toBe('keel-offline');
    const fix = report.cases.find((c) => c.actual.type === 'fix');
    expect(fix?.drafted).toMatchObject({
      type: 'fix',
      scope: 'parser',
      subject: 'handle empty text in parseHeader',
    });
    expect(report.cases.find((c) => c.actual.type === 'docs')?.drafted?.type).toBe('docs');
    expect(report.type_accuracy).toBe(1);
    expect(report.subject_similarity).toBeGreaterThan(0.3);
  });
});
