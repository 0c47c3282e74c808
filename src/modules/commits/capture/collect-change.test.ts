import { symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaptureError } from './capture.errors.js';
import type { Change } from './capture.types.js';
import { collectChange } from './collect-change.js';
import { createTestRepo, type TestRepo } from './test-repo.js';

const repos: TestRepo[] = [];
function repo(): TestRepo {
  const r = createTestRepo();
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

const file = (change: Change, path: string) => change.files.find((f) => f.path === path);

async function captureError(promise: Promise<unknown>): Promise<CaptureError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CaptureError);
  return error as CaptureError;
}

describe('collectChange from git', () => {
  it('captures the working tree: edits, deletions and untracked files, with full contents', async () => {
    const r = repo();
    r.write('src/parser.ts', 'export function parse(text: string) {\n  return text.trim();\n}\n');
    r.write('src/old.ts', 'export const old = 1;\n');
    const head = r.commit('init');
    r.write(
      'src/parser.ts',
      'export function parse(text: string) {\n  if (!text) return null;\n  return text.trim();\n}\n',
    );
    r.git('rm', '-q', 'src/old.ts');
    r.write('src/new.ts', 'export const fresh = 2;\n');

    const change = await collectChange(r.dir, { kind: 'working-tree' });
    expect(change.repo).toMatchObject({ head, branch: 'main', detached: false });
    expect(change.truncated).toBe(false);
    expect(change.files.map((f) => [f.path, f.status]).sort()).toEqual([
      ['src/new.ts', 'added'],
      ['src/old.ts', 'deleted'],
      ['src/parser.ts', 'modified'],
    ]);
    const parser = file(change, 'src/parser.ts');
    expect(parser?.diff.added).toEqual(['  if (!text) return null;']);
    expect(parser?.oldText).toContain('return text.trim()');
    expect(parser?.newText).toContain('if (!text) return null;');
    expect(parser).toMatchObject({ encoding: 'utf8', binary: false, oldPath: 'src/parser.ts' });
    expect(file(change, 'src/new.ts')).toMatchObject({ oldPath: null, newText: 'export const fresh = 2;\n' });
    expect(file(change, 'src/new.ts')?.diff.hunks[0]?.lines).toEqual([
      { kind: 'add', text: 'export const fresh = 2;' },
    ]);
    expect(file(change, 'src/old.ts')?.oldText).toBe('export const old = 1;\n');
    expect(file(change, 'src/old.ts')?.newText).toBeUndefined();
  });

  it('captures only what is staged, and a commit range', async () => {
    const r = repo();
    r.write('a.py', 'x = 1\n');
    const first = r.commit('one');
    r.write('a.py', 'x = 2\n');
    const second = r.commit('two');
    r.write('a.py', 'x = 3\n');
    r.write('b.py', 'y = 1\n');
    r.git('add', 'b.py');

    const staged = await collectChange(r.dir, { kind: 'staged' });
    expect(staged.files.map((f) => f.path)).toEqual(['b.py']);
    const range = await collectChange(r.dir, { kind: 'range', from: first, to: 'HEAD' });
    expect(range.files).toHaveLength(1);
    expect(range.files[0]).toMatchObject({ oldText: 'x = 1\n', newText: 'x = 2\n' });
    expect(range.repo.head).toBe(second);
  });

  it('refuses a directory outside git, an unknown revision and an empty change, saying why', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'keel-plain-'));
    try {
      const error = await captureError(collectChange(outside, { kind: 'working-tree' }));
      expect(error.code).toBe('not_a_repo');
      expect(error.message).toMatch(/not inside a git/);
      expect(error.toKeelError().code).toBe('bad_request');
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
    const r = repo();
    r.write('a.txt', 'a\n');
    const head = r.commit('init');
    expect((await captureError(collectChange(r.dir, { kind: 'working-tree' }))).code).toBe('empty');
    expect((await captureError(collectChange(r.dir, { kind: 'staged' }))).message).toMatch(
      /Nothing is staged/,
    );
    expect((await captureError(collectChange(r.dir, { kind: 'range', from: head, to: head }))).code).toBe(
      'empty',
    );
    const bad = await captureError(collectChange(r.dir, { kind: 'range', from: 'nope', to: head }));
    expect(bad.code).toBe('bad_revision');
    expect(
      (await captureError(collectChange(r.dir, { kind: 'range', from: '--output=x', to: head }))).code,
    ).toBe('bad_revision');
  });

  it('works on a detached HEAD and flags it', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    const head = r.commit('one');
    r.git('checkout', '-q', '--detach');
    r.write('a.txt', 'b\n');
    const change = await collectChange(r.dir, { kind: 'working-tree' });
    expect(change.repo).toMatchObject({ head, branch: null, detached: true });
    expect(change.files).toHaveLength(1);
  });

  it('captures a branch with no commit yet', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.git('add', 'a.txt');
    r.write('b.txt', 'b\n');
    const change = await collectChange(r.dir, { kind: 'staged' });
    expect(change.repo).toMatchObject({ head: null, branch: 'main', detached: false });
    expect(change.files).toHaveLength(1);
    expect(change.files[0]).toMatchObject({ path: 'a.txt', status: 'added', newText: 'a\n' });
    const tree = await collectChange(r.dir, { kind: 'working-tree' });
    expect(tree.files.map((f) => [f.path, f.status])).toEqual([
      ['a.txt', 'added'],
      ['b.txt', 'added'],
    ]);
  });

  it('refuses while a merge is in progress', async () => {
    const r = repo();
    r.write('a.txt', 'base\n');
    r.commit('base');
    r.git('checkout', '-q', '-b', 'other');
    r.write('a.txt', 'other\n');
    r.commit('other');
    r.git('checkout', '-q', 'main');
    r.write('a.txt', 'main\n');
    r.commit('main');
    expect(() => r.git('merge', 'other')).toThrow();
    const error = await captureError(collectChange(r.dir, { kind: 'working-tree' }));
    expect(error.code).toBe('merge_in_progress');
    expect(error.message).toMatch(/a merge is in progress; finish or abort it first/i);
    // History stays readable: a range is not affected by the work tree's state.
    const range = await collectChange(r.dir, { kind: 'range', from: 'HEAD~1', to: 'HEAD' });
    expect(range.files).toHaveLength(1);
  });

  it('flags binary files and keeps no text for them', async () => {
    const r = repo();
    r.write('data.dat', Buffer.from([0, 1, 2, 3, 0, 255]));
    r.commit('bin');
    r.write('data.dat', Buffer.from([0, 1, 2, 4, 0, 254, 9]));
    const change = await collectChange(r.dir, { kind: 'working-tree' });
    expect(change.files).toHaveLength(1);
    expect(change.files[0]).toMatchObject({ binary: true, encoding: 'binary' });
    expect([change.files[0]?.oldText, change.files[0]?.newText]).toEqual([undefined, undefined]);
    expect(change.files[0]?.diff.hunks).toEqual([]);
    expect(change.files[0]?.sizeBytes).toBe(7);
  });

  it('skips a 50 MB diff past the per-file cap, and stops at the total cap', async () => {
    const r = repo();
    r.write('big.txt', 'small\n');
    r.write('keep.ts', 'export const a = 1;\n');
    r.commit('init');
    const line = 'const value = computeSomething(alpha, beta, gamma); // filler to make it big\n';
    r.write('big.txt', line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
    r.write('keep.ts', 'export const a = 2;\n');
    const before = process.memoryUsage().rss;
    const change = await collectChange(r.dir, { kind: 'working-tree' });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(change.truncated).toBe(true);
    expect(change.files.map((f) => f.path)).toEqual(['keep.ts']);
    expect(change.skipped).toEqual([
      expect.objectContaining({
        path: 'big.txt',
        reason: expect.stringMatching(/^too large: a diff of \d+\.\d MiB/),
      }),
    ]);

    const capped = await collectChange(
      r.dir,
      { kind: 'working-tree' },
      { maxTotalDiffBytes: 100, maxFileDiffBytes: 80 * 1024 * 1024 },
    );
    expect(capped.truncated).toBe(true);
    expect(capped.files).toEqual([]);
    expect(capped.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/total diff cap/),
      expect.stringMatching(/total diff cap/),
    ]);
  });

  it('reads files that are not UTF-8 as Latin-1 and says so', async () => {
    const r = repo();
    r.write('legacy.c', Buffer.from('/* caf\xe9 */\nint a = 1;\n', 'latin1'));
    r.commit('init');
    r.write('legacy.c', Buffer.from('/* caf\xe9 cr\xe8me */\nint a = 2;\n', 'latin1'));
    const change = await collectChange(r.dir, { kind: 'working-tree' });
    const legacy = change.files[0];
    expect(legacy?.encoding).toBe('latin1');
    expect(legacy?.newText).toBe('/* café crème */\nint a = 2;\n');
    expect(legacy?.diff.added).toContain('/* café crème */');
    expect(legacy?.newText).not.toContain('\uFFFD');
  });

  it('sees a file deleted and added again as a modification', async () => {
    const r = repo();
    r.write('a.ts', 'export const one = 1;\nexport const two = 2;\n');
    const first = r.commit('one');
    r.git('rm', '-q', 'a.ts');
    const second = r.commit('delete');
    r.write('a.ts', 'export const one = 1;\nexport const three = 3;\n');
    const third = r.commit('re-add');

    const across = await collectChange(r.dir, { kind: 'range', from: first, to: third });
    expect(across.files[0]).toMatchObject({ status: 'modified', oldPath: 'a.ts' });
    expect(across.files[0]?.diff.removed).toEqual(['export const two = 2;']);
    const readded = await collectChange(r.dir, { kind: 'range', from: second, to: third });
    expect(readded.files[0]).toMatchObject({ status: 'added', oldPath: null });

    // In the work tree: removed from the index, then written again (untracked).
    r.git('rm', '-q', '--cached', 'a.ts');
    r.write('a.ts', 'export const one = 1;\nexport const four = 4;\n');
    const tree = await collectChange(r.dir, { kind: 'working-tree' });
    expect(tree.files).toHaveLength(1);
    expect(tree.files[0]).toMatchObject({ path: 'a.ts', status: 'modified' });
    expect(tree.files[0]?.diff.added).toEqual(['export const four = 4;']);
    expect(tree.files[0]?.diff.removed).toEqual(['export const three = 3;']);
    expect(tree.files[0]?.oldText).toContain('three');
    expect(tree.files[0]?.newText).toContain('four');
  });

  it('follows a rename with edits', async () => {
    const r = repo();
    const body = Array.from({ length: 20 }, (_, i) => `export const value${i} = ${i};`).join('\n');
    r.write('src/util.ts', `${body}\n`);
    r.commit('init');
    r.git('mv', 'src/util.ts', 'src/helpers.ts');
    r.write('src/helpers.ts', `${body.replace('value3 = 3', 'value3 = 33')}\n`);
    r.git('add', '-A');
    const change = await collectChange(r.dir, { kind: 'staged' });
    expect(change.files).toHaveLength(1);
    expect(change.files[0]).toMatchObject({
      path: 'src/helpers.ts',
      oldPath: 'src/util.ts',
      status: 'renamed',
    });
    expect(change.files[0]?.diff.added).toEqual(['export const value3 = 33;']);
    expect(change.files[0]?.oldText).toContain('value3 = 3;');
  });

  it('reports a submodule change with its old and new commits', async () => {
    const r = repo();
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    r.git('update-index', '--add', '--cacheinfo', `160000,${a},lib/dep`);
    r.git('commit', '-q', '-m', 'add submodule');
    const first = r.git('rev-parse', 'HEAD');
    r.git('update-index', '--cacheinfo', `160000,${b},lib/dep`);
    r.git('commit', '-q', '-m', 'bump submodule');
    const change = await collectChange(r.dir, { kind: 'range', from: first, to: 'HEAD' });
    expect(change.files).toHaveLength(1);
    expect(change.files[0]).toMatchObject({
      path: 'lib/dep',
      status: 'modified',
      submodule: { oldSha: a, newSha: b },
      binary: false,
    });
    expect(change.files[0]?.oldText).toBeUndefined();
  });

  it('reports a file that became a symlink as a type change', async () => {
    const r = repo();
    r.write('target.txt', 'x\n');
    r.write('link', 'plain\n');
    r.commit('init');
    await rm(join(r.dir, 'link'));
    symlinkSync('target.txt', join(r.dir, 'link'));
    const change = await collectChange(r.dir, { kind: 'working-tree' });
    expect(change.files[0]).toMatchObject({ path: 'link', status: 'type-changed' });
    expect(change.files[0]?.newText).toBeUndefined();
    expect(change.files[0]?.diff.removed).toEqual(['plain']);
  });

  it('moves ignored files to skipped: defaults, .keelignore, the caller, .gitattributes', async () => {
    const r = repo();
    r.write('README.md', 'x\n');
    r.commit('init');
    r.write('package-lock.json', '{}\n');
    r.write('web/dist/app.js', 'x\n');
    r.write('web/app.min.js', 'x\n');
    r.write('logo.png', Buffer.from([137, 80, 78, 71, 0]));
    r.write('gen/api.ts', 'x\n');
    r.write('gen/keep.ts', 'x\n');
    r.write('fixtures/data.json', '{}\n');
    r.write('schema.sql', 'select 1;\n');
    r.write('proto/out.ts', 'x\n');
    r.write('.gitattributes', 'proto/** linguist-generated\n');
    r.write('.keelignore', '# generated clients\ngen/\n!gen/keep.ts\nfixtures/*.json\n');
    r.write('src/main.ts', 'export {};\n');
    const change = await collectChange(r.dir, { kind: 'working-tree' }, { ignore: ['*.sql'] });
    const reasons = Object.fromEntries(change.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({
      'package-lock.json': 'ignored: package-lock.json',
      'web/dist/app.js': 'ignored: dist/',
      'web/app.min.js': 'ignored: *.min.js',
      'logo.png': 'ignored: *.png',
      // A file under an ignored folder stays ignored, as in git.
      'gen/api.ts': 'ignored: gen/',
      'gen/keep.ts': 'ignored: gen/',
      'fixtures/data.json': 'ignored: fixtures/*.json',
      'schema.sql': 'ignored: *.sql',
      'proto/out.ts': 'ignored: linguist-generated (.gitattributes)',
    });
    expect(change.files.map((f) => f.path).sort()).toEqual(['.gitattributes', '.keelignore', 'src/main.ts']);
    const all = await collectChange(
      r.dir,
      { kind: 'working-tree' },
      { defaultIgnore: false, keelignore: false },
    );
    expect(all.files.map((f) => f.path)).toContain('package-lock.json');
  });

  it('ignores GIT_DIR and GIT_INDEX_FILE set in the environment', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.commit('init');
    r.write('a.txt', 'b\n');
    const saved = { dir: process.env.GIT_DIR, index: process.env.GIT_INDEX_FILE };
    process.env.GIT_DIR = '/nonexistent/.git';
    process.env.GIT_INDEX_FILE = '/nonexistent/index';
    try {
      const change = await collectChange(r.dir, { kind: 'working-tree' });
      expect(change.files.map((f) => f.path)).toEqual(['a.txt']);
    } finally {
      if (saved.dir === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved.dir;
      if (saved.index === undefined) delete process.env.GIT_INDEX_FILE;
      else process.env.GIT_INDEX_FILE = saved.index;
    }
  });
});

