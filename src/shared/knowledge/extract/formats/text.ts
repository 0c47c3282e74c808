import { ExtractionError } from '../extract.errors.js';
import type { ExtractionRun } from '../run.js';
import { decodeText } from '../text-decode.js';

/** The text of a text-format file, line breaks normalized to `\n`; corrupt when not text. */
export function readText(bytes: Uint8Array, what: string): string {
  const text = decodeText(bytes);
  if (text === undefined) {
    throw new ExtractionError('corrupt', `the ${what} file is not valid UTF-8 or UTF-16 text`);
  }
  return text.replace(/\r\n?/g, '\n');
}

/** Plain text: paragraphs are runs of non-blank lines; each block starts at its first line. */
export function extractPlainText(bytes: Uint8Array, run: ExtractionRun): void {
  const lines = readText(bytes, 'text').split('\n');
  let start = -1;
  const flush = (end: number) => {
    if (start === -1) return;
    const text = lines.slice(start, end).join('\n').trim();
    if (text) run.push({ kind: 'paragraph', text, location: { line: start + 1 } });
    start = -1;
  };
  lines.forEach((line, index) => {
    if (line.trim() === '') flush(index);
    else if (start === -1) start = index;
  });
  flush(lines.length);
}
