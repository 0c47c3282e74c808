import { MIME } from './detect.js';
import { ExtractionError } from './extract.errors.js';
import { resolveLimits } from './extract.limits.js';
import type { DocumentKind, ExtractedDocument, ExtractOptions } from './extract.types.js';
import { extractCsv } from './formats/csv.js';
import { extractDocx } from './formats/docx.js';
import type { Extractor } from './formats/extractor.js';
import { extractHtml } from './formats/html.js';
import { extractImage } from './formats/image.js';
import { extractJson } from './formats/json.js';
import { extractMarkdown } from './formats/markdown.js';
import { extractPdf } from './formats/pdf.js';
import { extractPptx } from './formats/pptx.js';
import { extractPlainText } from './formats/text.js';
import { extractXlsx } from './formats/xlsx.js';
import { createRun, RunTimeout } from './run.js';

const sync =
  (extract: (bytes: Uint8Array, run: Parameters<Extractor>[1]) => void): Extractor =>
  async (bytes, run) => {
    extract(bytes, run);
    return {};
  };

const EXTRACTORS: Record<string, { kind: DocumentKind; extract: Extractor }> = {
  [MIME.pdf]: { kind: 'pdf', extract: extractPdf },
  [MIME.docx]: { kind: 'docx', extract: extractDocx },
  [MIME.xlsx]: { kind: 'xlsx', extract: extractXlsx },
  [MIME.pptx]: { kind: 'pptx', extract: extractPptx },
  [MIME.png]: { kind: 'image', extract: extractImage },
  [MIME.jpeg]: { kind: 'image', extract: extractImage },
  [MIME.gif]: { kind: 'image', extract: extractImage },
  [MIME.webp]: { kind: 'image', extract: extractImage },
  [MIME.tiff]: { kind: 'image', extract: extractImage },
  [MIME.bmp]: { kind: 'image', extract: extractImage },
  [MIME.text]: { kind: 'text', extract: sync(extractPlainText) },
  [MIME.markdown]: { kind: 'markdown', extract: sync(extractMarkdown) },
  [MIME.html]: { kind: 'html', extract: sync(extractHtml) },
  [MIME.csv]: { kind: 'csv', extract: sync(extractCsv) },
  [MIME.json]: { kind: 'json', extract: sync(extractJson) },
};

/** Every MIME type `extractDocument` reads. */
export const SUPPORTED_MIME_TYPES: readonly string[] = Object.keys(EXTRACTORS);

const SUPPORTED_LIST =
  'PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), images (PNG, JPEG, GIF, WebP, BMP, TIFF), text, Markdown, HTML, CSV and JSON';

/**
 * Extracts a document's text as located blocks. Never throws anything but `ExtractionError`
 * (whatever a parser throws on hostile input is classified, as `corrupt` by default) — except
 * when the caller aborts with a reason other than a timeout: that reason is rethrown as is.
 *
 * @example
 * const type = detectType(bytes, 'report.pdf');
 * const doc = await extractDocument(bytes, { mime: type.mime, filename: 'report.pdf' });
 * doc.blocks[0]; // { kind: 'heading', text: 'Quarterly report', level: 1, location: { page: 1 } }
 */
export async function extractDocument(
  bytes: Uint8Array,
  options: ExtractOptions,
): Promise<ExtractedDocument> {
  const limits = resolveLimits(options.limits);
  if (bytes.length === 0 || options.mime === MIME.empty) {
    throw new ExtractionError('empty', 'the file is empty');
  }
  if (bytes.length > limits.maxBytes) {
    throw new ExtractionError(
      'too_large',
      `the file is ${Math.ceil(bytes.length / 1024 / 1024)} MB; the limit is ${Math.floor(limits.maxBytes / 1024 / 1024)} MB`,
    );
  }
  const mime = options.mime.split(';')[0]?.trim().toLowerCase() ?? '';
  const extractor = EXTRACTORS[mime];
  if (!extractor) throw unsupported(mime);

  const run = createRun({
    limits,
    filename: options.filename,
    ocr: options.ocr,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  try {
    const stopped = new Promise<never>((_, reject) => {
      run.signal.addEventListener('abort', () => reject(run.signal.reason), { once: true });
    });
    run.checkpoint();
    const work = extractor.extract(bytes, run);
    // Neither side of the race may reject unhandled once the other has settled.
    stopped.catch(() => undefined);
    work.catch(() => undefined);
    const counts = await Promise.race([work, stopped]);
    run.checkpoint();
    if (!run.blocks.some((block) => block.text.trim() !== '')) throw nothingFound(extractor.kind);
    run.progress(1);
    return { kind: extractor.kind, ...counts, metadata: { ...run.metadata }, blocks: run.blocks };
  } catch (error) {
    throw classify(error, run.signal, limits.timeoutMs);
  } finally {
    run.dispose();
  }
}

function unsupported(mime: string): ExtractionError {
  if (mime === MIME.encryptedOffice) {
    return new ExtractionError(
      'encrypted',
      'the Office file is encrypted; remove the password and upload it again',
    );
  }
  if (mime === MIME.cfb) {
    return new ExtractionError(
      'unsupported',
      'legacy Office files (.doc, .xls, .ppt) are not supported; save the file as .docx, .xlsx or .pptx and upload it again',
    );
  }
  return new ExtractionError(
    'unsupported',
    `this file type is not supported; supported are ${SUPPORTED_LIST}`,
  );
}

function nothingFound(kind: DocumentKind): ExtractionError {
  if (kind === 'pdf' || kind === 'image')
    return new ExtractionError('no_text', `no text was found in the ${kind}`);
  return new ExtractionError('empty', 'the document has no text');
}

function classify(error: unknown, signal: AbortSignal, timeoutMs: number): unknown {
  if (error instanceof ExtractionError) return error;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    const timedOut =
      reason instanceof RunTimeout || (reason as { name?: string } | undefined)?.name === 'TimeoutError';
    if (!timedOut) return reason;
    const seconds =
      reason instanceof RunTimeout ? Math.round(reason.ms / 1000) : Math.round(timeoutMs / 1000);
    return new ExtractionError(
      'timeout',
      `reading the document took longer than ${seconds} s; it may be too large or complex`,
      { cause: reason },
    );
  }
  return new ExtractionError('corrupt', 'the file is damaged or malformed and cannot be read', {
    cause: error,
  });
}