describe('collectChange from diff text', () => {
  it('reads git patch text and, inside the repository, the files it names', async () => {
    const r = repo();
    r.write('src/a.ts', 'export const a = 1;\n');
    r.write('src/b.ts', 'export const b = 1;\n');
    r.commit('init');
    r.write('src/a.ts', 'export const a = 2;\n');
    r.git('mv', 'src/b.ts', 'src/c.ts');
    r.git('add', '-A');
    r.commit('change');
    const text = r.git('show', '-M', '--format=commit %H%n%n    a message', 'HEAD');
    const change = await collectChange(r.dir, { kind: 'diff-text', text });
    expect(change.source).toBe('diff-text');
    expect(change.files.map((f) => [f.path, f.status])).toEqual([
      ['src/a.ts', 'modified'],
      ['src/c.ts', 'renamed'],
    ]);
    expect(change.files[0]).toMatchObject({
      oldText: 'export const a = 1;\n',
      newText: 'export const a = 2;\n',
    });
  });

  it('needs no repository, reads plain `diff -u` output, and skips ignored files', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'keel-plain-'));
    try {
      const text = [
        '--- a/lib/x.py\t2024-01-01',
        '+++ b/lib/x.py\t2024-01-02',
        '@@ -1,2 +1,2 @@',
        ' def f():',
        '-    return 1',
        '+    return 2',
        '--- a/yarn.lock',
        '+++ b/yarn.lock',
        '@@ -1 +1 @@',
        '-a',
        '+b',
        '',
      ].join('\n');
      const change = await collectChange(outside, { kind: 'diff-text', text });
      expect(change.repo).toMatchObject({ head: null, branch: null });
      expect(change.files).toHaveLength(1);
      expect(change.files[0]).toMatchObject({ path: 'lib/x.py', status: 'modified' });
      expect(change.files[0]?.newText).toBeUndefined();
      expect(change.files[0]?.diff.added).toEqual(['    return 2']);
      expect(change.skipped).toEqual([
        expect.objectContaining({ path: 'yarn.lock', reason: 'ignored: yarn.lock' }),
      ]);
      expect((await captureError(collectChange(outside, { kind: 'diff-text', text: 'hello' }))).code).toBe(
        'empty',
      );
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('paths git quotes', () => {
  it('keeps paths with spaces, quotes and non-ASCII letters', async () => {
    const r = repo();
    r.write('dir with space/naïve "q".ts', 'export const a = 1;\n');
    r.commit('init');
    writeFileSync(join(r.dir, 'dir with space/naïve "q".ts'), 'export const a = 2;\n');
    const change = await collectChange(r.dir, { kind: 'working-tree' });
    expect(change.files.map((f) => f.path)).toEqual(['dir with space/naïve "q".ts']);
    expect(change.files[0]?.diff.added).toEqual(['export const a = 2;']);
  });
});
