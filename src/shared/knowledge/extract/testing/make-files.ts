import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';

/**
 * Real files for tests, made in memory: PDFs written object by object with a correct xref,
 * OOXML packages zipped by hand (so a test can also lie about sizes), workbooks by exceljs.
 */

// ——— PDF ———

/**
 * One line of a test PDF page: text, or `''` for a blank line (a paragraph break). A line starting
 * with `# ` is set in 20 pt (a heading), others in 11 pt.
 */
export type PdfLine = string;

export function makePdf(pages: PdfLine[][], info: { title?: string } = {}): Uint8Array {
  const pdfString = (text: string) => text.replace(/[\\()]/g, (char) => `\\${char}`);
  const bodies = new Map<number, string>();
  const pageIds: number[] = [];
  let next = 5;
  for (const lines of pages) {
    let y = 760;
    const operations: string[] = [];
    for (const line of lines) {
      const heading = line.startsWith('# ');
      const size = heading ? 20 : 11;
      y -= line === '' ? 10 : size * 1.3;
      if (line === '') continue;
      const text = heading ? line.slice(2) : line;
      operations.push(`BT /F1 ${size} Tf 72 ${y.toFixed(1)} Td (${pdfString(text)}) Tj ET`);
    }
    const content = operations.join('\n');
    const pageId = next++;
    const contentId = next++;
    pageIds.push(pageId);
    bodies.set(
      pageId,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`,
    );
    bodies.set(
      contentId,
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    );
  }
  bodies.set(1, '<< /Type /Catalog /Pages 2 0 R >>');
  bodies.set(
    2,
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`,
  );
  bodies.set(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  bodies.set(4, `<< /Title (${pdfString(info.title ?? '')}) /Producer (keel tests) >>`);

  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < next; id++) {
    offsets[id] = Buffer.byteLength(out, 'latin1');
    out += `${id} 0 obj\n${bodies.get(id)}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${next}\n0000000000 65535 f \n`;
  for (let id = 1; id < next; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${next} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

// ——— ZIP ———

export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** Default: deflate. */
  method?: 'store' | 'deflate';
  /** The compressed bytes to write instead of deflating `data` (with `uncompressedSize`). */
  compressed?: Uint8Array;
  /** What the directory claims; defaults to the true size. */
  declaredSize?: number;
}

/** A ZIP archive written field by field, so tests control what its directory declares. */
export function makeZip(inputs: ZipInput[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const input of inputs) {
    const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : Buffer.from(input.data);
    const method = input.method === 'store' ? 0 : 8;
    const compressed = input.compressed
      ? Buffer.from(input.compressed)
      : method === 8
        ? deflateRawSync(data)
        : data;
    const size = input.declaredSize ?? data.length;
    const name = Buffer.from(input.name, 'utf8');
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(inputs.length, 8);
  end.writeUInt16LE(inputs.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/**
 * `megabytes` MB of zeros, raw-deflated one MB at a time: zlib's output for a block of zeros
 * repeats, so this costs one MB of work and ~1 KB per MB of output.
 */
export function deflatedZeros(megabytes: number): Uint8Array {
  const block = Buffer.alloc(1024 * 1024);
  // A full flush ends each block on a byte boundary with a fresh dictionary, so the blocks can be
  // concatenated; an empty final block ends the stream.
  const piece = deflateRawSync(block, { finishFlush: 3 /* Z_FULL_FLUSH */ });
  const final = deflateRawSync(Buffer.alloc(0));
  return new Uint8Array(Buffer.concat([...Array<Buffer>(megabytes).fill(piece), final]));
}

// ——— OOXML ———

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`;

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function rels(entries: { id: string; type: string; target: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${entries
    .map((entry) => `<Relationship Id="${entry.id}" Type="${REL}/${entry.type}" Target="${entry.target}"/>`)
    .join('')}</Relationships>`;
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** Escapes text for XML. */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A paragraph of `word/document.xml`, optionally styled (`Heading1`) and after a page break. */
export function docxParagraph(
  text: string,
  options: { style?: string; pageBreakBefore?: boolean } = {},
): string {
  const properties = options.style ? `<w:pPr><w:pStyle w:val="${options.style}"/></w:pPr>` : '';
  const pageBreak = options.pageBreakBefore ? '<w:r><w:lastRenderedPageBreak/></w:r>' : '';
  return `<w:p>${properties}${pageBreak}<w:r><w:t xml:space="preserve">${xmlText(text)}</w:t></w:r></w:p>`;
}

export function docxTable(rows: string[][]): string {
  return `<w:tbl><w:tblPr/>${rows
    .map(
      (row) =>
        `<w:tr>${row.map((cell) => `<w:tc><w:p><w:r><w:t>${xmlText(cell)}</w:t></w:r></w:p></w:tc>`).join('')}</w:tr>`,
    )
    .join('')}</w:tbl>`;
}

/** A .docx with the given body XML, Word's built-in heading styles, and a title. */
export function makeDocx(body: string, options: { title?: string } = {}): Uint8Array {
  const headingStyles = [1, 2, 3]
    .map(
      (level) =>
        `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="${level - 1}"/></w:pPr></w:style>`,
    )
    .join('');
  return makeZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    {
      name: '_rels/.rels',
      data: rels([{ id: 'rId1', type: 'officeDocument', target: 'word/document.xml' }]),
    },
    {
      name: 'word/_rels/document.xml.rels',
      data: rels([{ id: 'rId1', type: 'styles', target: 'styles.xml' }]),
    },
    {
      name: 'word/document.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${W}><w:body>${body}<w:sectPr/></w:body></w:document>`,
    },
    {
      name: 'word/styles.xml',
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles ${W}><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>${headingStyles}</w:styles>`,
    },
    {
      name: 'docProps/core.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${xmlText(options.title ?? '')}</dc:title><dc:creator>Keel Tests</dc:creator></cp:coreProperties>`,
    },
  ]);
}

export interface PptxSlide {
  title?: string;
  body?: string[];
  table?: string[][];
  notes?: string;
}

const PML =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';

function shape(text: string[], placeholder?: string): string {
  const ph = placeholder ? `<p:nvPr><p:ph type="${placeholder}"/></p:nvPr>` : '<p:nvPr/>';
  const paragraphs = text
    .map((line) => `<a:p><a:r><a:rPr lang="en-US"/><a:t>${xmlText(line)}</a:t></a:r></a:p>`)
    .join('');
  return `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Shape"/><p:cNvSpPr/>${ph}</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${paragraphs}</p:txBody></p:sp>`;
}

function tableFrame(rows: string[][]): string {
  const cells = rows
    .map(
      (row) =>
        `<a:tr h="100">${row.map((cell) => `<a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>${xmlText(cell)}</a:t></a:r></a:p></a:txBody></a:tc>`).join('')}</a:tr>`,
    )
    .join('');
  return `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="Table"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>${cells}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;
}

/**
 * A .pptx whose slides are listed in `order` (indexes into `slides`) — the files are numbered in
 * the given order, so a test can check that presentation order, not file order, wins.
 */
export function makePptx(slides: PptxSlide[], order: number[] = slides.map((_, index) => index)): Uint8Array {
  const files: ZipInput[] = [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    {
      name: '_rels/.rels',
      data: rels([{ id: 'rId1', type: 'officeDocument', target: 'ppt/presentation.xml' }]),
    },
  ];
  slides.forEach((slide, index) => {
    const number = index + 1;
    const tree = [
      slide.title ? shape([slide.title], 'title') : '',
      slide.body ? shape(slide.body, 'body') : '',
      slide.table ? tableFrame(slide.table) : '',
    ].join('');
    files.push({
      name: `ppt/slides/slide${number}.xml`,
      data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:sld ${PML}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${tree}</p:spTree></p:cSld></p:sld>`,
    });
    if (slide.notes) {
      files.push({
        name: `ppt/slides/_rels/slide${number}.xml.rels`,
        data: rels([{ id: 'rId2', type: 'notesSlide', target: `../notesSlides/notesSlide${number}.xml` }]),
      });
      files.push({
        name: `ppt/notesSlides/notesSlide${number}.xml`,
        data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:notes ${PML}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shape([''], 'sldImg')}${shape([slide.notes], 'body')}${shape([String(number)], 'sldNum')}</p:spTree></p:cSld></p:notes>`,
      });
    }
  });
  files.push({
    name: 'ppt/_rels/presentation.xml.rels',
    data: rels(
      slides.map((_, index) => ({
        id: `rId${index + 10}`,
        type: 'slide',
        target: `slides/slide${index + 1}.xml`,
      })),
    ),
  });
  files.push({
    name: 'ppt/presentation.xml',
    data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:presentation ${PML}><p:sldIdLst>${order
      .map((index) => `<p:sldId id="${256 + index}" r:id="rId${index + 10}"/>`)
      .join('')}</p:sldIdLst></p:presentation>`,
  });
  return makeZip(files);
}

/** A workbook with the given sheets (rows of cell values, written from A1 unless `origin` says). */
export async function makeXlsx(
  sheets: {
    name: string;
    rows: (string | number | Date | null)[][];
    origin?: { row: number; column: number };
  }[],
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Keel Tests';
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    const origin = sheet.origin ?? { row: 1, column: 1 };
    sheet.rows.forEach((row, r) => {
      row.forEach((value, c) => {
        if (value !== null) worksheet.getCell(origin.row + r, origin.column + c).value = value;
      });
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
