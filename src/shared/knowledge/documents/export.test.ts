import { describe, expect, it } from 'vitest';
import type { ChunkRow, DocumentRow } from './documents.repository.js';
import { contentDisposition, csvField, exportDocument, exportFilename, locationLabel } from './export.js';

const doc = {
  id: '00000000-0000-4000-8000-000000000001',
  filename: 'Q3 "report".pdf',
  mimeType: 'application/pdf',
  pageCount: 2,
  sheetCount: null,
  slideCount: null,
  chunkCount: 2,
  metadata: {},
} as unknown as DocumentRow;

const chunks: ChunkRow[] = [
  {
    id: 'a',
    ordinal: 0,
    kind: 'text',
    location: { page: 1 },
    text: 'He said "hi", then\nleft',
    tokenCount: 6,
  },
  {
    id: 'b',
    ordinal: 1,
    kind: 'table',
    location: { sheet: 'Sheet2', range: 'A1:D40' },
    text: '=SUM(A1)',
    tokenCount: 3,
  },
];

async function render(format: 'json' | 'csv' | 'md' | 'txt'): Promise<string> {
  async function* pages() {
    yield chunks;
  }
  let out = '';
  for await (const piece of exportDocument(format, doc, pages())) out += piece;
  return out;
}

describe('document export', () => {
  it('quotes CSV fields as RFC 4180 says and defuses formulas', async () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('- a list item')).toBe('- a list item');
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(await render('csv')).toBe(
      'ordinal,kind,location,token_count,text\r\n0,text,page 1,6,"He said ""hi"", then\nleft"\r\n1,table,Sheet2!A1:D40,3,\'=SUM(A1)\r\n',
    );
  });

  it('writes JSON that parses, Markdown with locations and plain text', async () => {
    const json = JSON.parse(await render('json'));
    expect(json.document.filename).toBe('Q3 "report".pdf');
    expect(json.chunks.map((c: { label: string }) => c.label)).toEqual(['page 1', 'Sheet2!A1:D40']);
    expect(await render('md')).toContain('## 2. Sheet2!A1:D40\n\n=SUM(A1)');
    expect(await render('txt')).toBe('He said "hi", then\nleft\n\n=SUM(A1)\n');
  });

  it('names the download safely', () => {
    expect(exportFilename('Q3 report.pdf', 'csv')).toBe('Q3 report.csv');
    expect(contentDisposition('보고서 "v2".md')).toBe(
      `attachment; filename="___ _v2_.md"; filename*=UTF-8''%EB%B3%B4%EA%B3%A0%EC%84%9C%20%22v2%22.md`,
    );
    expect(locationLabel({ page: 3, pages: [3, 5] })).toBe('pages 3–5');
    expect(locationLabel({ slide: 4, part: 'notes' })).toBe('slide 4 notes');
  });
});
