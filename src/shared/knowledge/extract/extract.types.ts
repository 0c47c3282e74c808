import type { ExtractionLimits } from './extract.limits.js';

/** What an extracted document was read as. */
export type DocumentKind =
  | 'pdf'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'image'
  | 'text'
  | 'markdown'
  | 'html'
  | 'csv'
  | 'json';

/**
 * Where a block came from, precise enough to cite ("page 12", "Sheet2!A1:D40", "slide 3 notes").
 * DOCX has no stored pages: its `page` is the page Word last laid the text out on
 * (`w:lastRenderedPageBreak`), or counts explicit page breaks when the file has no layout marks.
 */
export type Location =
  | { page: number }
  | { sheet: string; range: string }
  | { slide: number; part: 'body' | 'notes' }
  | { image: true }
  /** Text formats: the 1-based line the block starts on. */
  | { line: number };

export interface TableData {
  header: string[];
  rows: string[][];
  /**
   * The source row of the header and of each row, when the format has numbered rows (sheet row
   * numbers for XLSX, line numbers for CSV): lets a table split into parts narrow its location.
   */
  headerRef?: number;
  rowRefs?: number[];
}

export interface Block {
  kind: 'heading' | 'paragraph' | 'table' | 'image-caption';
  /** Plain text; for a table, its rows as `a | b | c` lines, header first. */
  text: string;
  location: Location;
  /** Heading level, 1 = top. */
  level?: number;
  table?: TableData;
}

export interface ExtractedDocument {
  kind: DocumentKind;
  pageCount?: number;
  sheetCount?: number;
  slideCount?: number;
  /** Title, author, OCR languages, warnings ("Korean OCR data not installed …"). */
  metadata: Record<string, string | number>;
  blocks: Block[];
}

export interface ExtractOptions {
  /** The detected MIME type (from `detectType`), not one the client claimed. */
  mime: string;
  filename?: string;
  limits?: Partial<ExtractionLimits>;
  /** Called with a fraction in [0, 1], never decreasing, ending with 1. */
  onProgress?: (fraction: number) => void;
  /**
   * Stops the extraction. An abort whose reason is a `TimeoutError` (as from `AbortSignal.timeout`)
   * becomes `ExtractionError('timeout')`; any other abort rejects with the signal's reason as is,
   * so a shutdown is not recorded as the document's failure.
   */
  signal?: AbortSignal;
  /** OCR settings; the defaults suit Debian. */
  ocr?: OcrOptions;
}

export interface OcrOptions {
  /**
   * Tesseract language data for Korean (`kor.traineddata`). Default: Debian's
   * `tesseract-ocr-kor` file. When missing, OCR runs in English only and says so in the metadata.
   */
  koreanDataPath?: string;
}
