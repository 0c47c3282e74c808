import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractDiff, parseDiff } from './diff.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseDiff', () => {
  it('reads files, statuses, hunks and lines of a git diff', () => {
    const files = parseDiff(fixture('synthetic/lockout-feature.diff'));
    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file?.path).toBe('src/shared/identity/passwords/passwords.service.ts');
    expect(file?.status).toBe('modified');
    expect(file?.hunks[0]?.section).toBe('');
    expect(file?.added).toContain(
      'export async function lockout(db: Database, username: string): Promise<boolean> {',
    );
    expect(file?.removed).toEqual(['      return row !== null && (await check(row.hash, password));']);
  });

  it('knows added files, renames without content and the hunk header section', () => {
    expect(parseDiff(fixture('synthetic/new-module.diff'))[0]).toMatchObject({
      oldPath: null,
      path: 'src/kernel/db/pool-stats.ts',
      status: 'added',
    });
    const [moved, server] = parseDiff(fixture('synthetic/move-file.diff'));
    expect(moved).toMatchObject({
      oldPath: 'src/paths.ts',
      newPath: 'src/kernel/paths.ts',
      status: 'renamed',
    });
    expect(moved?.similarity).toBe(100);
    expect(moved?.hunks).toEqual([]);
    expect(server?.hunks[0]?.lines.filter((l) => l.kind !== 'context')).toHaveLength(2);
    expect(parseDiff(fixture('history/df81ff8.diff'))[0]?.hunks[0]?.section).toBe(
      'export function createCatalogStore(options: CatalogStoreOptions): CatalogStore {',
    );
  });

  it('reads a plain diff -u and keeps removed lines that start with dashes', () => {
    const text = [
      '--- a/schema.sql\t2024-01-01',
      '+++ b/schema.sql\t2024-01-02',
      '@@ -1,2 +1,2 @@',
      '--- users table',
      '+-- the users table',
      ' create table users (id int);',
    ].join('\n');
    const [file] = parseDiff(text);
    expect(file?.path).toBe('schema.sql');
    expect(file?.removed).toEqual(['-- users table']);
    expect(file?.added).toEqual(['-- the users table']);
  });

  it('reads every file of a large real diff', () => {
    const files = parseDiff(fixture('history/7740f69.diff'));
    expect(files.map((f) => f.path)).toEqual([
      'src/kernel/db/advisory-lock.ts',
      'src/kernel/db/index.ts',
      'src/kernel/db/migrate.ts',
      'src/kernel/jobs/jobs.queue.ts',
      'src/kernel/leader/leader.ts',
    ]);
    expect(files.reduce((n, f) => n + f.added.length, 0)).toBe(67);
    expect(files.reduce((n, f) => n + f.removed.length, 0)).toBe(53);
  });
});

describe('extractDiff', () => {
  it('finds a fenced diff inside a message', () => {
    const diff = fixture('synthetic/ci-workflow.diff');
    const message = `Write a commit message for this change:\n\n\`\`\`diff\n${diff}\`\`\`\nThanks!`;
    expect(extractDiff(message)?.trim()).toBe(diff.trim());
  });

  it('returns null for prose', () => {
    expect(extractDiff('What is the CPU usage of api-gateway?')).toBeNull();
    expect(extractDiff('--- a heading\nand text')).toBeNull();
  });
});
