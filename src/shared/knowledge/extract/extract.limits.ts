const MB = 1024 * 1024;

/** Bounds on what one extraction may read or produce; exceeding one fails the document. */
export interface ExtractionLimits {
  /** Size of the uploaded file. */
  maxBytes: number;
  maxPages: number;
  maxSlides: number;
  maxSheets: number;
  /** Characters of extracted text, all blocks together. */
  maxChars: number;
  /** OOXML: total uncompressed size of the archive's entries, declared and actual. */
  maxUncompressedBytes: number;
  /** OOXML: an entry larger than `ratioMinBytes` must not inflate more than this many times. */
  maxCompressionRatio: number;
  ratioMinBytes: number;
  /** OOXML: entries in the archive. */
  maxZipEntries: number;
  /** OOXML: one XML part (a document body, a worksheet), which is parsed whole in memory. */
  maxPartBytes: number;
  /** Images: width × height, read from the header before decoding. */
  maxImagePixels: number;
  /** Wall time of one extraction. */
  timeoutMs: number;
}

export const defaultLimits: Readonly<ExtractionLimits> = Object.freeze({
  maxBytes: 100 * MB,
  maxPages: 2_000,
  maxSlides: 1_000,
  maxSheets: 200,
  maxChars: 10_000_000,
  maxUncompressedBytes: 200 * MB,
  maxCompressionRatio: 200,
  ratioMinBytes: 10 * MB,
  maxZipEntries: 20_000,
  maxPartBytes: 64 * MB,
  maxImagePixels: 40_000_000,
  timeoutMs: 300_000,
});

export function resolveLimits(limits: Partial<ExtractionLimits> = {}): ExtractionLimits {
  const resolved = { ...defaultLimits };
  for (const key of Object.keys(defaultLimits) as (keyof ExtractionLimits)[]) {
    const value = limits[key];
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}
