import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIME } from '../detect.js';
import type { ExtractOptions } from '../extract.types.js';
import { extractDocument } from '../extract-document.js';
import { DEBIAN_KOREAN_DATA, joinSpacedSyllables, ocrParagraphs } from './image.js';
import { imageSize } from './image-size.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const ocr = (bytes: Uint8Array, options: Partial<ExtractOptions> = {}) =>
  extractDocument(bytes, { mime: MIME.png, filename: 'scan.png', ...options });

describe('image OCR', () => {
  it('reads English text into image-caption blocks', async () => {
    const doc = await ocr(fixture('ocr-english.png'));
    expect(doc.kind).toBe('image');
    expect(doc.blocks).toHaveLength(1);
    expect(doc.blocks[0]).toMatchObject({ kind: 'image-caption', location: { image: true } });
    expect(doc.blocks[0]?.text).toContain('Quarterly report');
    expect(doc.blocks[0]?.text).toContain('CPU usage exceeded 80 percent');
    expect(doc.metadata).toMatchObject({ width: expect.any(Number), height: expect.any(Number) });
  });

  it.runIf(existsSync(DEBIAN_KOREAN_DATA))(
    'reads Korean text when the Korean data is installed',
    async () => {
      const doc = await ocr(fixture('ocr-korean.png'));
      expect(doc.metadata.ocrLanguages).toBe('eng+kor');
      expect(doc.metadata.warning).toBeUndefined();
      const text = doc.blocks.map((block) => block.text).join('\n');
      expect(text).toContain('사용량');
      expect(text).toContain('CPU');
    },
  );

  it('runs in English only, and says so, when the Korean data is missing', async () => {
    const doc = await ocr(fixture('ocr-english.png'), {
      ocr: { koreanDataPath: '/nonexistent/kor.traineddata' },
    });
    expect(doc.metadata.ocrLanguages).toBe('eng');
    expect(doc.metadata.warning).toMatch(/Korean OCR data is not installed/);
    expect(doc.blocks[0]?.text).toContain('Quarterly report');
  });

  it('fails an image without text as no_text', async () => {
    await expect(ocr(fixture('blank.png'))).rejects.toMatchObject({ reason: 'no_text' });
  });

  it('fails a damaged image as corrupt, and a huge one before decoding it', async () => {
    const damaged = fixture('ocr-english.png').slice(0, 200);
    await expect(ocr(damaged)).rejects.toMatchObject({ reason: 'corrupt' });
    await expect(ocr(fixture('ocr-english.png'), { limits: { maxImagePixels: 1000 } })).rejects.toMatchObject(
      {
        reason: 'too_large',
      },
    );
  });

  it('stops at the time limit', async () => {
    await expect(ocr(fixture('ocr-english.png'), { limits: { timeoutMs: 20 } })).rejects.toMatchObject({
      reason: 'timeout',
    });
  });
});

describe('OCR text clean-up', () => {
  it('joins Hangul syllables Tesseract spaced apart', () => {
    expect(joinSpacedSyllables('서버 CPU 사 용 량 이 높습니다')).toBe('서버 CPU 사용량이 높습니다');
    expect(joinSpacedSyllables('한 문장')).toBe('한 문장');
  });

  it('splits paragraphs and drops speck lines', () => {
    expect(ocrParagraphs('First line\nsecond line\n\n|\n~\n\nNext')).toEqual([
      'First line\nsecond line',
      'Next',
    ]);
  });

  it('reads image sizes from headers', () => {
    expect(imageSize(fixture('blank.png'))).toEqual({ width: 320, height: 120 });
    expect(imageSize(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
