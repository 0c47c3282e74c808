import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestRepo, type TestRepo } from '../../modules/commits/capture/test-repo.js';
import { parseCommandArgs, UsageError } from '../command.js';
import { draftCommand } from './draft.js';

const header = (guard: string) =>
  `export function parseHeader(text: string) {\n${guard}  const [name, value] = text.split(':');\n  return { name, value };\n}\n`;

let repo: TestRepo;
beforeAll(() => {
  repo = createTestRepo();
  repo.write('src/parser/header.ts', header(''));
  repo.commit('feat(parser): parse headers');
  repo.write('README.md', '# parser\n');
  repo.commit('docs: add a readme');
});
afterAll(() => repo.cleanup());

let out = '';
let err = '';
beforeAll(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});
afterEach(() => {
  out = '';
  err = '';
});
afterAll(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(draftCommand, argv);
  return draftCommand.run(values, positionals);
}

describe('keel draft', () => {
  it('drafts fix(parser) for a guard in the working tree, as JSON', async () => {
    repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
    expect(await run(['--repo', repo.dir, '--count', '2'])).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({
      type: 'fix',
      scope: 'parser',
      subject: 'handle empty text in parseHeader',
      message: 'fix(parser): handle empty text in parseHeader',
      provider: 'keel-offline',
      language: 'en',
    });
    expect(json.drafts.length).toBe(2);
    expect(json.scoping.top[0]).toMatchObject({ id: 'src/parser/header.ts::parseHeader', guard_added: true });
    expect(json.scoping.prompt_tokens).toBeLessThanOrEqual(json.scoping.token_budget);
  });

  it('prints only the message for git, and reads a range', async () => {
    expect(await run(['--repo', repo.dir, '--message-only'])).toBe(0);
    expect(out).toBe('fix(parser): handle empty text in parseHeader\n');
    out = '';
    expect(await run(['--repo', repo.dir, '--range', 'HEAD~1..HEAD', '--message-only'])).toBe(0);
    expect(out).toMatch(/^docs: /);
  });

  it('says why when there is nothing to draft, and refuses bad options', async () => {
    repo.git('checkout', '--', '.');
    expect(await run(['--repo', repo.dir])).toBe(1);
    expect(err).toContain('nothing to capture');
    await expect(run(['--count', '9'])).rejects.toThrow(UsageError);
    await expect(run(['--staged', '--range', 'a..b'])).rejects.toThrow(/choose one/);
    await expect(run(['--language', 'fr'])).rejects.toThrow(/ko or en/);
  });
});

describe('keel draft, a change of two unrelated parts', () => {
  it('proposes one commit per theme, each with its own draft', async () => {
    const other = createTestRepo();
    try {
      other.write('src/parser/header.ts', header(''));
      other.write(
        'src/billing/invoice.ts',
        'export function totalOf(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n',
      );
      other.commit('feat: start');
      other.write('src/parser/header.ts', header('  if (!text) return null;\n'));
      other.write(
        'src/billing/invoice.ts',
        'export function totalOf(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n\nexport function taxOf(amount: number, rate: number): number {\n  const tax = amount * rate;\n  return Math.round(tax * 100) / 100;\n}\n',
      );
      expect(await run(['--repo', other.dir])).toBe(0);
      const json = JSON.parse(out);
      expect(json.scoping.related_themes).toBe(false);
      expect(json.split.map((p: { files: string[] }) => p.files)).toEqual(
        expect.arrayContaining([['src/parser/header.ts'], ['src/billing/invoice.ts']]),
      );
      const messages = json.split.map((p: { message: string }) => p.message.split('\n')[0]);
      expect(messages).toContain('fix(parser): handle empty text in parseHeader');
      expect(messages.find((m: string) => m.includes('billing'))).toMatch(/^feat\(billing\): /);
    } finally {
      other.cleanup();
    }
  });
});
