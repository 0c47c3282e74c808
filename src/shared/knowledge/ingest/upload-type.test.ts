import { describe, expect, it } from 'vitest';
import { MIME } from '../extract/index.js';
import { makeDocx, makePdf, makePptx, makeXlsx, makeZip } from '../extract/testing/make-files.js';
import { detectUpload, HEAD_BYTES, refusedByHead, TAIL_BYTES, textSafeHead } from './upload-type.js';

/** What the upload keeps of a file: its head and tail. */
function seen(bytes: Uint8Array) {
  return {
    head: bytes.subarray(0, HEAD_BYTES),
    tail: bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)),
    size: bytes.length,
  };
}

function padded(inputs: Parameters<typeof makeZip>[0], padding: number): Uint8Array {
  // A stored (uncompressed) media part pushes the directory far from the head.
  return makeZip([
    ...inputs,
    { name: 'word/media/filler.bin', data: new Uint8Array(padding), method: 'store' },
  ]);
}

describe('upload type detection from the head and tail', () => {
  it('reads Office files from the directory at the end of a long file', async () => {
    const small = [
      makeDocx('<w:p><w:r><w:t>x</w:t></w:r></w:p>'),
      makePptx([{ title: 'x' }]),
      await makeXlsx([{ name: 'S', rows: [['a']] }]),
    ];
    expect(small.map((b) => detectUpload(seen(b).head, seen(b).tail, b.length, 'x.bin').mime)).toEqual([
      MIME.docx,
      MIME.pptx,
      MIME.xlsx,
    ]);
    const big = padded(
      [
        { name: '[Content_Types].xml', data: '<Types/>' },
        { name: 'word/document.xml', data: '<w:document/>' },
      ],
      3 * HEAD_BYTES,
    );
    const { head, tail, size } = seen(big);
    expect(size).toBeGreaterThan(HEAD_BYTES * 3);
    expect(detectUpload(head, tail, size, 'upload')).toMatchObject({ mime: MIME.docx });
    expect(refusedByHead(head, 'upload')).toBeUndefined();
  });

  it('decides binary formats from the head alone and refuses unreadable ones there', () => {
    const pdf = makePdf([['hello']]);
    expect(detectUpload(pdf, pdf, pdf.length, 'a.txt').mime).toBe(MIME.pdf);
    const elf = new Uint8Array(HEAD_BYTES * 2);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    expect(refusedByHead(elf.subarray(0, HEAD_BYTES), 'a.pdf')).toMatchObject({ kind: 'unsupported' });
  });

  it('does not mistake text cut inside a character for binary', () => {
    const text = new TextEncoder().encode('한국어 문서 '.repeat(20_000));
    for (const cut of [HEAD_BYTES, HEAD_BYTES - 1, HEAD_BYTES - 2]) {
      const head = text.subarray(0, cut);
      expect(new TextDecoder('utf-8', { fatal: false }).decode(textSafeHead(head))).not.toContain('\ufffd');
      expect(refusedByHead(head, 'notes.txt')).toBeUndefined();
    }
    const { head, tail, size } = seen(text);
    expect(detectUpload(head, tail, size, 'notes.md').mime).toBe(MIME.markdown);
  });
});
