import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MIME } from '../detect.js';
import { extractDocument } from '../extract-document.js';
import { deflatedZeros, makeXlsx, makeZip } from '../testing/make-files.js';
import { columnName } from './xlsx.js';

const xlsx = (bytes: Uint8Array, limits = {}) =>
  extractDocument(bytes, { mime: MIME.xlsx, filename: 'book.xlsx', limits });

describe('XLSX extraction', () => {
  it('reads each sheet as a table located by its A1 range', async () => {
    const bytes = await makeXlsx([
      {
        name: 'Servers',
        rows: [
          ['Host', 'CPU %', 'Since'],
          ['web-1', 81.5, new Date(Date.UTC(2026, 0, 15))],
          [null, null, null],
          ['db-1', 0.1 + 0.2, new Date(Date.UTC(2026, 1, 1, 9, 30))],
        ],
      },
      { name: 'Notes', rows: [['Owner'], ['Ops team']], origin: { row: 3, column: 2 } },
    ]);
    const doc = await xlsx(bytes);
    expect(doc.kind).toBe('xlsx');
    expect(doc.sheetCount).toBe(2);
    expect(doc.metadata.author).toBe('Keel Tests');
    expect(doc.blocks).toEqual([
      { kind: 'heading', text: 'Servers', level: 1, location: { sheet: 'Servers', range: 'A1:C4' } },
      {
        kind: 'table',
        text: 'Host | CPU % | Since\nweb-1 | 81.5 | 2026-01-15\ndb-1 | 0.3 | 2026-02-01 09:30:00',
        location: { sheet: 'Servers', range: 'A1:C4' },
        table: {
          header: ['Host', 'CPU %', 'Since'],
          rows: [
            ['web-1', '81.5', '2026-01-15'],
            ['db-1', '0.3', '2026-02-01 09:30:00'],
          ],
          headerRef: 1,
          rowRefs: [2, 4],
        },
      },
      { kind: 'heading', text: 'Notes', level: 1, location: { sheet: 'Notes', range: 'B3:B4' } },
      {
        kind: 'table',
        text: 'Owner\nOps team',
        location: { sheet: 'Notes', range: 'B3:B4' },
        table: { header: ['Owner'], rows: [['Ops team']], headerRef: 3, rowRefs: [4] },
      },
    ]);
  });

  it('shows formulas by their result and merged cells once', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Calc');
    sheet.getCell('A1').value = 'Total';
    sheet.getCell('B1').value = { formula: 'SUM(2,3)', result: 5 };
    sheet.mergeCells('A2:B2');
    sheet.getCell('A2').value = 'merged';
    const doc = await xlsx(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(doc.blocks[1]?.table).toMatchObject({ header: ['Total', '5'], rows: [['merged', '']] });
  });

  it('fails a workbook without rows as empty', async () => {
    await expect(xlsx(await makeXlsx([{ name: 'Empty', rows: [] }]))).rejects.toMatchObject({
      reason: 'empty',
    });
  });

  it('refuses too many sheets and zip bombs', async () => {
    const three = await makeXlsx(['a', 'b', 'c'].map((name) => ({ name, rows: [['x']] })));
    await expect(xlsx(three, { maxSheets: 2 })).rejects.toMatchObject({ reason: 'too_large' });
    // Declares 4 KB, inflates to 30 MB: stopped at the (here 10 MB) limit, before exceljs runs.
    const liar = makeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'xl/worksheets/sheet1.xml', data: '', compressed: deflatedZeros(30), declaredSize: 4096 },
    ]);
    await expect(xlsx(liar, { maxUncompressedBytes: 10 * 1024 * 1024 })).rejects.toMatchObject({
      reason: 'zip_bomb',
    });
  });

  it('names columns the way Excel does', () => {
    expect([1, 26, 27, 52, 702, 703, 16384].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'ZZ',
      'AAA',
      'XFD',
    ]);
  });
});
