import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../capture/test-repo.js';
import { runCommitFlow } from './commit-flow.js';

const header = (guard: string) =>
  `export function parseHeader(text: string) {\n${guard}  const [name, value] = text.split(':');\n  return { name, value };\n}\n`;

let repo: TestRepo;
beforeEach(() => {
  repo = createTestRepo();
  repo.git('config', 'user.name', 'Dev');
  repo.git('config', 'user.email', 'dev@example.com');
  repo.write('src/parser/header.ts', header(''));
  repo.commit('feat(parser): parse headers');
  repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
  repo.git('add', '-A');
});
afterEach(() => repo.cleanup());

function session(answers: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  input.end(`${answers.join('\n')}\n`);
  return { input, output, printed: () => printed };
}

describe('keel commit', () => {
  it('shows the drafts, lets the user edit one, and commits it on approval', async () => {
    const s = session(['2', '1', 'e', 'a']);
    const result = await runCommitFlow({
      repoDir: repo.dir,
      input: s.input,
      output: s.output,
      edit: async (message) => message.replace('handle empty text', 'reject an empty header'),
    });
    expect(result.message).toBe('fix(parser): reject an empty header in parseHeader');
    expect(repo.git('log', '-1', '--format=%s')).toBe('fix(parser): reject an empty header in parseHeader');
    expect(result.sha).toBe(repo.git('rev-parse', 'HEAD'));
    expect(s.printed()).toContain('> 1. fix(parser): handle empty text in parseHeader');
  });

  it('commits nothing when the user quits or the input ends', async () => {
    for (const answers of [['q'], []]) {
      const s = session(answers);
      const result = await runCommitFlow({
        repoDir: repo.dir,
        input: s.input,
        output: s.output,
        edit: async (m) => m,
      });
      expect(result).toEqual({ sha: null, message: null });
    }
    expect(repo.git('log', '-1', '--format=%s')).toBe('feat(parser): parse headers');
  });
});
