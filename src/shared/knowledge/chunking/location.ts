import type { Location } from '../extract/index.js';
import type { ChunkLocation } from './chunk.types.js';

interface Cells {
  firstColumn: number;
  firstRow: number;
  lastColumn: number;
  lastRow: number;
}

/** `B3:D40` (or a single cell, `B3`) as column and row numbers. */
export function parseRange(range: string): Cells | undefined {
  const match = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(range);
  if (!match?.[1] || !match[2]) return undefined;
  const firstColumn = columnNumber(match[1]);
  const firstRow = Number(match[2]);
  return {
    firstColumn,
    firstRow,
    lastColumn: match[3] ? columnNumber(match[3]) : firstColumn,
    lastRow: match[4] ? Number(match[4]) : firstRow,
  };
}

export function formatRange(cells: Cells): string {
  return `${columnName(cells.firstColumn)}${cells.firstRow}:${columnName(cells.lastColumn)}${cells.lastRow}`;
}

function columnNumber(name: string): number {
  let number = 0;
  for (const char of name) number = number * 26 + (char.charCodeAt(0) - 64);
  return number;
}

function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/**
 * One location for a chunk made of several blocks (or rows): the first page or slide with the
 * span when it covers more than one, the union of ranges on the first block's sheet, the first
 * line. Locations of another kind than the first (which one document never mixes) are ignored.
 */
export function mergeLocations(locations: readonly Location[]): ChunkLocation {
  const [first] = locations;
  if (!first) throw new Error('mergeLocations needs at least one location');
  if ('page' in first) {
    const pages = locations.flatMap((location) => ('page' in location ? [location.page] : []));
    return span(Math.min(...pages), Math.max(...pages), (page, pages) =>
      pages ? { page, pages } : { page },
    );
  }
  if ('slide' in first) {
    const slides = locations.flatMap((location) => ('slide' in location ? [location.slide] : []));
    return span(Math.min(...slides), Math.max(...slides), (slide, slides) =>
      slides ? { slide, part: first.part, slides } : { slide, part: first.part },
    );
  }
  if ('sheet' in first) {
    const boxes = locations.flatMap((location) =>
      'sheet' in location && location.sheet === first.sheet ? [parseRange(location.range)] : [],
    );
    if (boxes.some((box) => box === undefined)) return { sheet: first.sheet, range: first.range };
    const cells = boxes as Cells[];
    return {
      sheet: first.sheet,
      range: formatRange({
        firstColumn: Math.min(...cells.map((box) => box.firstColumn)),
        firstRow: Math.min(...cells.map((box) => box.firstRow)),
        lastColumn: Math.max(...cells.map((box) => box.lastColumn)),
        lastRow: Math.max(...cells.map((box) => box.lastRow)),
      }),
    };
  }
  if ('line' in first) {
    return {
      line: Math.min(...locations.flatMap((location) => ('line' in location ? [location.line] : []))),
    };
  }
  return { image: true };
}

function span<T>(first: number, last: number, make: (first: number, span?: [number, number]) => T): T {
  return first === last ? make(first) : make(first, [first, last]);
}
