import { Parser } from 'htmlparser2';
import type { Block } from '../extract.types.js';
import type { ExtractionRun } from '../run.js';
import { tableBlock } from '../table.js';
import { readText } from './text.js';

/** Elements whose content is never document text. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'select',
  'head',
]);

/** Elements that end the paragraph before them and start a new one. */
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'figure',
  'figcaption',
  'address',
  'form',
  'fieldset',
  'hr',
  'details',
  'summary',
  'body',
  'caption',
]);

const HEADING = /^h([1-6])$/;

interface TableState {
  rows: string[][];
  row: string[] | undefined;
  cell: string | undefined;
  line: number;
}

/**
 * HTML to blocks: scripts, styles and hidden elements dropped; h1–h6 as headings; the outermost
 * tables as table blocks (a nested table's text goes into its cell); other text as paragraphs,
 * split at block elements. Each block's location is the line its text starts on.
 */
export function extractHtml(bytes: Uint8Array, run: ExtractionRun): void {
  const source = readText(bytes, 'HTML');
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (index: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };

  const blocks: Block[] = [];
  let skipDepth = 0;
  let preDepth = 0;
  let text = '';
  let textLine = 0;
  let heading: { level: number; text: string; line: number } | undefined;
  let table: TableState | undefined;
  let tableDepth = 0;
  let title = '';
  let inTitle = false;

  const flush = () => {
    const paragraph = normalize(text, preDepth > 0);
    if (paragraph) blocks.push({ kind: 'paragraph', text: paragraph, location: { line: textLine } });
    text = '';
  };
  const append = (chunk: string, index: number) => {
    if (heading) {
      heading.text += chunk;
    } else if (table && tableDepth === 1 && table.cell !== undefined) {
      table.cell += chunk;
    } else if (table) {
      // Text inside a nested table, or between a table's cells: keep it in the open cell, if any.
      if (table.cell !== undefined) table.cell += chunk;
    } else {
      if (text.trim() === '' && chunk.trim() !== '') textLine = lineAt(index);
      text += chunk;
    }
  };

  const parser: Parser = new Parser(
    {
      onopentag(name, attributes) {
        if (
          skipDepth > 0 ||
          SKIPPED.has(name) ||
          'hidden' in attributes ||
          attributes['aria-hidden'] === 'true'
        ) {
          if (name === 'title') inTitle = true;
          skipDepth++;
          return;
        }
        if (name === 'title') inTitle = true;
        if (name === 'pre') preDepth++;
        if (name === 'br') append('\n', parser.startIndex);
        const level = HEADING.exec(name)?.[1];
        if (name === 'table') {
          tableDepth++;
          if (tableDepth === 1) {
            flush();
            table = { rows: [], row: undefined, cell: undefined, line: lineAt(parser.startIndex) };
          }
          return;
        }
        if (table && tableDepth === 1) {
          if (name === 'tr') table.row = [];
          else if (name === 'td' || name === 'th') table.cell = '';
          else if (BLOCK.has(name) && table.cell) table.cell += '\n';
          return;
        }
        if (table) return;
        if (level) {
          flush();
          heading = { level: Number(level), text: '', line: lineAt(parser.startIndex) };
        } else if (BLOCK.has(name)) {
          flush();
        }
      },
      ontext(chunk) {
        if (inTitle && skipDepth > 0) {
          title += chunk;
          return;
        }
        if (skipDepth > 0) return;
        // Source line breaks are spaces in HTML; only <br> and block ends break lines.
        append(preDepth > 0 ? chunk : chunk.replace(/[\t\n\f\r ]+/g, ' '), parser.startIndex);
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (skipDepth > 0) {
          skipDepth--;
          return;
        }
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (name === 'table') {
          tableDepth = Math.max(0, tableDepth - 1);
          if (tableDepth === 0 && table) {
            closeRow(table);
            const rows = table.rows.filter((row) => row.some((cell) => cell !== ''));
            if (rows.length > 0) blocks.push(tableBlock(rows, { line: table.line }));
            table = undefined;
          }
          return;
        }
        if (table && tableDepth === 1) {
          if (name === 'td' || name === 'th') closeCell(table);
          else if (name === 'tr') closeRow(table);
          return;
        }
        if (table) return;
        if (heading && HEADING.test(name)) {
          const headingText = normalize(heading.text, false).replace(/\n/g, ' ');
          if (headingText) {
            blocks.push({
              kind: 'heading',
              text: headingText,
              level: heading.level,
              location: { line: heading.line },
            });
          }
          heading = undefined;
        } else if (BLOCK.has(name)) {
          flush();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(source);
  flush();

  const pageTitle = normalize(title.replace(/\s+/g, ' '), false);
  if (pageTitle) run.metadata.title = pageTitle;
  for (const block of blocks) run.push(block);
}

function closeCell(table: TableState): void {
  if (table.cell === undefined) return;
  table.row ??= [];
  table.row.push(normalize(table.cell, false));
  table.cell = undefined;
}

function closeRow(table: TableState): void {
  closeCell(table);
  if (table.row) table.rows.push(table.row);
  table.row = undefined;
}

/** Trims each line and drops blank ones (inside `<pre>`, only trailing spaces go). */
function normalize(text: string, preformatted: boolean): string {
  if (preformatted) return text.replace(/[ \t]+$/gm, '').trim();
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
