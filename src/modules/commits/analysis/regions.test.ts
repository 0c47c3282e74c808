import { describe, expect, it } from 'vitest';
import { extractElements } from './elements.js';
import { loadLanguage, parseSource } from './grammars.js';
import { lineStarts } from './line-map.js';
import { regionsFor } from './regions.js';

function tsModule(): string[] {
  const lines = [
    "import { x } from './x.js';",
    '',
    '/** A store. */',
    'export class Store {',
    '  private items = new Map<string, number>();',
    '',
  ];
  for (let i = 0; i < 8; i++)
    lines.push(
      `  get${i}(key: string): number {`,
      `    const value = this.items.get(key) ?? ${i};`,
      '    return value;',
      '  }',
      '',
    );
  lines.push('}', '');
  for (let i = 0; i < 6; i++)
    lines.push(`export function helper${i}(a: number): number {`, `  return a * ${i};`, '}', '');
  return lines;
}

describe('regionsFor', () => {
  it('parses only the touched declarations, opening a large class to its changed members', async () => {
    const lines = tsModule();
    const method = lines.indexOf('  get3(key: string): number {') + 2; // a line inside get3
    const helper = lines.indexOf('export function helper4(a: number): number {') + 2;
    const regions = regionsFor(lines, [method, helper], 'typescript');
    expect(regions).not.toBeNull();
    const text = lines.join('\n');
    const covered = (regions ?? []).reduce((n, r) => n + r.end - r.start + 1, 0);
    expect(covered).toBeLessThan(lines.length / 3);

    const language = await loadLanguage('typescript');
    const tree = parseSource(language, text, { regions: regions ?? [], lineStarts: lineStarts(text) });
    expect(tree?.rootNode.hasError).toBe(false);
    tree?.delete();
    // The partial parse finds the same declarations, at the same lines, as a full one.
    const full = await extractElements('typescript', text);
    const find = (name: string) => full.find((e) => e.qualifiedName === name);
    expect(find('Store.get3')?.startLine).toBeLessThanOrEqual(method);
    expect(find('helper4')?.endLine).toBeGreaterThanOrEqual(helper);
  });

  it('keeps the decorators and comments of a Python function with it', () => {
    const lines = ['import os', ''];
    for (let i = 0; i < 10; i++)
      lines.push('', '# helper', '@cache', `def helper_${i}(a):`, `    return a * ${i}`);
    const target = lines.indexOf('def helper_5(a):') + 2;
    const regions = regionsFor(lines, [target], 'python');
    // The comment and decorator above, and the blank line below (up to the next declaration).
    expect(regions).toEqual([{ start: target - 3, end: target + 1 }]);
  });

  it('parses everything when the change covers most of the file, or the file is small', () => {
    const lines = tsModule();
    expect(
      regionsFor(
        lines,
        lines.map((_, i) => i + 1),
        'typescript',
      ),
    ).toBeNull();
    expect(regionsFor(['export const a = 1;'], [1], 'typescript')).toBeNull();
  });
});
