import type { Block, ExtractedDocument, Location } from '../extract/index.js';
import type { Chunk, ChunkKind, ChunkOptions, ChunkStrategy, CountTokens } from './chunk.types.js';
import { estimateTokens } from './count-tokens.js';
import { FixedWindows } from './fixed-windows.js';
import { mergeLocations } from './location.js';
import { splitToFit } from './split-text.js';
import { tableParts } from './table-unit.js';

export const DEFAULT_CHUNK_SIZE = 500;
export const DEFAULT_OVERLAP = 50;

/**
 * Cuts an extracted document into chunks for embedding and search, each with the location it
 * came from (see `ChunkStrategy` for the strategies).
 *
 * @example
 * const chunks = chunkDocument(doc, { strategy: 'auto', chunkSize: 500, countTokens });
 * chunks[0]; // { ordinal: 0, text: 'Intro > Setup\n\nRun npm ci…', kind: 'text', location: { page: 2 }, tokenCount: 87 }
 */
export function chunkDocument(doc: ExtractedDocument, options: ChunkOptions = {}): Chunk[] {
  const strategy: ChunkStrategy = options.strategy ?? 'auto';
  const size = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // The default overlap shrinks with a small chunk size; an explicit one must fit.
  const overlap = options.overlap ?? Math.min(DEFAULT_OVERLAP, Math.floor(size / 2));
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`chunkSize must be a positive integer, not ${size}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw new RangeError(`overlap must be an integer from 0 to chunkSize - 1, not ${overlap}`);
  }
  const countTokens = memoizeShort(options.countTokens ?? estimateTokens);
  return new Chunker(strategy, size, overlap, countTokens).run(doc.blocks);
}

/** Word-sized texts recur constantly (fixed windows count every word): their counts are cached. */
function memoizeShort(countTokens: CountTokens): CountTokens {
  const cache = new Map<string, number>();
  return (text) => {
    if (text.length > 48) return countTokens(text);
    let count = cache.get(text);
    if (count === undefined) {
      count = countTokens(text);
      if (cache.size < 100_000) cache.set(text, count);
    }
    return count;
  };
}

interface Heading {
  level: number;
  text: string;
  location: Location;
}

/** Where a paragraph chunk must end: a new slide or its notes, another sheet, OCR text. */
function breakKey(location: Location): string {
  if ('slide' in location) return `slide:${location.slide}:${location.part}`;
  if ('sheet' in location) return `sheet:${location.sheet}`;
  if ('image' in location) return 'image';
  return 'document';
}

/** Where the heading path starts over: a new slide or sheet. */
function scopeKey(location: Location): string {
  if ('slide' in location) return `slide:${location.slide}`;
  if ('sheet' in location) return `sheet:${location.sheet}`;
  return 'document';
}

class Chunker {
  private readonly chunks: Chunk[] = [];
  private readonly headings: Heading[] = [];
  private scope: string | undefined;
  /** True once the deepest heading has content under it. */
  private headingUsed = true;
  private readonly fixed: FixedWindows;
  private readonly packed: { parts: string[]; locations: Location[]; tokens: number } = {
    parts: [],
    locations: [],
    tokens: 0,
  };
  private packedKind: ChunkKind = 'text';
  private packedPrefix = '';
  private packedBreak = '';
  private fixedBreak = '';
  private pendingHeadings: Block[] = [];

  constructor(
    private readonly strategy: ChunkStrategy,
    private readonly size: number,
    overlap: number,
    private readonly countTokens: CountTokens,
  ) {
    this.fixed = new FixedWindows(size, overlap, countTokens);
  }

  run(blocks: readonly Block[]): Chunk[] {
    for (const block of blocks) {
      if (!block.text.trim()) continue;
      this.enterScope(block.location);
      if (this.strategy === 'fixed') {
        this.addFixed(block);
      } else if (this.strategy === 'table') {
        // Headings name the tables that follow (in their prefix) and are text of the windows
        // otherwise; one right before a table is held back so it does not make a chunk alone.
        if (block.kind === 'heading') {
          this.pushHeading(block);
          this.pendingHeadings.push(block);
        } else if (block.kind === 'table' && block.table) {
          this.pendingHeadings = [];
          this.flushFixed();
          this.table(block);
        } else {
          for (const pending of this.pendingHeadings) this.addFixed(pending);
          this.pendingHeadings = [];
          this.addFixed(block);
        }
      } else if (block.kind === 'heading') {
        this.heading(block);
      } else if (block.kind === 'table' && block.table && this.strategy === 'auto') {
        this.flushPacked();
        this.headingUsed = true;
        this.table(block);
      } else {
        this.headingUsed = true;
        this.pack(block);
      }
    }
    for (const pending of this.pendingHeadings) this.addFixed(pending);
    this.flushPacked();
    this.flushFixed();
    this.emitUnusedHeading();
    return this.chunks;
  }

  private emit(text: string, kind: ChunkKind, locations: Location[], tokenCount?: number): void {
    const trimmed = text.trim();
    if (!trimmed || locations.length === 0) return;
    this.chunks.push({
      ordinal: this.chunks.length,
      text: trimmed,
      kind,
      location: mergeLocations(locations),
      tokenCount: tokenCount ?? this.countTokens(trimmed),
    });
  }

  /** A new slide or sheet starts a new heading path. */
  private enterScope(location: Location): void {
    const scope = scopeKey(location);
    if (scope === this.scope) return;
    this.flushPacked();
    this.emitUnusedHeading();
    this.headings.length = 0;
    this.headingUsed = true;
    this.scope = scope;
  }

  // ——— headings ———

  /** Paragraph strategies: a heading ends the chunk and becomes part of the path. */
  private heading(block: Block): void {
    this.flushPacked();
    const last = this.headings.at(-1);
    // A heading with nothing under it would vanish from the chunks: it gets one of its own, unless
    // the new heading is its child (whose path will carry it).
    if (last && (block.level ?? 1) <= last.level) this.emitUnusedHeading();
    this.pushHeading(block);
    this.headingUsed = false;
  }

  private pushHeading(block: Block): void {
    const level = block.level ?? 1;
    while ((this.headings.at(-1)?.level ?? 0) >= level) this.headings.pop();
    this.headings.push({ level, text: block.text.replace(/\s+/g, ' ').trim(), location: block.location });
  }

  private emitUnusedHeading(): void {
    const last = this.headings.at(-1);
    if (!last || this.headingUsed) return;
    this.headingUsed = true;
    this.emit(this.headings.map((heading) => heading.text).join(' > '), 'text', [last.location]);
  }

  /**
   * The heading path as a chunk prefix ("Intro > Setup\n\n"), the outermost headings dropped
   * while it would take more than a quarter of the chunk.
   */
  private prefix(): string {
    for (let from = 0; from < this.headings.length; from++) {
      const path = this.headings
        .slice(from)
        .map((heading) => heading.text)
        .join(' > ');
      if (this.countTokens(path) <= this.size / 4) return `${path}\n\n`;
    }
    return '';
  }

  // ——— paragraphs ———

  private pack(block: Block): void {
    const kind: ChunkKind =
      block.kind === 'image-caption' ? 'image-caption' : block.kind === 'table' ? 'table' : 'text';
    const prefix = this.prefix();
    const key = breakKey(block.location);
    const { packed } = this;
    if (
      packed.parts.length > 0 &&
      (key !== this.packedBreak || prefix !== this.packedPrefix || kind !== this.packedKind)
    ) {
      this.flushPacked();
    }

    const budget = Math.max(1, this.size - (prefix ? this.countTokens(prefix) : 0));
    const tokens = this.countTokens(block.text);
    if (tokens > budget) {
      this.flushPacked();
      this.emitSplit(prefix, block.text, kind, block.location, budget);
      return;
    }
    if (packed.parts.length > 0 && packed.tokens + 1 + tokens > budget) this.flushPacked();
    this.packedKind = kind;
    packed.parts.push(block.text.trim());
    packed.locations.push(block.location);
    packed.tokens += tokens + (packed.parts.length > 1 ? 1 : 0);
    this.packedPrefix = prefix;
    this.packedBreak = key;
  }

  /**
   * A paragraph too big for one chunk, in parts. Parts were sized by adding up their pieces'
   * counts; one whose own count still passes the size is split again with a smaller budget.
   */
  private emitSplit(prefix: string, text: string, kind: ChunkKind, location: Location, budget: number): void {
    for (const part of splitToFit(text, budget, this.countTokens)) {
      const tokens = this.countTokens((prefix + part).trim());
      if (tokens > this.size && budget > 1 && part !== text.trim()) {
        this.emitSplit(prefix, part, kind, location, Math.max(1, budget - (tokens - this.size)));
      } else {
        this.emit(prefix + part, kind, [location], tokens);
      }
    }
  }

  /**
   * Emits the packed paragraphs. The packing added up per-paragraph counts; the chunk's own count
   * decides, and when joining pushed it over the size, the last paragraphs move to the next chunk.
   */
  private flushPacked(): void {
    const { packed } = this;
    while (packed.parts.length > 0) {
      let take = packed.parts.length;
      let text = this.packedPrefix + packed.parts.join('\n\n');
      let tokens = this.countTokens(text.trim());
      while (take > 1 && tokens > this.size) {
        take--;
        text = this.packedPrefix + packed.parts.slice(0, take).join('\n\n');
        tokens = this.countTokens(text.trim());
      }
      this.emit(text, this.packedKind, packed.locations.slice(0, take), tokens);
      packed.parts.splice(0, take);
      packed.locations.splice(0, take);
    }
    packed.tokens = 0;
  }

  // ——— tables ———

  private table(block: Block): void {
    for (const part of tableParts(block, this.prefix(), this.size, this.countTokens)) {
      this.emit(part.text, 'table', part.locations);
    }
  }

  // ——— fixed windows ———

  private addFixed(block: Block): void {
    const key = `${'sheet' in block.location ? breakKey(block.location) : ''}:${block.kind === 'image-caption'}`;
    if (!this.fixed.isEmpty && key !== this.fixedBreak) this.flushFixed();
    this.fixedBreak = key;
    this.fixed.add(block);
  }

  private flushFixed(): void {
    for (const window of this.fixed.drain()) this.emit(window.text, window.kind, window.locations);
  }
}
