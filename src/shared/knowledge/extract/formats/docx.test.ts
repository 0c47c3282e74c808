import { describe, expect, it } from 'vitest';
import { MIME } from '../detect.js';
import { extractDocument } from '../extract-document.js';
import { deflatedZeros, docxParagraph, docxTable, makeDocx, makeZip } from '../testing/make-files.js';

const docx = (bytes: Uint8Array) => extractDocument(bytes, { mime: MIME.docx, filename: 'doc.docx' });

describe('DOCX extraction', () => {
  it('reads headings with levels, paragraphs, tables and the pages Word laid them on', async () => {
    const body = [
      docxParagraph('Handbook', { style: 'Heading1' }),
      docxParagraph('Welcome to the team.'),
      docxParagraph('Setup', { style: 'Heading2' }),
      docxParagraph('Install Node 20 & run npm ci.'),
      docxTable([
        ['Tool', 'Version'],
        ['Node', '20.20'],
        ['npm', '11'],
      ]),
      docxParagraph('Deploying', { style: 'Heading2', pageBreakBefore: true }),
      docxParagraph('Push to main.'),
    ].join('');
    const doc = await docx(makeDocx(body, { title: 'Team handbook' }));
    expect(doc.kind).toBe('docx');
    expect(doc.pageCount).toBe(2);
    expect(doc.metadata).toMatchObject({ title: 'Team handbook', author: 'Keel Tests' });
    expect(doc.blocks).toEqual([
      { kind: 'heading', text: 'Handbook', level: 1, location: { page: 1 } },
      { kind: 'paragraph', text: 'Welcome to the team.', location: { page: 1 } },
      { kind: 'heading', text: 'Setup', level: 2, location: { page: 1 } },
      { kind: 'paragraph', text: 'Install Node 20 & run npm ci.', location: { page: 1 } },
      {
        kind: 'table',
        text: 'Tool | Version\nNode | 20.20\nnpm | 11',
        location: { page: 1 },
        table: {
          header: ['Tool', 'Version'],
          rows: [
            ['Node', '20.20'],
            ['npm', '11'],
          ],
        },
      },
      { kind: 'heading', text: 'Deploying', level: 2, location: { page: 2 } },
      { kind: 'paragraph', text: 'Push to main.', location: { page: 2 } },
    ]);
  });

  it('skips deleted text and field codes, reads a text box once', async () => {
    const body = `<w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>text</w:t></w:r></w:p>
<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>In a box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>In a box</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`;
    const doc = await docx(makeDocx(body));
    expect(doc.blocks.map((block) => block.text)).toEqual(['Kept text', 'In a box']);
  });

  it('counts explicit page breaks when the file has no layout marks', async () => {
    const body = `${docxParagraph('one')}<w:p><w:r><w:br w:type="page"/></w:r><w:r><w:t>two</w:t></w:r></w:p>`;
    const doc = await docx(makeDocx(body));
    expect(doc.blocks.map((block) => block.location)).toEqual([{ page: 1 }, { page: 2 }]);
  });

  it('fails an empty document, a broken one and a zip bomb with their reasons', async () => {
    await expect(docx(makeDocx(''))).rejects.toMatchObject({ reason: 'empty' });
    await expect(docx(makeDocx(docxParagraph('x')).slice(0, 500))).rejects.toMatchObject({
      reason: 'corrupt',
    });
    const bomb = makeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      {
        name: 'word/document.xml',
        data: '',
        compressed: deflatedZeros(300),
        declaredSize: 300 * 1024 * 1024,
      },
    ]);
    await expect(docx(bomb)).rejects.toMatchObject({ reason: 'zip_bomb' });
  });

  it('refuses an XML part too large to parse in memory', async () => {
    const bytes = makeDocx(docxParagraph('x'.repeat(4000)));
    await expect(
      extractDocument(bytes, { mime: MIME.docx, limits: { maxPartBytes: 2000 } }),
    ).rejects.toMatchObject({ reason: 'too_large', message: expect.stringMatching(/word\/document.xml/) });
  });
});
