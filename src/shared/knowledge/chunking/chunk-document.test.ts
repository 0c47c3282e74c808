import { describe, expect, it } from 'vitest';
import type { Block, ExtractedDocument } from '../extract/index.js';
import { tableText } from '../extract/index.js';
import { chunkDocument } from './chunk-document.js';

/** One token per whitespace-separated word: makes budgets easy to reason about in tests. */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

function doc(blocks: Block[], kind: ExtractedDocument['kind'] = 'pdf'): ExtractedDocument {
  return { kind, metadata: {}, blocks };
}

const heading = (text: string, level: number, page = 1): Block => ({
  kind: 'heading',
  text,
  level,
  location: { page },
});
const sheetHeading = (sheet: string): Block => ({
  kind: 'heading',
  text: sheet,
  level: 1,
  location: { sheet, range: 'A1:D1' },
});
const paragraph = (text: string, page = 1): Block => ({ kind: 'paragraph', text, location: { page } });
const sentence = (n: number, length = 9) => `Sentence ${n} ${'word '.repeat(length - 3).trim()} end.`;

function sheetTable(sheet: string, rows: number): Block {
  const header = ['Host', 'Region', 'CPU', 'Memory'];
  const body = Array.from({ length: rows }, (_, index) => [
    `host-${index + 1}`,
    'eu',
    `${index}`,
    `${index * 2}`,
  ]);
  const table = { header, rows: body, headerRef: 1, rowRefs: body.map((_, index) => index + 2) };
  return { kind: 'table', text: tableText(table), location: { sheet, range: `A1:D${rows + 1}` }, table };
}

describe('paragraph chunking', () => {
  it('starts a chunk at each heading and prefixes it with the heading path', () => {
    const chunks = chunkDocument(
      doc([
        heading('Intro', 1),
        paragraph('Keel is a platform.'),
        heading('Setup', 2),
        paragraph('Install Node.'),
        paragraph('Run npm ci.', 2),
        heading('Usage', 1, 3),
        paragraph('Start the server.', 3),
      ]),
      { strategy: 'paragraph', countTokens: words },
    );
    expect(chunks).toEqual([
      {
        ordinal: 0,
        text: 'Intro\n\nKeel is a platform.',
        kind: 'text',
        location: { page: 1 },
        tokenCount: 5,
      },
      {
        ordinal: 1,
        text: 'Intro > Setup\n\nInstall Node.\n\nRun npm ci.',
        kind: 'text',
        location: { page: 1, pages: [1, 2] },
        tokenCount: 8,
      },
      { ordinal: 2, text: 'Usage\n\nStart the server.', kind: 'text', location: { page: 3 }, tokenCount: 4 },
    ]);
  });

  it('packs whole paragraphs up to the chunk size', () => {
    const blocks = Array.from({ length: 6 }, (_, index) => paragraph(sentence(index)));
    const chunks = chunkDocument(doc(blocks), { strategy: 'paragraph', chunkSize: 20, countTokens: words });
    expect(chunks.map((chunk) => chunk.tokenCount)).toEqual([18, 18, 18]);
    expect(chunks[0]?.text).toBe(`${sentence(0)}\n\n${sentence(1)}`);
  });

  it('splits a paragraph only when it alone is too big, at sentence ends', () => {
    const long = Array.from({ length: 5 }, (_, index) => sentence(index)).join(' ');
    const chunks = chunkDocument(doc([heading('Notes', 1), paragraph(long), paragraph('Short.')]), {
      strategy: 'paragraph',
      chunkSize: 20,
      countTokens: words,
    });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      `Notes\n\n${sentence(0)} ${sentence(1)}`,
      `Notes\n\n${sentence(2)} ${sentence(3)}`,
      `Notes\n\n${sentence(4)}`,
      'Notes\n\nShort.',
    ]);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(20);
  });

  it('keeps a heading that has nothing under it', () => {
    const chunks = chunkDocument(doc([heading('Appendix', 1), heading('Glossary', 1), paragraph('Terms.')]), {
      strategy: 'paragraph',
    });
    expect(chunks.map((chunk) => chunk.text)).toEqual(['Appendix', 'Glossary\n\nTerms.']);
  });

  it('breaks at slides and notes, and starts the heading path over on each slide', () => {
    const deck = doc(
      [
        { kind: 'heading', text: 'Roadmap', level: 1, location: { slide: 1, part: 'body' } },
        { kind: 'paragraph', text: 'Ship search.', location: { slide: 1, part: 'body' } },
        { kind: 'paragraph', text: 'Mention the date.', location: { slide: 1, part: 'notes' } },
        { kind: 'paragraph', text: 'Untitled slide.', location: { slide: 2, part: 'body' } },
      ],
      'pptx',
    );
    expect(chunkDocument(deck).map(({ text, location }) => ({ text, location }))).toEqual([
      { text: 'Roadmap\n\nShip search.', location: { slide: 1, part: 'body' } },
      { text: 'Roadmap\n\nMention the date.', location: { slide: 1, part: 'notes' } },
      { text: 'Untitled slide.', location: { slide: 2, part: 'body' } },
    ]);
  });
});

