import { describe, expect, it } from 'vitest';
import { MIME } from '../detect.js';
import { extractDocument } from '../extract-document.js';
import { parseCsv } from './csv.js';

const extract = (mime: string, text: string, filename?: string) =>
  extractDocument(new TextEncoder().encode(text), { mime, filename });

describe('plain text', () => {
  it('splits paragraphs at blank lines, located by their first line', async () => {
    const doc = await extract(MIME.text, 'First paragraph\nstill first.\r\n\r\n\nSecond one.\n');
    expect(doc.kind).toBe('text');
    expect(doc.blocks).toEqual([
      { kind: 'paragraph', text: 'First paragraph\nstill first.', location: { line: 1 } },
      { kind: 'paragraph', text: 'Second one.', location: { line: 5 } },
    ]);
  });

  it('fails blank text as empty', async () => {
    await expect(extract(MIME.text, ' \n\n\t\n')).rejects.toMatchObject({ reason: 'empty' });
  });
});

describe('Markdown', () => {
  it('reads headings from #, setext underlines, fenced code and pipe tables', async () => {
    const source = [
      '# Guide',
      '',
      'Read the **whole** [guide](https://example.com).',
      '',
      'Setup',
      '-----',
      '',
      '```sh',
      '# not a heading',
      'npm ci',
      '```',
      '',
      '| Key | Value |',
      '|-----|------:|',
      '| a   | 1     |',
      '| b \\| c | 2 |',
      '',
      '### Deep ###',
      'Last words.',
    ].join('\n');
    const doc = await extract(MIME.markdown, source);
    expect(doc.blocks).toEqual([
      { kind: 'heading', text: 'Guide', level: 1, location: { line: 1 } },
      { kind: 'paragraph', text: 'Read the whole guide.', location: { line: 3 } },
      { kind: 'heading', text: 'Setup', level: 2, location: { line: 5 } },
      { kind: 'paragraph', text: '# not a heading\nnpm ci', location: { line: 8 } },
      {
        kind: 'table',
        text: 'Key | Value\na | 1\nb | c | 2',
        location: { line: 13 },
        table: {
          header: ['Key', 'Value'],
          rows: [
            ['a', '1'],
            ['b | c', '2'],
          ],
          headerRef: 13,
          rowRefs: [15, 16],
        },
      },
      { kind: 'heading', text: 'Deep', level: 3, location: { line: 18 } },
      { kind: 'paragraph', text: 'Last words.', location: { line: 19 } },
    ]);
  });

  it('stays linear on pathological lines', async () => {
    const started = performance.now();
    await extract(
      MIME.markdown,
      `# ${' '.repeat(200_000)}x\n${'['.repeat(200_000)}\n${'**a '.repeat(50_000)}`,
    );
    // Quadratic work on 200 000-character lines would take minutes; the bound is loose on purpose.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('HTML', () => {
  it('drops scripts and styles, reads headings, paragraphs and tables', async () => {
    const source = `<!DOCTYPE html>
<html><head><title>Status page</title><style>p { color: red }</style><script>var secret = 1;</script></head>
<body>
<h1>Status</h1>
<p>All systems
   operational.<br>Last check: today.</p>
<div hidden>invisible</div>
<h2>Latency</h2>
<table>
  <thead><tr><th>Region</th><th>p95 &amp; p99</th></tr></thead>
  <tbody><tr><td>eu</td><td>12 ms</td></tr><tr><td>us</td><td><table><tr><td>nested</td></tr></table></td></tr></tbody>
</table>
<ul><li>one</li><li>two</li></ul>
</body></html>`;
    const doc = await extract(MIME.html, source);
    expect(doc.metadata.title).toBe('Status page');
    expect(doc.blocks).toEqual([
      { kind: 'heading', text: 'Status', level: 1, location: { line: 4 } },
      { kind: 'paragraph', text: 'All systems operational.\nLast check: today.', location: { line: 5 } },
      { kind: 'heading', text: 'Latency', level: 2, location: { line: 8 } },
      {
        kind: 'table',
        text: 'Region | p95 & p99\neu | 12 ms\nus | nested',
        location: { line: 9 },
        table: {
          header: ['Region', 'p95 & p99'],
          rows: [
            ['eu', '12 ms'],
            ['us', 'nested'],
          ],
        },
      },
      { kind: 'paragraph', text: 'one', location: { line: 13 } },
      { kind: 'paragraph', text: 'two', location: { line: 13 } },
    ]);
  });
});

describe('CSV', () => {
  it('parses quoted fields with delimiters, quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\n1,"multi\nline",3\r\n')).toEqual([
      { cells: ['a', 'b, c', 'say "hi"'], line: 1 },
      { cells: ['1', 'multi\nline', '3'], line: 2 },
    ]);
  });

  it('reads a CSV file as one table with row line numbers', async () => {
    const doc = await extract(MIME.csv, 'name;city\n\nAda;London\n"Turing; Alan";Wilmslow\n', 'people.csv');
    expect(doc.blocks).toEqual([
      {
        kind: 'table',
        text: 'name | city\nAda | London\nTuring; Alan | Wilmslow',
        location: { line: 1 },
        table: {
          header: ['name', 'city'],
          rows: [
            ['Ada', 'London'],
            ['Turing; Alan', 'Wilmslow'],
          ],
          headerRef: 1,
          rowRefs: [3, 4],
        },
      },
    ]);
  });

  it('reads TSV by its name', async () => {
    const doc = await extract(MIME.csv, 'a\tb\n1\t2\n', 'data.tsv');
    expect(doc.blocks[0]?.table?.rows).toEqual([['1', '2']]);
  });
});

describe('JSON', () => {
  it('reads an array of flat objects as a table', async () => {
    const doc = await extract(
      MIME.json,
      JSON.stringify([
        { id: 1, name: 'web' },
        { id: 2, up: false },
      ]),
    );
    expect(doc.blocks[0]?.table).toEqual({
      header: ['id', 'name', 'up'],
      rows: [
        ['1', 'web', ''],
        ['2', '', 'false'],
      ],
    });
  });

  it('flattens other JSON to path: value lines, one paragraph per top-level member', async () => {
    const doc = await extract(
      MIME.json,
      JSON.stringify({ server: { host: 'db-1', ports: [5432, 6432] }, 'odd key': null, tags: [] }),
    );
    expect(doc.blocks.map((block) => block.text)).toEqual([
      'server.host: db-1\nserver.ports[0]: 5432\nserver.ports[1]: 6432',
      '["odd key"]: null',
      'tags: []',
    ]);
  });

  it('fails invalid JSON as corrupt and {} as empty', async () => {
    await expect(extract(MIME.json, '{"a": ')).rejects.toMatchObject({ reason: 'corrupt' });
    await expect(extract(MIME.json, '{}')).rejects.toMatchObject({ reason: 'empty' });
  });
});
