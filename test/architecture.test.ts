import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(process.cwd(), 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(
    (m) => m[1] as string,
  );
  return specifiers.map((s) => relative(src, resolve(file, '..', s)).replace(/\.js$/, '.ts'));
}

/** 'kernel' | 'shared/<name>' | 'modules/<name>' | 'app' (src/server.ts, src/modules.ts, src/cli). */
function ownerOf(path: string): { layer: number; unit: string } {
  const [top, name] = path.split('/');
  if (top === 'kernel') return { layer: 0, unit: 'kernel' };
  if (top === 'shared') return { layer: 1, unit: `shared/${name}` };
  if (top === 'modules') return { layer: 2, unit: `modules/${name}` };
  return { layer: 3, unit: 'app' };
}

describe('architecture', () => {
  const files = sourceFiles(src).map((f) => ({ path: relative(src, f), imports: importsOf(f) }));

  it('points dependencies down: kernel ← shared ← modules ← app', () => {
    const violations = files.flatMap(({ path, imports }) =>
      imports
        .filter((target) => ownerOf(target).layer > ownerOf(path).layer)
        .map((target) => `${path} imports ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it('lets a module reach another module only through its index.ts', () => {
    const violations = files.flatMap(({ path, imports }) => {
      const from = ownerOf(path).unit;
      return imports
        .filter((target) => {
          const to = ownerOf(target).unit;
          return to !== from && to !== 'kernel' && to !== 'app' && !target.endsWith(`${to}/index.ts`);
        })
        .map((target) => `${path} imports ${target}`);
    });
    expect(violations).toEqual([]);
  });

  it('has no file that the walk missed', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.path === 'kernel/http/app.ts')).toBe(true);
  });
});
