import type { Block, Location, TableData } from './extract.types.js';

/** One table row as text: cells joined by ` | `, line breaks inside a cell flattened. */
export function rowText(cells: readonly string[]): string {
  return cells.map((cell) => cell.replace(/\s*\n\s*/g, ' ').trim()).join(' | ');
}

export function tableText(table: Pick<TableData, 'header' | 'rows'>): string {
  return [table.header, ...table.rows].map(rowText).join('\n');
}

/**
 * A table block from its rows; the first row is the header. Empty trailing cells are trimmed and
 * short rows padded to the header's width, so every row lines up.
 */
export function tableBlock(
  rows: string[][],
  location: Location,
  refs?: { header: number; rows: number[] },
): Block {
  const [header = [], ...body] = rows;
  const width = body.reduce((max, row) => Math.max(max, row.length), header.length);
  const pad = (row: string[]): string[] => [...row, ...Array<string>(width - row.length).fill('')];
  const table: TableData = { header: pad(header), rows: body.map(pad) };
  if (refs) {
    table.headerRef = refs.header;
    table.rowRefs = refs.rows;
  }
  return { kind: 'table', text: tableText(table), location, table };
}

/** Drops rows whose cells are all blank, keeping each kept row's reference. */
export function dropBlankRows<T>(rows: { cells: string[]; ref: T }[]): { cells: string[]; ref: T }[] {
  return rows.filter((row) => row.cells.some((cell) => cell.trim() !== ''));
}
