import { describe, expect, it } from 'vitest';
import { mergeLocations, parseRange } from './location.js';

describe('mergeLocations', () => {
  it('spans pages and slides from first to last', () => {
    expect(mergeLocations([{ page: 3 }, { page: 3 }])).toEqual({ page: 3 });
    expect(mergeLocations([{ page: 3 }, { page: 5 }, { page: 4 }])).toEqual({ page: 3, pages: [3, 5] });
    expect(
      mergeLocations([
        { slide: 2, part: 'body' },
        { slide: 3, part: 'notes' },
      ]),
    ).toEqual({ slide: 2, part: 'body', slides: [2, 3] });
  });

  it('unions ranges on the first sheet', () => {
    expect(
      mergeLocations([
        { sheet: 'S', range: 'B5:D5' },
        { sheet: 'S', range: 'A7:C9' },
        { sheet: 'Other', range: 'A1:Z99' },
      ]),
    ).toEqual({ sheet: 'S', range: 'A5:D9' });
  });

  it('keeps the first line and the image marker', () => {
    expect(mergeLocations([{ line: 9 }, { line: 4 }])).toEqual({ line: 4 });
    expect(mergeLocations([{ image: true }])).toEqual({ image: true });
  });

  it('parses A1 ranges and single cells', () => {
    expect(parseRange('AA10:AB20')).toEqual({ firstColumn: 27, firstRow: 10, lastColumn: 28, lastRow: 20 });
    expect(parseRange('C3')).toEqual({ firstColumn: 3, firstRow: 3, lastColumn: 3, lastRow: 3 });
    expect(parseRange('nope')).toBeUndefined();
  });
});
