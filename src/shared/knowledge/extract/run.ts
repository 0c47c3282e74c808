import { ExtractionError } from './extract.errors.js';
import type { ExtractionLimits } from './extract.limits.js';
import type { Block, OcrOptions } from './extract.types.js';

/**
 * What every format extractor receives: the limits, a signal that fires on timeout or abort, a
 * progress reporter and the block list it fills. Extractors push blocks through `push` so the
 * character limit is enforced while reading, not after.
 */
export interface ExtractionRun {
  readonly limits: ExtractionLimits;
  readonly signal: AbortSignal;
  readonly filename: string | undefined;
  readonly ocr: OcrOptions;
  readonly blocks: Block[];
  /** Title, author, warnings: copied into the document's metadata. */
  readonly metadata: Record<string, string | number>;
  /** Throws if the run was stopped; call between pages, slides, sheets. */
  checkpoint(): void;
  /** Reports a fraction in [0, 1]; values lower than the last one are ignored. */
  progress(fraction: number): void;
  push(block: Block): void;
}

export interface RunOptions {
  limits: ExtractionLimits;
  filename?: string;
  ocr?: OcrOptions;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Why the run's own signal fired when the time limit passed. */
export class RunTimeout extends Error {
  constructor(readonly ms: number) {
    super(`extraction took longer than ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export function createRun(options: RunOptions): ExtractionRun & { dispose(): void } {
  const { limits } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new RunTimeout(limits.timeoutMs)), limits.timeoutMs);
  const onOuterAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const blocks: Block[] = [];
  let chars = 0;
  let lastProgress = 0;

  return {
    limits,
    signal: controller.signal,
    filename: options.filename,
    ocr: options.ocr ?? {},
    blocks,
    metadata: {},
    checkpoint() {
      controller.signal.throwIfAborted();
    },
    progress(fraction) {
      const clamped = Math.min(1, Math.max(0, fraction));
      if (clamped <= lastProgress) return;
      lastProgress = clamped;
      try {
        options.onProgress?.(clamped);
      } catch {
        // A failing progress callback must not fail the extraction.
      }
    },
    push(block) {
      chars += block.text.length;
      if (chars > limits.maxChars) {
        throw new ExtractionError(
          'too_large',
          `the document holds more than ${limits.maxChars.toLocaleString('en-US')} characters of text; split it into smaller files`,
        );
      }
      blocks.push(block);
    },
    dispose() {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
    },
  };
}
