/**
 * Cuts a unified diff, as bytes, into one piece per file (at each `diff --git ` line) while it
 * streams, so a 50 MB diff never sits in memory: a file's bytes are kept only up to the per-file
 * cap (past it, only its header is kept and the file is marked oversized), and the caller stops
 * reading once the total cap is reached. Bytes, not text: each file is decoded later with its
 * own encoding.
 */

export interface PatchPiece {
  /** The file's lines up to its first hunk (always kept, at most `HEADER_BYTES`). */
  header: Buffer;
  /** The whole piece, or null when it passed the per-file cap. */
  bytes: Buffer | null;
  /** Size of the whole piece, counted even when not kept. */
  size: number;
}

const MARK = Buffer.from('\ndiff --git ');
const HEADER_BYTES = 16 * 1024;

export class PatchSplitter {
  private carry: Buffer = Buffer.from('\n');
  private parts: Buffer[] = [];
  private size = 0;
  private started = false;
  private oversized = false;
  /** An oversized piece's header is complete (its first hunk was seen). */
  private headerComplete = false;

  constructor(
    private readonly maxFileBytes: number,
    private readonly onPiece: (piece: PatchPiece) => void,
  ) {}

  /** Feeds the next bytes of the diff. */
  push(data: Buffer): void {
    const buffer = this.carry.length > 0 ? Buffer.concat([this.carry, data]) : data;
    let start = 0;
    for (;;) {
      const at = buffer.indexOf(MARK, start);
      if (at < 0) break;
      // Bytes before the mark (and its newline) end the current piece; the next begins after it.
      this.append(buffer.subarray(start, at + 1));
      this.finishPiece();
      this.started = true;
      start = at + 1;
    }
    // Keep a tail shorter than the mark: it may be the start of a mark cut by the chunk boundary.
    const keep = Math.max(start, buffer.length - (MARK.length - 1));
    this.append(buffer.subarray(start, keep));
    this.carry = Buffer.from(buffer.subarray(keep));
  }

  /** A whole diff at once. */
  pushAll(data: Buffer): void {
    this.push(data);
    this.end();
  }

  /** Ends the diff: the last piece is emitted. */
  end(): void {
    this.append(this.carry);
    this.carry = Buffer.alloc(0);
    this.finishPiece();
  }

  private append(bytes: Buffer): void {
    if (!this.started || bytes.length === 0) return; // text before the first file is not a file
    this.size += bytes.length;
    if (this.oversized) {
      this.keepHeader(bytes);
      return;
    }
    this.parts.push(Buffer.from(bytes)); // a copy: the stream's buffer is reused
    if (this.size > this.maxFileBytes) {
      const all = Buffer.concat(this.parts);
      this.parts = [];
      this.oversized = true;
      this.keepHeader(all);
    }
  }

  private keepHeader(bytes: Buffer): void {
    if (this.headerComplete) return;
    const joined = Buffer.concat([this.parts[0] ?? Buffer.alloc(0), bytes]);
    const end = headerEnd(joined);
    this.headerComplete = end < joined.length || end >= HEADER_BYTES;
    this.parts = [Buffer.from(joined.subarray(0, end))];
  }

  private finishPiece(): void {
    if (!this.started) return;
    const all = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    if (all.length > 0 || this.size > 0)
      this.onPiece({
        header: all.subarray(0, headerEnd(all)),
        bytes: this.oversized ? null : all,
        size: this.size,
      });
    this.parts = [];
    this.size = 0;
    this.oversized = false;
    this.headerComplete = false;
  }
}

/** Where a piece's header ends: at its first hunk (`\n@@ `), binary marker, or `HEADER_BYTES`. */
function headerEnd(bytes: Buffer): number {
  const hunk = bytes.indexOf('\n@@ ');
  const end = hunk < 0 ? bytes.length : hunk + 1;
  return Math.min(end, HEADER_BYTES);
}
