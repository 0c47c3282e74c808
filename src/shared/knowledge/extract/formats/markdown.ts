import type { ExtractionRun } from '../run.js';
import { tableBlock } from '../table.js';
import { readText } from './text.js';

/**
 * Markdown by lines: ATX (`## Setup`) and setext headings, fenced code blocks kept whole (a `#`
 * inside one is not a heading), GFM pipe tables as table blocks, other runs of lines as
 * paragraphs with links and emphasis reduced to their text. Not a full CommonMark parser: block
 * structure is what chunking needs.
 */
export function extractMarkdown(bytes: Uint8Array, run: ExtractionRun): void {
  const lines = readText(bytes, 'Markdown').split('\n');
  let paragraph: string[] = [];
  let paragraphStart = 0;

  const flush = () => {
    const text = inline(paragraph.join('\n')).trim();
    if (text) run.push({ kind: 'paragraph', text, location: { line: paragraphStart + 1 } });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence?.[1]) {
      flush();
      const marker = fence[1];
      const body: string[] = [];
      const start = i;
      for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker); i++) {
        body.push(lines[i] ?? '');
      }
      const text = body.join('\n').trim();
      if (text) run.push({ kind: 'paragraph', text, location: { line: start + 1 } });
      continue;
    }

    const atx = /^ {0,3}(#{1,6})(?:[ \t]|$)/.exec(line);
    if (atx?.[1]) {
      flush();
      const text = inline(headingText(line.slice(atx[0].length))).trim();
      if (text) run.push({ kind: 'heading', text, level: atx[1].length, location: { line: i + 1 } });
      continue;
    }

    const setext = /^ {0,3}(=+|-+)[ \t]*$/.exec(line);
    if (setext?.[1] && paragraph.length > 0) {
      const text = inline(paragraph.join(' ')).trim();
      const level = setext[1].startsWith('=') ? 1 : 2;
      run.push({ kind: 'heading', text, level, location: { line: paragraphStart + 1 } });
      paragraph = [];
      continue;
    }

    if (line.includes('|') && isTableSeparator(lines[i + 1] ?? '') && paragraph.length === 0) {
      const start = i;
      const rows = [splitRow(line)];
      const refs = [i + 1];
      for (
        i += 2;
        i < lines.length && (lines[i] ?? '').includes('|') && (lines[i] ?? '').trim() !== '';
        i++
      ) {
        rows.push(splitRow(lines[i] ?? ''));
        refs.push(i + 1);
      }
      i--;
      run.push(tableBlock(rows, { line: start + 1 }, { header: start + 1, rows: refs.slice(1) }));
      continue;
    }

    if (line.trim() === '' || /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/.test(line)) {
      flush();
      continue;
    }
    if (paragraph.length === 0) paragraphStart = i;
    paragraph.push(line);
  }
  flush();
}

/** The text of an ATX heading without its optional closing `#`s (written without a regex that
 * could backtrack quadratically on a long line of spaces). */
function headingText(rest: string): string {
  const trimmed = rest.trim();
  let end = trimmed.length;
  while (end > 0 && trimmed[end - 1] === '#') end--;
  if (end === 0) return '';
  return end === trimmed.length || /[ \t]/.test(trimmed[end - 1] ?? '') ? trimmed.slice(0, end) : trimmed;
}

function isTableSeparator(line: string): boolean {
  return (
    line.includes('|') &&
    line.includes('-') &&
    /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/.test(line)
  );
}

function splitRow(line: string): string[] {
  const trimmed = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => inline(cell.replace(/\\\|/g, '|')).trim());
}

/**
 * Links and images to their text, emphasis and code marks removed. Repetitions are bounded and
 * marks removed without pairing them, so a line of a hundred thousand `[` or `**` stays linear.
 */
function inline(text: string): string {
  return text
    .replace(/!\[([^\]\n]{0,300})\]\([^)\n]{0,1000}\)/g, '$1')
    .replace(/\[([^\]\n]{1,300})\]\([^)\n]{0,1000}\)/g, '$1')
    .replace(/\*\*|__|`/g, '');
}
