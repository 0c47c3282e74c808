import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../kernel/paths.js';
import { createTestRepo, type TestRepo } from '../capture/test-repo.js';
import { hookStatus, installHooks, uninstallHooks } from './install.js';
import { runHook } from './run.js';

const header = (guard: string) =>
  `export function parseHeader(text: string) {\n${guard}  const [name, value] = text.split(':');\n  return { name, value };\n}\n`;

let repo: TestRepo;
let said: string[];
const io = () => ({ cwd: repo.dir, env: {}, say: (line: string) => said.push(line) });
const keel = { node: process.execPath, bin: join(projectRoot, 'bin', 'keel.mjs') };

beforeEach(() => {
  said = [];
  repo = createTestRepo();
  repo.write('src/parser/header.ts', header(''));
  repo.commit('feat(parser): parse headers');
});
afterEach(() => repo.cleanup());

describe('keel hook install', () => {
  it('keeps a hook that was there and runs it first; uninstall puts it back', async () => {
    const hooks = join(repo.dir, '.git', 'hooks');
    writeFileSync(join(hooks, 'commit-msg'), '#!/bin/sh\necho husky >&2\n', { mode: 0o755 });
    const installed = await installHooks(repo.dir, keel);
    expect(installed.map((s) => [s.hook, s.installed, s.chained])).toEqual([
      ['prepare-commit-msg', true, false],
      ['commit-msg', true, true],
      ['post-commit', true, false],
    ]);
    expect(readFileSync(join(hooks, 'commit-msg.pre-keel'), 'utf8')).toContain('husky');
    // Installing again changes nothing (the chained hook is not chained twice).
    await installHooks(repo.dir, keel);
    expect((await hookStatus(repo.dir)).every((s) => s.installed)).toBe(true);
    await uninstallHooks(repo.dir);
    expect(readFileSync(join(hooks, 'commit-msg'), 'utf8')).toBe('#!/bin/sh\necho husky >&2\n');
    expect(existsSync(join(hooks, 'prepare-commit-msg'))).toBe(false);
  });

  it('follows core.hooksPath (husky)', async () => {
    repo.git('config', 'core.hooksPath', '.husky/_');
    const installed = await installHooks(repo.dir, keel);
    expect(installed[0]?.path).toBe(join(repo.dir, '.husky', '_', 'prepare-commit-msg'));
  });
});

describe('the hooks', () => {
  it('prepare-commit-msg drafts the staged change above git’s comments, and leaves a given message alone', async () => {
    repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
    repo.git('add', '-A');
    const file = join(repo.dir, '.git', 'COMMIT_EDITMSG');
    writeFileSync(file, '\n# Please enter the commit message for your changes.\n');
    expect(await runHook('prepare-commit-msg', [file], io())).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(
      /^fix\(parser\): handle empty text in parseHeader\n\n\n# Please enter the commit message/,
    );
    writeFileSync(file, 'my own words\n');
    expect(await runHook('prepare-commit-msg', [file, 'message'], io())).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('my own words\n');
  });

  it('prepare-commit-msg never stops a commit: nothing staged leaves the file and says why', async () => {
    const file = join(repo.dir, '.git', 'COMMIT_EDITMSG');
    writeFileSync(file, '# comment\n');
    expect(await runHook('prepare-commit-msg', [file], io())).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('# comment\n');
    expect(said[0]).toMatch(/^keel: no draft \(.*nothing/i);
  });

  it('commit-msg stops a message that breaks a block rule and lets a good one through', async () => {
    repo.write(
      '.commitlintrc.json',
      JSON.stringify({
        rules: { 'type-enum': [2, 'always', ['feat', 'fix']], 'subject-full-stop': [2, 'never', '.'] },
      }),
    );
    const file = join(repo.dir, '.git', 'COMMIT_EDITMSG');
    writeFileSync(file, 'wip: things\n');
    expect(await runHook('commit-msg', [file], io())).toBe(1);
    expect(said.join('\n')).toContain('type-enum');
    said = [];
    writeFileSync(file, 'fix: handle it\n');
    expect(await runHook('commit-msg', [file], io())).toBe(0);
    expect(said).toEqual([]);
  });

  it('runs in a real `git commit` through the installed hook', { timeout: 120_000 }, async () => {
    await installHooks(repo.dir, keel);
    repo.write('src/parser/header.ts', header('  if (!text) return null;\n'));
    execFileSync('git', ['commit', '-a'], {
      cwd: repo.dir,
      env: {
        ...process.env,
        GIT_EDITOR: 'true',
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@t',
      },
      stdio: 'pipe',
    });
    expect(repo.git('log', '-1', '--format=%s')).toBe('fix(parser): handle empty text in parseHeader');
  });
});
