import { describe, expect, it } from 'vitest';
import { countTokens } from '../../llm/offline/index.js';
import { detectType, extractDocument } from '../extract/index.js';
import { makePdf } from '../extract/testing/make-files.js';
import { chunkDocument } from './chunk-document.js';

describe('extraction and chunking together', () => {
  it('turns a 100-page text PDF into located chunks of at most 500 cl100k tokens', async () => {
    const pages = Array.from({ length: 100 }, (_, page) => [
      `# Chapter ${page + 1}`,
      ...Array.from({ length: 8 }, (_, paragraph) => [
        ...Array.from(
          { length: 5 },
          (_, line) =>
            `Paragraph ${paragraph} line ${line}: the servers of region ${page} ran hot this week.`,
        ),
        '',
      ]).flat(),
    ]);
    const bytes = makePdf(pages);
    const doc = await extractDocument(bytes, { mime: detectType(bytes, 'book.pdf').mime });
    const chunks = chunkDocument(doc, { strategy: 'auto', countTokens });

    expect(doc.pageCount).toBe(100);
    expect(chunks.length).toBeGreaterThanOrEqual(100);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(500);
      expect(chunk.tokenCount).toBe(countTokens(chunk.text));
      expect(chunk.text.startsWith('Chapter ')).toBe(true);
    }
    expect(chunks.at(-1)?.location).toEqual({ page: 100 });
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, index) => index));
    // How fast is measured by `npm run bench -- ingest`, not here: the machine is shared.
  });
});
