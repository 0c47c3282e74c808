import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectType, MIME } from './detect.js';
import { ExtractionError, extractionReasons } from './extract.errors.js';
import { extractDocument, SUPPORTED_MIME_TYPES } from './extract-document.js';
import { makeDocx, makePdf, makePptx, makeXlsx } from './testing/make-files.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** Detects like the upload path does, then extracts. */
function extractFile(bytes: Uint8Array, filename: string, limits = {}) {
  const type = detectType(bytes, filename);
  return extractDocument(bytes, { mime: type.mime, filename, limits });
}

function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe('extractDocument', () => {
  it('reads a PNG named report.pdf as the image it is', async () => {
    const doc = await extractFile(fixture('ocr-english.png'), 'report.pdf');
    expect(doc.kind).toBe('image');
    expect(doc.blocks[0]?.text).toContain('Quarterly report');
  });

  it('fails an empty file as empty, whatever its name', async () => {
    await expect(extractFile(new Uint8Array(0), 'report.pdf')).rejects.toMatchObject({
      reason: 'empty',
      message: 'the file is empty',
    });
  });

  it('fails unsupported types with the list of supported ones', async () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(120).fill(0)]);
    await expect(extractFile(elf, 'program.pdf')).rejects.toMatchObject({
      reason: 'unsupported',
      message: expect.stringMatching(/supported are PDF/),
    });
    await expect(extractFile(randomBytes(2048, 3), 'notes.txt')).rejects.toMatchObject({
      reason: 'unsupported',
    });
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await expect(extractFile(ole, 'old.doc')).rejects.toMatchObject({
      reason: 'unsupported',
      message: expect.stringMatching(/legacy Office/),
    });
    ole.set(Buffer.from('EncryptedPackage', 'utf16le'), 600);
    await expect(extractFile(ole, 'locked.xlsx')).rejects.toMatchObject({ reason: 'encrypted' });
  });

  it('fails a 0-row spreadsheet as empty', async () => {
    await expect(
      extractFile(await makeXlsx([{ name: 'Sheet1', rows: [] }]), 'empty.xlsx'),
    ).rejects.toMatchObject({
      reason: 'empty',
    });
  });

  it('only ever rejects with an ExtractionError, whatever bytes claim to be', async () => {
    const samples = [
      randomBytes(3000, 1),
      new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >>'),
      makeDocx('<w:p><w:r><w:t>x</w:t></w:r></w:p>').slice(0, 300),
      makePptx([{ title: 'x' }]).map((byte, index) => (index > 200 && index < 260 ? 0 : byte)),
    ];
    for (const mime of SUPPORTED_MIME_TYPES.filter((type) => !type.startsWith('image/'))) {
      for (const bytes of samples) {
        const outcome = await extractDocument(bytes, { mime }).then(
          () => 'ok',
          (error: unknown) => error,
        );
        if (outcome === 'ok') continue;
        expect(outcome, `${mime}`).toBeInstanceOf(ExtractionError);
        expect(extractionReasons).toContain((outcome as ExtractionError).reason);
      }
    }
  });

  it('reports progress from 0 to 1 without going back', async () => {
    const progress: number[] = [];
    await extractDocument(makePptx([{ title: 'a' }, { title: 'b' }, { title: 'c' }]), {
      mime: MIME.pptx,
      onProgress: (fraction) => progress.push(fraction),
    });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('refuses files and text above the limits', async () => {
    await expect(extractFile(makePdf([['hello']]), 'a.pdf', { maxBytes: 100 })).rejects.toMatchObject({
      reason: 'too_large',
    });
    const long = new TextEncoder().encode(`${'word '.repeat(500)}\n\n`.repeat(10));
    await expect(
      extractDocument(long, { mime: MIME.text, limits: { maxChars: 3000 } }),
    ).rejects.toMatchObject({
      reason: 'too_large',
    });
  });

  it('rethrows a caller abort as is, and turns a timeout signal into a timeout', async () => {
    const controller = new AbortController();
    const shutdown = new Error('shutting down');
    controller.abort(shutdown);
    await expect(
      extractDocument(makePdf([['x']]), { mime: MIME.pdf, signal: controller.signal }),
    ).rejects.toBe(shutdown);
    await expect(
      extractDocument(makePdf([['x']]), { mime: MIME.pdf, signal: AbortSignal.timeout(0) }),
    ).rejects.toMatchObject({ reason: 'timeout' });
  });
});
