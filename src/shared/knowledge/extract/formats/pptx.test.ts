import { describe, expect, it } from 'vitest';
import { MIME } from '../detect.js';
import { extractDocument } from '../extract-document.js';
import { makePptx } from '../testing/make-files.js';

const pptx = (bytes: Uint8Array, limits = {}) =>
  extractDocument(bytes, { mime: MIME.pptx, filename: 'deck.pptx', limits });

describe('PPTX extraction', () => {
  it('reads slide text and speaker notes in presentation order', async () => {
    const slides = [
      { title: 'Roadmap', body: ['Ship search', 'Ship OCR'], notes: 'Mention the beta date.' },
      {
        title: 'Numbers',
        table: [
          ['Quarter', 'Users'],
          ['Q1', '120'],
        ],
      },
      { title: 'Welcome', body: ['Keel & friends'] },
    ];
    // Files slide1..3, but the deck shows slide3.xml first.
    const doc = await pptx(makePptx(slides, [2, 0, 1]));
    expect(doc.kind).toBe('pptx');
    expect(doc.slideCount).toBe(3);
    expect(doc.blocks).toEqual([
      { kind: 'heading', text: 'Welcome', level: 1, location: { slide: 1, part: 'body' } },
      { kind: 'paragraph', text: 'Keel & friends', location: { slide: 1, part: 'body' } },
      { kind: 'heading', text: 'Roadmap', level: 1, location: { slide: 2, part: 'body' } },
      { kind: 'paragraph', text: 'Ship search\nShip OCR', location: { slide: 2, part: 'body' } },
      { kind: 'paragraph', text: 'Mention the beta date.', location: { slide: 2, part: 'notes' } },
      { kind: 'heading', text: 'Numbers', level: 1, location: { slide: 3, part: 'body' } },
      {
        kind: 'table',
        text: 'Quarter | Users\nQ1 | 120',
        location: { slide: 3, part: 'body' },
        table: { header: ['Quarter', 'Users'], rows: [['Q1', '120']] },
      },
    ]);
  });

  it('refuses more slides than the limit, and a deck without text', async () => {
    const deck = makePptx([{ title: 'a' }, { title: 'b' }, { title: 'c' }]);
    await expect(pptx(deck, { maxSlides: 2 })).rejects.toMatchObject({ reason: 'too_large' });
    await expect(pptx(makePptx([{}, {}]))).rejects.toMatchObject({ reason: 'empty' });
  });
});
