import type * as ExcelJS from 'exceljs';
import { ExtractionError } from '../extract.errors.js';
import { checkPartSize } from '../ooxml/package.js';
import { openZip } from '../ooxml/zip.js';
import type { ExtractionRun } from '../run.js';
import { tableBlock } from '../table.js';
import type { ExtractorResult } from './extractor.js';

/**
 * XLSX through exceljs: each worksheet's used cells as one table block (header = its first
 * non-empty row, blank rows dropped) located by its A1 range, after a heading with the sheet's
 * name. exceljs inflates the archive itself, so every entry is first inflated under the zip-bomb
 * guard: exceljs only ever sees sizes that were proven honest.
 */
export async function extractXlsx(bytes: Uint8Array, run: ExtractionRun): Promise<ExtractorResult> {
  const zip = openZip(bytes, run.limits);
  const worksheetParts = zip.entries.filter((entry) => /^xl\/worksheets\/[^/]+\.xml$/.test(entry.name));
  if (worksheetParts.length > run.limits.maxSheets)
    throw tooManySheets(worksheetParts.length, run.limits.maxSheets);
  // exceljs builds the whole workbook in memory: each big part is bounded before it is read.
  for (const part of [
    ...worksheetParts,
    ...zip.entries.filter((entry) => entry.name === 'xl/sharedStrings.xml'),
  ]) {
    checkPartSize(zip, part.name);
  }
  await zip.verifyAll();
  run.checkpoint();

  const workbook = new (await loadWorkbook())();
  try {
    await workbook.xlsx.load(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer,
    );
  } catch (error) {
    throw new ExtractionError('corrupt', 'the spreadsheet is damaged and cannot be read', { cause: error });
  }
  run.checkpoint();
  run.progress(0.5);

  const sheets = workbook.worksheets;
  if (sheets.length > run.limits.maxSheets) throw tooManySheets(sheets.length, run.limits.maxSheets);
  const title = workbook.title?.trim();
  if (title) run.metadata.title = title;
  const author = workbook.creator?.trim();
  if (author) run.metadata.author = author;

  let rowsFound = 0;
  for (const [index, sheet] of sheets.entries()) {
    run.checkpoint();
    rowsFound += readSheet(sheet, run);
    run.progress(0.5 + ((index + 1) / sheets.length) * 0.45);
  }
  if (rowsFound === 0) throw new ExtractionError('empty', 'the spreadsheet has no rows with values');
  return { sheetCount: sheets.length };
}

/** exceljs takes half a second to import: loaded on the first workbook, not with this module. */
async function loadWorkbook(): Promise<typeof ExcelJS.Workbook> {
  // exceljs is CommonJS: Node exposes its exports as the default export only.
  const module = (await import('exceljs')) as unknown as { default: typeof ExcelJS };
  return module.default.Workbook;
}

function tooManySheets(count: number, limit: number): ExtractionError {
  return new ExtractionError('too_large', `the workbook has ${count} sheets; the limit is ${limit}`);
}

/** Pushes the sheet's table; returns how many non-empty rows it had. */
function readSheet(sheet: ExcelJS.Worksheet, run: ExtractionRun): number {
  const rows: { number: number; cells: Map<number, string> }[] = [];
  let minColumn = Number.POSITIVE_INFINITY;
  let maxColumn = 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells = new Map<number, string>();
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      // A merged range's value belongs to its top-left cell only.
      if (cell.isMerged && cell.master !== cell) return;
      const text = cellText(cell.value).trim();
      if (text === '') return;
      cells.set(column, text);
      minColumn = Math.min(minColumn, column);
      maxColumn = Math.max(maxColumn, column);
    });
    if (cells.size > 0) rows.push({ number: rowNumber, cells });
  });
  const [first, ...rest] = rows;
  const last = rows.at(-1);
  if (!first || !last) return 0;

  const table = rows.map((row) => {
    const cells: string[] = [];
    for (let column = minColumn; column <= maxColumn; column++) cells.push(row.cells.get(column) ?? '');
    return cells;
  });
  const range = `${columnName(minColumn)}${first.number}:${columnName(maxColumn)}${last.number}`;
  const location = { sheet: sheet.name, range };
  run.push({ kind: 'heading', text: sheet.name, level: 1, location });
  run.push(tableBlock(table, location, { header: first.number, rows: rest.map((row) => row.number) }));
  return rows.length;
}

/** 1 → A, 27 → AA. */
export function columnName(column: number): string {
  let name = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** A cell's value as the text a reader would see (formulas by their result, dates as ISO). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result ?? null);
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return '';
}

function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  // exceljs reads Excel's serial dates as UTC: a whole day has no time part worth showing.
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}
