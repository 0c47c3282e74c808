import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ExtractionError } from '../extract.errors.js';
import type { Block } from '../extract.types.js';
import type { ExtractionRun } from '../run.js';
import type { ExtractorResult } from './extractor.js';

/**
 * PDF text through pdf.js (legacy build, the one meant for Node), page by page. Fonts, CMaps and
 * wasm decoders are read from pdfjs-dist's own folders: nothing is fetched. Script evaluation is
 * off (`isEvalSupported: false`), as a PDF is untrusted input.
 */

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const localAssets = {
  cMapUrl: `${join(pdfjsRoot, 'cmaps')}/`,
  cMapPacked: true,
  standardFontDataUrl: `${join(pdfjsRoot, 'standard_fonts')}/`,
  wasmUrl: `${join(pdfjsRoot, 'wasm')}/`,
};

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | undefined;

/** pdf.js is large: loaded on the first PDF, not when this module is imported. */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

interface Line {
  text: string;
  y: number;
  size: number;
}

interface Paragraph {
  page: number;
  lines: Line[];
}

export async function extractPdf(bytes: Uint8Array, run: ExtractionRun): Promise<ExtractorResult> {
  const { getDocument, VerbosityLevel } = await loadPdfjs();
  const task = getDocument({
    // pdf.js takes ownership of (and detaches) the buffer it is given.
    data: bytes.slice(),
    ...localAssets,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  const stop = () => {
    task.destroy().catch(() => undefined);
  };
  run.signal.addEventListener('abort', stop, { once: true });
  try {
    const document = await task.promise.catch((error: unknown) => {
      run.checkpoint();
      throw classifyOpenError(error);
    });
    const pageCount = document.numPages;
    if (pageCount > run.limits.maxPages) {
      throw new ExtractionError(
        'too_large',
        `the PDF has ${pageCount} pages; the limit is ${run.limits.maxPages}. Split it and upload the parts`,
      );
    }
    await readInfo(document, run);

    const paragraphs: Paragraph[] = [];
    for (let number = 1; number <= pageCount; number++) {
      run.checkpoint();
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const lines = toLines(content.items.filter((item) => 'str' in item) as TextItem[]);
      for (const paragraph of toParagraphs(lines)) paragraphs.push({ page: number, lines: paragraph });
      page.cleanup();
      run.progress((number / pageCount) * 0.95);
    }
    if (paragraphs.length === 0) {
      throw new ExtractionError(
        'no_text',
        'the PDF has no text layer (it may be a scan); export it with text, or upload the pages as images for OCR',
      );
    }
    for (const block of toBlocks(paragraphs)) run.push(block);
    return { pageCount };
  } finally {
    run.signal.removeEventListener('abort', stop);
    await task.destroy().catch(() => undefined);
  }
}

function classifyOpenError(error: unknown): ExtractionError {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'PasswordException') {
    return new ExtractionError('encrypted', 'the PDF is encrypted; remove the password and upload it again', {
      cause: error,
    });
  }
  return new ExtractionError('corrupt', 'the PDF is damaged and cannot be read', { cause: error });
}

async function readInfo(
  document: Awaited<ReturnType<Pdfjs['getDocument']>['promise']>,
  run: ExtractionRun,
): Promise<void> {
  try {
    const { info } = await document.getMetadata();
    const fields = info as Record<string, unknown>;
    for (const [from, to] of [
      ['Title', 'title'],
      ['Author', 'author'],
      ['Subject', 'subject'],
    ] as const) {
      const value = fields[from];
      if (typeof value === 'string' && value.trim()) run.metadata[to] = value.trim();
    }
  } catch {
    // Metadata is optional; a broken Info dictionary does not make the text unreadable.
  }
}

/**
 * Text items into lines: a new line where the baseline moves by more than half the font size
 * (or pdf.js marks an end of line); a space where two items on a line are apart by more than a
 * fifth of the font size and neither brings its own.
 */
function toLines(items: TextItem[]): Line[] {
  const lines: Line[] = [];
  let text = '';
  let y = 0;
  let size = 0;
  let endX = 0;
  const endLine = () => {
    const trimmed = text.replace(/\s+/g, ' ').trim();
    if (trimmed) lines.push({ text: trimmed, y, size });
    text = '';
    size = 0;
  };
  for (const item of items) {
    const [, , c = 0, d = 0, x = 0, itemY = 0] = item.transform;
    const itemSize = item.height || Math.hypot(c, d) || 1;
    if (item.str !== '') {
      if (text !== '' && Math.abs(itemY - y) > Math.max(itemSize, size) / 2) endLine();
      else if (text !== '' && x - endX > itemSize * 0.2 && !/\s$/.test(text) && !/^\s/.test(item.str))
        text += ' ';
      if (text === '') y = itemY;
      text += item.str;
      size = Math.max(size, itemSize);
      endX = x + item.width;
    }
    if (item.hasEOL) endLine();
  }
  endLine();
  return lines;
}

/** Lines into paragraphs: a break where the gap exceeds 1.5 lines, the text moves up (a new
 * column), or the font size changes by more than a fifth. */
function toParagraphs(lines: Line[]): Line[][] {
  const paragraphs: Line[][] = [];
  let current: Line[] = [];
  let previous: Line | undefined;
  for (const line of lines) {
    if (previous) {
      const gap = previous.y - line.y;
      const sizeChange = Math.abs(line.size - previous.size) > Math.max(line.size, previous.size) * 0.2;
      if (gap > Math.max(line.size, previous.size) * 1.5 || gap < 0 || sizeChange) {
        paragraphs.push(current);
        current = [];
      }
    }
    current.push(line);
    previous = line;
  }
  if (current.length > 0) paragraphs.push(current);
  return paragraphs;
}

function joinLines(lines: Line[]): string {
  let text = '';
  for (const line of lines) {
    // A word hyphenated at the end of a line is joined again ("extrac-" + "tion").
    if (/\p{Ll}-$/u.test(text) && /^\p{Ll}/u.test(line.text)) text = text.slice(0, -1) + line.text;
    else text = text ? `${text} ${line.text}` : line.text;
  }
  return text;
}

/**
 * Paragraphs into blocks. PDFs carry no heading markup (unless tagged), so a short paragraph
 * set clearly larger than the body text (≥ 1.2×, by the most common size weighted by
 * characters) is read as a heading, levels ranked by size.
 */
function toBlocks(paragraphs: Paragraph[]): Block[] {
  const weights = new Map<number, number>();
  for (const paragraph of paragraphs) {
    for (const line of paragraph.lines) {
      const size = Math.round(line.size * 2) / 2;
      weights.set(size, (weights.get(size) ?? 0) + line.text.length);
    }
  }
  let bodySize = 0;
  let bodyWeight = -1;
  for (const [size, weight] of weights) {
    if (weight > bodyWeight) {
      bodySize = size;
      bodyWeight = weight;
    }
  }

  const sizeOf = (paragraph: Paragraph) => Math.min(...paragraph.lines.map((line) => line.size));
  const isHeading = (paragraph: Paragraph, text: string) =>
    paragraph.lines.length <= 2 &&
    text.length <= 150 &&
    sizeOf(paragraph) >= bodySize * 1.2 &&
    !/[.:;,]$/.test(text);

  const texts = paragraphs.map((paragraph) => joinLines(paragraph.lines));
  const headingSizes = [
    ...new Set(
      paragraphs
        .filter((paragraph, index) => isHeading(paragraph, texts[index] ?? ''))
        .map((paragraph) => Math.round(sizeOf(paragraph) * 2) / 2),
    ),
  ].sort((a, b) => b - a);

  return paragraphs.map((paragraph, index) => {
    const text = texts[index] ?? '';
    const location = { page: paragraph.page };
    if (!isHeading(paragraph, text)) return { kind: 'paragraph', text, location };
    const rank = headingSizes.indexOf(Math.round(sizeOf(paragraph) * 2) / 2);
    return { kind: 'heading', text, level: Math.min(6, rank + 1), location };
  });
}
