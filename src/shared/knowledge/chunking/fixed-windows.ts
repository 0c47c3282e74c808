import type { Block, Location } from '../extract/index.js';
import { rowText } from '../extract/index.js';
import type { ChunkKind, CountTokens } from './chunk.types.js';
import { rowLocations } from './table-unit.js';

interface Piece {
  text: string;
  tokens: number;
  unit: number;
}

interface Unit {
  location: Location;
  kind: ChunkKind;
}

export interface WindowChunk {
  text: string;
  kind: ChunkKind;
  locations: Location[];
}

/** Longest run of non-space characters kept as one piece (CJK text has no spaces to split at). */
const MAX_PIECE_CHARS = 32;

/**
 * Fixed-length chunking: the blocks' text cut into words, then a window of `size` tokens slides
 * over them, each window starting `overlap` tokens before the previous one ended. Windows cross
 * block boundaries; each keeps the locations of the blocks (and table rows) it covers.
 */
export class FixedWindows {
  private pieces: Piece[] = [];
  private units: Unit[] = [];
  private readonly size: number;
  private readonly overlap: number;
  private readonly countTokens: CountTokens;

  constructor(size: number, overlap: number, countTokens: CountTokens) {
    this.size = size;
    this.overlap = overlap;
    this.countTokens = countTokens;
  }

  get isEmpty(): boolean {
    return this.pieces.length === 0;
  }

  add(block: Block): void {
    const kind: ChunkKind =
      block.kind === 'image-caption' ? 'image-caption' : block.kind === 'table' ? 'table' : 'text';
    if (block.kind === 'table' && block.table) {
      const locations = rowLocations(block);
      [block.table.header, ...block.table.rows].forEach((row, index) => {
        this.addUnit(rowText(row), locations[index] ?? block.location, kind, index === 0 ? '\n\n' : '\n');
      });
    } else {
      this.addUnit(block.text, block.location, kind, '\n\n');
    }
  }

  private addUnit(text: string, location: Location, kind: ChunkKind, separator: string): void {
    const unit = this.units.push({ location, kind }) - 1;
    let first = true;
    for (const word of text.split(/(?<=\s)(?=\S)/)) {
      for (const piece of slices(word)) {
        const withSeparator = first && this.pieces.length > 0 ? separator + piece : piece;
        this.pieces.push({ text: withSeparator, tokens: Math.max(1, this.countTokens(piece)), unit });
        first = false;
      }
    }
  }

  /** The windows over everything added so far; the buffer is emptied. */
  drain(): WindowChunk[] {
    const { pieces } = this;
    const windows: WindowChunk[] = [];
    let start = 0;
    while (start < pieces.length) {
      let end = start;
      let tokens = 0;
      while (end < pieces.length && (end === start || tokens + (pieces[end]?.tokens ?? 0) <= this.size)) {
        tokens += pieces[end]?.tokens ?? 0;
        end++;
      }
      windows.push(this.window(start, end));
      if (end >= pieces.length) break;
      let back = end;
      let overlapTokens = 0;
      while (back > start + 1 && overlapTokens + (pieces[back - 1]?.tokens ?? 0) <= this.overlap) {
        back--;
        overlapTokens += pieces[back]?.tokens ?? 0;
      }
      start = back;
    }
    this.pieces = [];
    this.units = [];
    return windows;
  }

  private window(start: number, end: number): WindowChunk {
    const covered = [...new Set(this.pieces.slice(start, end).map((piece) => piece.unit))];
    const units = covered.map((index) => this.units[index] as Unit);
    const kinds = new Set(units.map((unit) => unit.kind));
    const kind: ChunkKind = kinds.size === 1 ? (units[0]?.kind ?? 'text') : 'text';
    return {
      text: this.pieces
        .slice(start, end)
        .map((piece) => piece.text)
        .join('')
        .trim(),
      kind,
      locations: units.map((unit) => unit.location),
    };
  }
}

/** A word longer than MAX_PIECE_CHARS in slices of that many characters. */
function slices(word: string): string[] {
  if (word.length <= MAX_PIECE_CHARS) return [word];
  const characters = Array.from(word);
  const out: string[] = [];
  for (let i = 0; i < characters.length; i += MAX_PIECE_CHARS) {
    out.push(characters.slice(i, i + MAX_PIECE_CHARS).join(''));
  }
  return out;
}
