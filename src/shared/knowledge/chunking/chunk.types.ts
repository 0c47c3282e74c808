/**
 * - `fixed`: a sliding window of `chunkSize` tokens with `overlap`, across blocks;
 * - `paragraph`: whole paragraphs packed up to `chunkSize`, a new chunk at each heading, each chunk
 *   prefixed with its heading path; a paragraph is split (at sentences) only when it alone is too big;
 * - `table`: tables by table unit (never split mid-row, header repeated in each part), the text
 *   between them by fixed windows;
 * - `auto`: tables by table unit, the rest by paragraph.
 * OCR text always becomes `image-caption` chunks.
 */
export type ChunkStrategy = 'fixed' | 'paragraph' | 'table' | 'auto';

export type ChunkKind = 'text' | 'table' | 'image-caption';

/**
 * A block `Location`, widened for chunks that span several blocks: `pages` / `slides` give the
 * first and last when they differ (`page` / `slide` stay the first); a sheet range becomes the
 * union of the ranges covered; a line stays the first line.
 */
export type ChunkLocation =
  | { page: number; pages?: [number, number] }
  | { sheet: string; range: string }
  | { slide: number; part: 'body' | 'notes'; slides?: [number, number] }
  | { image: true }
  | { line: number };

export interface Chunk {
  /** 0-based position in the document. */
  ordinal: number;
  text: string;
  kind: ChunkKind;
  location: ChunkLocation;
  tokenCount: number;
}

export type CountTokens = (text: string) => number;

export interface ChunkOptions {
  /** Default `auto`. */
  strategy?: ChunkStrategy;
  /** Most tokens per chunk (default 500). A single table row larger than this stays whole. */
  chunkSize?: number;
  /** Tokens repeated between consecutive fixed windows (default 50). */
  overlap?: number;
  /** Default `estimateTokens`; pass the embedding model's tokenizer for exact budgets. */
  countTokens?: CountTokens;
}