describe('table-unit chunking', () => {
  it('keeps a small table whole, named by its heading', () => {
    const chunks = chunkDocument(doc([sheetHeading('Servers'), sheetTable('Servers', 3)], 'xlsx'));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({
      kind: 'table',
      location: { sheet: 'Servers', range: 'A1:D4' },
      text: 'Servers\n\nHost | Region | CPU | Memory\nhost-1 | eu | 0 | 0\nhost-2 | eu | 1 | 2\nhost-3 | eu | 2 | 4',
    });
  });

  it('splits a large table between rows, repeating the header and narrowing the range', () => {
    const table = sheetTable('Sheet2', 39);
    // Budget: 100 - (prefix 1 + header 7 + 1) = 91 tokens; a row costs 7 + 1 = 8 → 11 rows a part.
    const chunks = chunkDocument(doc([sheetHeading('Sheet2'), table], 'xlsx'), {
      strategy: 'table',
      chunkSize: 100,
      countTokens: words,
    });
    expect(chunks.map((chunk) => chunk.location)).toEqual([
      { sheet: 'Sheet2', range: 'A1:D12' },
      { sheet: 'Sheet2', range: 'A13:D23' },
      { sheet: 'Sheet2', range: 'A24:D34' },
      { sheet: 'Sheet2', range: 'A35:D40' },
    ]);
    const rows = chunks.flatMap((chunk) => chunk.text.split('\n').slice(3));
    expect(rows).toEqual(table.table?.rows.map((row) => row.join(' | ')));
    for (const chunk of chunks) {
      expect(chunk.kind).toBe('table');
      expect(chunk.text.startsWith('Sheet2\n\nHost | Region | CPU | Memory\n')).toBe(true);
      expect(chunk.tokenCount).toBeLessThanOrEqual(100);
    }
  });

  it('never splits a row, even one longer than the chunk', () => {
    const long = Array.from({ length: 30 }, (_, index) => `w${index}`).join(' ');
    const table = {
      header: ['Key', 'Value'],
      rows: [
        ['a', 'short'],
        ['b', long],
        ['c', 'short'],
      ],
    };
    const block: Block = { kind: 'table', text: tableText(table), location: { page: 4 }, table };
    const chunks = chunkDocument(doc([block]), { chunkSize: 10, overlap: 2, countTokens: words });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      'Key | Value\na | short',
      `Key | Value\nb | ${long}`,
      'Key | Value\nc | short',
    ]);
    expect(chunks.every((chunk) => chunk.location.constructor === Object && 'page' in chunk.location)).toBe(
      true,
    );
  });

  it('gives CSV parts the line of their first row', () => {
    const table = {
      header: ['a', 'b'],
      rows: [
        ['1', '2'],
        ['3', '4'],
      ],
      headerRef: 1,
      rowRefs: [2, 5],
    };
    const block: Block = { kind: 'table', text: tableText(table), location: { line: 1 }, table };
    const chunks = chunkDocument(doc([block], 'csv'), { chunkSize: 8, overlap: 0, countTokens: words });
    expect(chunks.map((chunk) => chunk.location)).toEqual([{ line: 1 }, { line: 5 }]);
  });
});

