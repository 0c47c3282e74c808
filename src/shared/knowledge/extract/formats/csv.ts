import { sniffDelimiter } from '../detect.js';
import { ExtractionError } from '../extract.errors.js';
import type { ExtractionRun } from '../run.js';
import { dropBlankRows, tableBlock } from '../table.js';
import { readText } from './text.js';

export interface CsvRecord {
  cells: string[];
  /** 1-based line the record starts on (a quoted field may span lines). */
  line: number;
}

/**
 * RFC 4180 records: fields separated by `delimiter`, optionally in double quotes, `""` for a quote
 * inside quotes, line breaks allowed inside quotes. Lenient where files are sloppy: a quote in the
 * middle of an unquoted field is kept as text, an unclosed quote runs to the end of the file.
 */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  let line = 1;
  let recordLine = 1;

  const endField = () => {
    cells.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push({ cells, line: recordLine });
    cells = [];
  };

  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (char === delimiter) {
      endField();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += char;
      fieldStarted = true;
    }
  }
  if (fieldStarted || field !== '' || cells.length > 0) endRecord();
  return records;
}

/** A CSV (or TSV) file as one table block; the header is the first non-empty record. */
export function extractCsv(bytes: Uint8Array, run: ExtractionRun): void {
  const text = readText(bytes, 'CSV');
  const delimiter = run.filename?.toLowerCase().endsWith('.tsv') ? '\t' : (sniffDelimiter(text) ?? ',');
  const records = dropBlankRows(
    parseCsv(text, delimiter).map((record) => ({ cells: record.cells, ref: record.line })),
  );
  const [header, ...rows] = records;
  if (!header) throw new ExtractionError('empty', 'the CSV file has no rows');
  run.push(
    tableBlock(
      records.map((record) => record.cells),
      { line: header.ref },
      { header: header.ref, rows: rows.map((row) => row.ref) },
    ),
  );
}
