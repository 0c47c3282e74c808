import type { ChunkLocation } from '../chunking/index.js';
import type { ChunkRow, DocumentRow } from './documents.repository.js';

export const exportFormats = ['json', 'csv', 'md', 'txt'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportContentTypes: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** "page 12", "pages 3–5", "Sheet2!A1:D40", "slide 4 notes", "image", "line 7". */
export function locationLabel(location: ChunkLocation): string {
  if ('page' in location) {
    const pages = 'pages' in location ? location.pages : undefined;
    return pages && pages[0] !== pages[1] ? `pages ${pages[0]}–${pages[1]}` : `page ${location.page}`;
  }
  if ('sheet' in location) return `${location.sheet}!${location.range}`;
  if ('slide' in location) {
    const slides = 'slides' in location ? location.slides : undefined;
    const which =
      slides && slides[0] !== slides[1] ? `slides ${slides[0]}–${slides[1]}` : `slide ${location.slide}`;
    return location.part === 'notes' ? `${which} notes` : which;
  }
  if ('image' in location) return 'image';
  return `line ${location.line}`;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled.
 * A field that a spreadsheet would run as a formula (`=`, `+`, `@`, tab, CR, or `-` not followed
 * by a space) is prefixed with `'` (OWASP's CSV injection advice); Markdown list items keep their `- `.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^([=+@\t\r]|-(?! ))/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The download's name: the upload's name without its extension, plus the format's. */
export function exportFilename(filename: string, format: ExportFormat): string {
  const stem = filename.replace(/\.[A-Za-z0-9]{1,8}$/, '') || 'document';
  return `${stem}.${format}`;
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The export, a piece at a time, from pages of chunks read in order. */
export async function* exportDocument(
  format: ExportFormat,
  doc: DocumentRow,
  pages: AsyncIterable<ChunkRow[]>,
): AsyncGenerator<string> {
  if (format === 'json') {
    const head = {
      document: {
        id: doc.id,
        filename: doc.filename,
        mime_type: doc.mimeType,
        page_count: doc.pageCount,
        sheet_count: doc.sheetCount,
        slide_count: doc.slideCount,
        chunk_count: doc.chunkCount,
        metadata: doc.metadata,
      },
    };
    yield `${JSON.stringify(head).slice(0, -1)},"chunks":[`;
    let first = true;
    for await (const page of pages) {
      for (const chunk of page) {
        yield `${first ? '' : ','}${JSON.stringify({
          ordinal: chunk.ordinal,
          kind: chunk.kind,
          location: chunk.location,
          label: locationLabel(chunk.location),
          token_count: chunk.tokenCount,
          text: chunk.text,
        })}`;
        first = false;
      }
    }
    yield ']}\n';
    return;
  }
  if (format === 'csv') {
    yield 'ordinal,kind,location,token_count,text\r\n';
    for await (const page of pages) {
      yield page
        .map(
          (c) =>
            `${[c.ordinal, csvField(c.kind), csvField(locationLabel(c.location)), c.tokenCount, csvField(c.text)].join(',')}\r\n`,
        )
        .join('');
    }
    return;
  }
  if (format === 'md') {
    yield `# ${doc.filename}\n\n`;
    for await (const page of pages) {
      yield page.map((c) => `## ${c.ordinal + 1}. ${locationLabel(c.location)}\n\n${c.text}\n\n`).join('');
    }
    return;
  }
  let first = true;
  for await (const page of pages) {
    for (const chunk of page) {
      yield `${first ? '' : '\n\n'}${chunk.text}`;
      first = false;
    }
  }
  yield '\n';
}
