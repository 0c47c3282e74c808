import type { ExtractionRun } from '../run.js';

/** Counts an extractor reports besides the blocks it pushed into the run. */
export interface ExtractorResult {
  pageCount?: number;
  sheetCount?: number;
  slideCount?: number;
}

/** One format's extractor: reads `bytes`, pushes blocks into `run`, reports counts. */
export type Extractor = (bytes: Uint8Array, run: ExtractionRun) => Promise<ExtractorResult>;
