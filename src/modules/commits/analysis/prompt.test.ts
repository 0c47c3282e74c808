import { describe, expect, it } from 'vitest';
import { countTokens } from '../../../shared/llm/index.js';
import type { Change, ChangedFile } from '../capture/index.js';
import { buildPrompt } from './prompt.js';
import { scopeChange } from './scope-change.js';

/** A file added whole: every line an addition. */
function addedFile(path: string, text: string): ChangedFile {
  const lines = text.replace(/\n$/, '').split('\n');
  return {
    path,
    oldPath: null,
    status: 'added',
    binary: false,
    newText: text,
    encoding: 'utf8',
    sizeBytes: text.length,
    diff: {
      oldPath: null,
      newPath: path,
      path,
      status: 'added',
      similarity: null,
      binary: false,
      hunks: [{ oldStart: 0, newStart: 1, section: '', lines: lines.map((t) => ({ kind: 'add', text: t })) }],
      added: lines,
      removed: [],
    },
  };
}

function change(files: ChangedFile[]): Change {
  return {
    repo: { root: '/repo', head: null, branch: 'main', detached: false },
    source: 'diff-text',
    files,
    truncated: false,
    skipped: [],
  };
}

function module(n: number, functions: number): string {
  const out: string[] = [`import { helper${n} } from './helper-${n}.js';`, ''];
  for (let f = 0; f < functions; f++)
    out.push(
      `/** Computes part ${f} of area ${n}. */`,
      `export function compute${n}x${f}(input: number[]): number {`,
      '  let total = 0;',
      '  for (const value of input) {',
      `    if (value < ${f}) continue;`,
      `    total += helper${n}(value) * ${f + 1};`,
      '  }',
      '  return total;',
      '}',
      '',
    );
  return `${out.join('\n')}\n`;
}

describe('buildPrompt', () => {
  it('keeps a 50 000-line change within the budget and says what it left out', async () => {
    const added = Array.from({ length: 50 }, (_, n) => addedFile(`src/area${n}/compute.ts`, module(n, 100)));
    const scoping = await scopeChange(change(added));
    expect(scoping.stats.changedLines).toBeGreaterThanOrEqual(50_000);
    expect(scoping.elements.length).toBeGreaterThan(5000);

    const built = buildPrompt(scoping, { tokenBudget: 4000 });
    expect(built.totalTokens).toBeLessThanOrEqual(4000);
    expect(built.totalTokens).toBe(countTokens(built.prompt));
    expect(built.totalTokens).toBeGreaterThan(3000);
    const [elements, hunks, files] = built.sections;
    expect(elements).toMatchObject({ name: 'elements', truncated: true });
    expect(elements?.items).toBeGreaterThan(10);
    expect(elements?.omitted).toBe(scoping.elements.length - (elements?.items ?? 0));
    expect(hunks?.name).toBe('hunks');
    expect(files).toMatchObject({ name: 'files', truncated: true });
    expect(files?.items).toBeGreaterThan(0);
    expect(built.prompt).toMatch(
      /^Left out for the 4000-token budget: \d+ elements, \d+ hunks, \d+ files\.$/m,
    );
    expect(built.prompt).toContain('## Changed code elements');
    expect(built.prompt.indexOf('## Changed code elements')).toBeLessThan(built.prompt.indexOf('## Files'));
  });

  it('puts elements first, then the hunks they did not show, then the files', async () => {
    const text = 'export function alpha() {\n  return 1;\n}\nconsole.log(alpha());\n';
    const scoping = await scopeChange(
      change([addedFile('src/a.ts', text), addedFile('config/app.yml', 'port: 80\n')]),
    );
    const built = buildPrompt(scoping, { tokenBudget: 2000 });
    expect(built.sections.map((s) => [s.name, s.items, s.truncated])).toEqual([
      ['elements', 3, false],
      ['hunks', 0, false],
      ['files', 2, false],
    ]);
    expect(built.prompt).toContain('### src/a.ts — function alpha (added, +3 -0, exported)');
    expect(built.prompt).toContain('+  return 1;');
    expect(built.prompt).toContain('A config/app.yml (+1 -0)');
    expect(built.prompt).not.toContain('Left out');
  });

  it('shows hunks when elements are cut short, and uses the given counter', async () => {
    const body = Array.from({ length: 80 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const scoping = await scopeChange(
      change([addedFile('src/big.ts', `export function big() {\n${body}\n}\n`)]),
    );
    const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
    const built = buildPrompt(scoping, { tokenBudget: 1500, countTokens: words, maxLinesPerElement: 10 });
    expect(built.totalTokens).toBe(words(built.prompt));
    expect(built.prompt).toContain('… 72 more changed lines');
    expect(built.sections[1]?.items).toBe(1);
    expect(built.prompt).toContain('## Other changed hunks');
  });

  it('never goes over a tiny budget', async () => {
    const scoping = await scopeChange(change([addedFile('src/a.ts', module(1, 5))]));
    for (const budget of [0, 5, 20, 60, 200]) {
      const built = buildPrompt(scoping, { tokenBudget: budget });
      expect(built.totalTokens).toBeLessThanOrEqual(budget);
    }
  });
});
