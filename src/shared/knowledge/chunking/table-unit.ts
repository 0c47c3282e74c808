import type { Block, Location } from '../extract/index.js';
import { rowText } from '../extract/index.js';
import type { CountTokens } from './chunk.types.js';
import { formatRange, parseRange } from './location.js';

/**
 * The location of each row of a table block, header first: a one-row range on its sheet, or
 * its line; other formats have no row positions and give the table's location.
 */
export function rowLocations(block: Block): Location[] {
  const table = block.table;
  if (!table) return [block.location];
  const refs = [table.headerRef, ...(table.rowRefs ?? table.rows.map(() => undefined))];
  const location = block.location;
  const cells = 'sheet' in location ? parseRange(location.range) : undefined;
  return refs.map((ref): Location => {
    if (ref === undefined) return location;
    if ('sheet' in location && cells) {
      return { sheet: location.sheet, range: formatRange({ ...cells, firstRow: ref, lastRow: ref }) };
    }
    if ('line' in location) return { line: ref };
    return location;
  });
}

export interface TablePart {
  text: string;
  /** The header's location and those of the rows in this part. */
  locations: Location[];
}

/**
 * Table-unit chunking: the whole table when it fits; otherwise parts split between rows, each
 * starting with the header row (and the heading path, when there is one). A row is never split:
 * one longer than the budget becomes a part of its own, over `size`. Part 1 of a sheet table
 * covers the header's row; later parts start at their first row (`A1:D20`, `A21:D40`).
 */
export function tableParts(
  block: Block,
  prefix: string,
  size: number,
  countTokens: CountTokens,
): TablePart[] {
  const table = block.table;
  if (!table) return [{ text: prefix + block.text, locations: [block.location] }];
  const header = rowText(table.header);
  const rows = table.rows.map(rowText);
  const locations = rowLocations(block);
  const headerLocation = locations[0] ?? block.location;
  const budget = Math.max(1, size - countTokens(prefix + header) - 1);

  const parts: number[][] = [];
  let current: number[] = [];
  let tokens = 0;
  rows.forEach((row, index) => {
    const rowTokens = countTokens(row) + 1;
    if (current.length > 0 && tokens + rowTokens > budget) {
      parts.push(current);
      current = [];
      tokens = 0;
    }
    current.push(index);
    tokens += rowTokens;
  });
  parts.push(current);

  return parts.map((part, index) => {
    const rowLocationsInPart = part.map((row) => locations[row + 1] ?? block.location);
    return {
      text: prefix + [header, ...part.map((row) => rows[row])].join('\n'),
      locations: index === 0 ? [headerLocation, ...rowLocationsInPart] : rowLocationsInPart,
    };
  });
}