describe('fixed-length chunking', () => {
  const blocks = Array.from({ length: 10 }, (_, index) => paragraph(sentence(index, 12), index + 1));

  it('slides a window of chunkSize tokens with the overlap, across blocks', () => {
    const chunks = chunkDocument(doc(blocks), {
      strategy: 'fixed',
      chunkSize: 30,
      overlap: 6,
      countTokens: words,
    });
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(30);
    for (let i = 1; i < chunks.length; i++) {
      const previous = (chunks[i - 1]?.text ?? '').split(/\s+/);
      const current = (chunks[i]?.text ?? '').split(/\s+/);
      expect(current.slice(0, 6)).toEqual(previous.slice(-6));
    }
    const all = blocks.map((block) => block.text).join(' ');
    expect(chunks.at(-1)?.text.split(/\s+/).at(-1)).toBe(all.split(' ').at(-1));
  });

  it('keeps the pages each window covers', () => {
    const chunks = chunkDocument(doc(blocks), {
      strategy: 'fixed',
      chunkSize: 30,
      overlap: 0,
      countTokens: words,
    });
    expect(chunks[0]?.location).toEqual({ page: 1, pages: [1, 3] });
    expect(chunks[1]?.location).toEqual({ page: 3, pages: [3, 5] });
  });

  it('takes the union of sheet rows a window covers, and cuts long unspaced text', () => {
    const [table] = [sheetTable('Data', 10)];
    const chunks = chunkDocument(doc([table as Block], 'xlsx'), {
      strategy: 'fixed',
      chunkSize: 30,
      overlap: 0,
      countTokens: words,
    });
    expect(chunks.map((chunk) => chunk.location)).toEqual([
      { sheet: 'Data', range: 'A1:D5' },
      // Windows cut anywhere, rows too: row 5 ends the first window and starts the second.
      { sheet: 'Data', range: 'A5:D9' },
      { sheet: 'Data', range: 'A9:D11' },
    ]);
    const cjk = chunkDocument(doc([paragraph('漢'.repeat(300))]), {
      strategy: 'fixed',
      chunkSize: 100,
      overlap: 10,
    });
    expect(cjk.every((chunk) => chunk.tokenCount <= 100)).toBe(true);
  });
});

describe('image captions and auto', () => {
  it('makes OCR text image-caption chunks', () => {
    const image = doc(
      [{ kind: 'image-caption', text: 'Quarterly report', location: { image: true } }],
      'image',
    );
    expect(chunkDocument(image)).toEqual([
      {
        ordinal: 0,
        text: 'Quarterly report',
        kind: 'image-caption',
        location: { image: true },
        tokenCount: 5,
      },
    ]);
  });

  it('chunks tables by table unit and the rest by paragraph', () => {
    const table = { header: ['Tool', 'Version'], rows: [['Node', '20']] };
    const chunks = chunkDocument(
      doc(
        [
          heading('Setup', 1),
          paragraph('Install these.'),
          { kind: 'table', text: tableText(table), location: { page: 2 }, table },
          paragraph('Then run it.', 2),
        ],
        'docx',
      ),
    );
    expect(chunks.map(({ kind, text }) => ({ kind, text }))).toEqual([
      { kind: 'text', text: 'Setup\n\nInstall these.' },
      { kind: 'table', text: 'Setup\n\nTool | Version\nNode | 20' },
      { kind: 'text', text: 'Setup\n\nThen run it.' },
    ]);
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual([0, 1, 2]);
  });

  it('rejects sizes that cannot work', () => {
    expect(() => chunkDocument(doc([]), { chunkSize: 0 })).toThrow(RangeError);
    expect(() => chunkDocument(doc([]), { chunkSize: 50, overlap: 50 })).toThrow(RangeError);
  });
});
