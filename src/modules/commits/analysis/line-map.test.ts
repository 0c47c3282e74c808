import { describe, expect, it } from 'vitest';
import { mapLines } from './line-map.js';

describe('mapLines', () => {
  it('numbers changed lines on their side and maps unchanged lines back', () => {
    const map = mapLines([
      {
        oldStart: 10,
        newStart: 10,
        section: '',
        lines: [
          { kind: 'context', text: 'a' },
          { kind: 'del', text: 'b' },
          { kind: 'del', text: 'c' },
          { kind: 'add', text: 'B' },
          { kind: 'context', text: 'd' },
          { kind: 'add', text: 'e' },
          { kind: 'context', text: 'f' },
        ],
      },
    ]);
    expect(map.changes.map((c) => `${c.kind}${c.line}`)).toEqual(['del11', 'del12', 'add11', 'add13']);
    expect(map.runs).toEqual([
      { newStart: 11, newCount: 1, oldStart: 11, oldCount: 2 },
      { newStart: 13, newCount: 1, oldStart: 14, oldCount: 0 },
    ]);
    expect(map.oldLineOf(5)).toBe(5);
    expect(map.oldLineOf(11)).toBeNull();
    expect(map.oldLineOf(12)).toBe(13); // d
    expect(map.oldLineOf(14)).toBe(14); // f
    expect(map.oldLineOf(40)).toBe(40);
  });

  it('reads hunks without context (`-U0`), where an empty side names the line before', () => {
    const map = mapLines([
      { oldStart: 3, newStart: 4, section: '', lines: [{ kind: 'add', text: 'x' }] },
      { oldStart: 8, newStart: 8, section: '', lines: [{ kind: 'del', text: 'y' }] },
    ]);
    expect(map.runs).toEqual([
      { newStart: 4, newCount: 1, oldStart: 4, oldCount: 0 },
      { newStart: 9, newCount: 0, oldStart: 8, oldCount: 1 },
    ]);
    expect(map.dels[0]?.line).toBe(8);
  });
});
