import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFile, declarationOf, fileKind } from './commit-analysis.js';
import { parseDiff } from './diff.js';

const facts = (name: string) =>
  parseDiff(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).map(analyzeFile);

describe('fileKind', () => {
  it.each([
    ['src/shared/identity/passwords/passwords.service.ts', 'source'],
    ['src/kernel/http/app.test.ts', 'test'],
    ['test/support/db.ts', 'test'],
    ['bench/failover.bench.ts', 'test'],
    ['docs/identity.md', 'docs'],
    ['src/shared/identity/README.md', 'docs'],
    ['.github/workflows/ci.yml', 'ci'],
    ['.ci/run', 'ci'],
    ['Dockerfile', 'build'],
    ['tsconfig.build.json', 'build'],
    ['bin/bundle.mjs', 'build'],
    ['biome.json', 'config'],
    ['package.json', 'manifest'],
    ['package-lock.json', 'lockfile'],
    ['go.sum', 'lockfile'],
    ['requirements-dev.txt', 'manifest'],
  ])('%s is %s', (path, kind) => {
    expect(fileKind(path)).toBe(kind);
  });
});

describe('declarationOf', () => {
  it.each([
    [
      'export async function lockout(db: Database) {',
      'js',
      { name: 'lockout', kind: 'function', exported: true },
    ],
    [
      'export const poolStats = (pool: Pool) => ({})',
      'js',
      { name: 'poolStats', kind: 'function', exported: true },
    ],
    ['export interface PoolStats {', 'js', { name: 'PoolStats', kind: 'type', exported: true }],
    [
      '  function unionOf(byRole: Map<string, Set<string>>): Set<string> {',
      'js',
      { name: 'unionOf', kind: 'function', exported: false },
    ],
    ['    async sync(actions) {', 'js', { name: 'sync', kind: 'method', exported: false }],
    ['def rotate(path, keep=5):', 'py', { name: 'rotate', kind: 'function', exported: true }],
    ['def _helper():', 'py', { name: '_helper', kind: 'function', exported: false }],
    [
      'func (s *Server) Start(ctx context.Context) error {',
      'go',
      { name: 'Start', kind: 'function', exported: true },
    ],
    [
      'pub fn parse(input: &str) -> Result<Ast> {',
      'rust',
      { name: 'parse', kind: 'function', exported: true },
    ],
  ] as const)('%s', (line, lang, declaration) => {
    expect(declarationOf(line, lang)).toEqual(declaration);
  });

  it('does not take control flow for methods', () => {
    expect(declarationOf('    if (ready) {', 'js')).toBeNull();
    expect(declarationOf('    } catch (error) {', 'js')).toBeNull();
    expect(declarationOf('    for (const x of xs) {', 'js')).toBeNull();
  });
});

describe('analyzeFile', () => {
  it('finds added exports and the declarations whose bodies changed', () => {
    const [file] = facts('synthetic/lockout-feature.diff');
    expect(file?.addedDeclarations.map((d) => d.name)).toEqual(['MAX_FAILED_ATTEMPTS', 'lockout']);
    expect(file?.changedDeclarations).toEqual(['verify']);
    expect(file?.exportsWithdrawn).toEqual([]);
  });

  it('sees comment-only, formatting-only and import-only changes', () => {
    expect(facts('history/d0a02f4.diff')[0]).toMatchObject({
      commentOnly: true,
      changedDeclarations: ['nodes'],
    });
    expect(facts('synthetic/formatting.diff')[0]?.formattingOnly).toBe(true);
    expect(facts('synthetic/move-file.diff')[1]?.importsOnly).toBe(true);
  });

  it('counts removed duplicates and reads dependency changes', () => {
    expect(facts('history/4538886.diff').map((f) => f.duplicateRemovals)).toEqual([16, 11]);
    expect(facts('synthetic/deps-bump.diff')[1]?.dependencies).toEqual([
      { name: 'zod', from: '4.6.6', to: '4.6.7', dev: false },
    ]);
    expect(facts('synthetic/dev-deps-bump.diff')[0]?.dependencies).toEqual([
      { name: 'vitest', from: '4.1.11', to: '4.1.12', dev: true },
    ]);
  });

  it('lists added test titles', () => {
    expect(facts('history/0477f93.diff')[0]?.addedTests).toHaveLength(1);
  });
});
