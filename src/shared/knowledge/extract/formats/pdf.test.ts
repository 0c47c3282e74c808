import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIME } from '../detect.js';
import { ExtractionError } from '../extract.errors.js';
import type { ExtractOptions } from '../extract.types.js';
import { extractDocument } from '../extract-document.js';
import { makePdf } from '../testing/make-files.js';

const pdf = (bytes: Uint8Array, options: Partial<ExtractOptions> = {}) =>
  extractDocument(bytes, { mime: MIME.pdf, filename: 'doc.pdf', ...options });

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExtractionError) return error.reason;
    throw error;
  }
  throw new Error('expected an ExtractionError');
}

describe('PDF extraction', () => {
  it('reads text page by page, with headings and paragraphs', async () => {
    const bytes = makePdf(
      [
        [
          '# Server report',
          'CPU usage stayed above eighty percent',
          'for most of the week.',
          '',
          'Memory was fine.',
        ],
        ['# Disks', 'Disk I/O was the bottleneck (see below).'],
        [],
        ['Closing words on page four.'],
      ],
      { title: 'Weekly report' },
    );
    const doc = await pdf(bytes);
    expect(doc.kind).toBe('pdf');
    expect(doc.pageCount).toBe(4);
    expect(doc.metadata.title).toBe('Weekly report');
    expect(doc.blocks).toEqual([
      { kind: 'heading', text: 'Server report', level: 1, location: { page: 1 } },
      {
        kind: 'paragraph',
        text: 'CPU usage stayed above eighty percent for most of the week.',
        location: { page: 1 },
      },
      { kind: 'paragraph', text: 'Memory was fine.', location: { page: 1 } },
      { kind: 'heading', text: 'Disks', level: 1, location: { page: 2 } },
      { kind: 'paragraph', text: 'Disk I/O was the bottleneck (see below).', location: { page: 2 } },
      { kind: 'paragraph', text: 'Closing words on page four.', location: { page: 4 } },
    ]);
  });

  it('extracts a 100-page text PDF quickly, reporting progress', async () => {
    const page = (n: number) => [
      `# Chapter ${n}`,
      ...Array.from(
        { length: 40 },
        (_, line) => `Line ${line} of page ${n} talks about servers, memory, disks and the network.`,
      ),
    ];
    const bytes = makePdf(Array.from({ length: 100 }, (_, index) => page(index + 1)));
    const progress: number[] = [];
    const doc = await pdf(bytes, { onProgress: (fraction) => progress.push(fraction) });
    expect(doc.pageCount).toBe(100);
    expect(doc.blocks.filter((block) => block.kind === 'heading')).toHaveLength(100);
    expect(doc.blocks.at(-1)?.location).toEqual({ page: 100 });
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('says an encrypted PDF is encrypted', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../fixtures/encrypted.pdf', import.meta.url)));
    await expect(pdf(bytes)).rejects.toMatchObject({
      reason: 'encrypted',
      message: 'the PDF is encrypted; remove the password and upload it again',
    });
  });

  it('says a damaged PDF is corrupt', async () => {
    expect(await reason(pdf(new TextEncoder().encode('%PDF-1.7\nthis is not a PDF body at all')))).toBe(
      'corrupt',
    );
    expect(await reason(pdf(makePdf([['one page']]).slice(0, 300)))).toBe('corrupt');
  });

  it('says a PDF without a text layer has no text', async () => {
    expect(await reason(pdf(makePdf([[], []])))).toBe('no_text');
  });

  it('refuses more pages than the limit', async () => {
    expect(await reason(pdf(makePdf([['a'], ['b'], ['c']]), { limits: { maxPages: 2 } }))).toBe('too_large');
  });
});
