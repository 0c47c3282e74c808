import { type DetectedType, detectType, MIME } from '../extract/index.js';

/** Bytes of the file's start kept for detection (and text sniffing). */
export const HEAD_BYTES = 64 * 1024;
/** Bytes of the file's end kept: a ZIP's (OOXML's) directory is there. */
export const TAIL_BYTES = 256 * 1024;

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const EOCD = 0x06054b50;

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

export function isZip(head: Uint8Array): boolean {
  return startsWith(head, ZIP_LOCAL) || startsWith(head, ZIP_EMPTY);
}

/**
 * The start of a longer file, cut so that text detection does not stumble on a character split
 * at the cut: UTF-16 (BOM) to whole code units, UTF-8 before an incomplete sequence.
 */
export function textSafeHead(head: Uint8Array): Uint8Array {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    return head.subarray(0, head.length - (head.length % 2));
  }
  for (let back = 1; back <= Math.min(4, head.length); back++) {
    const byte = head[head.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? head.subarray(0, head.length - back) : head;
  }
  return head;
}

/**
 * A ZIP's central directory read from the file's last bytes: `tail` re-based into a small archive
 * (a local-header signature, then the tail, with the directory offset moved accordingly) that
 * `detectType` can read. Undefined when the directory starts before the tail (or is ZIP64).
 */
export function zipTailView(tail: Uint8Array, size: number): Uint8Array | undefined {
  const data = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.length - 22; at >= Math.max(0, tail.length - 22 - 0xffff); at--) {
    if (data.getUint32(at, true) !== EOCD) continue;
    const offset = data.getUint32(at + 16, true);
    const tailStart = size - tail.length;
    if (offset === 0xffffffff || offset < tailStart) return undefined;
    const view = new Uint8Array(4 + tail.length);
    view.set(ZIP_LOCAL, 0);
    view.set(tail, 4);
    new DataView(view.buffer).setUint32(4 + at + 16, offset - tailStart + 4, true);
    return view;
  }
  return undefined;
}

/**
 * The type of an uploaded file from its first and last bytes (the upload streams past and is
 * never held whole): magic bytes from the head, an Office file from the ZIP directory in the
 * tail, text from the head cut at a character boundary. The ingest job detects again from the
 * whole file; for text formats only that can tell JSON from plain text beyond 64 KB.
 */
export function detectUpload(
  head: Uint8Array,
  tail: Uint8Array,
  size: number,
  filename: string,
): DetectedType {
  if (size === 0) return detectType(new Uint8Array(0), filename);
  if (size <= head.length) return detectType(head, filename);
  if (isZip(head)) {
    const view = zipTailView(tail, size);
    if (view) return detectType(view, filename);
  }
  return detectType(textSafeHead(head), filename);
}

/**
 * What the first `HEAD_BYTES` already settle: a type no extractor reads (415 at once, before the
 * rest is read), or undefined while it may still be fine (a ZIP waits for its directory).
 */
export function refusedByHead(head: Uint8Array, filename: string): DetectedType | undefined {
  if (isZip(head)) return undefined;
  const type = detectType(textSafeHead(head), filename);
  return type.kind === 'unsupported' || type.kind === 'encrypted' ? type : undefined;
}

/** A person's name for a detected type (415 details). */
export function describeType(type: DetectedType): string {
  switch (type.mime) {
    case MIME.zip:
      return 'a ZIP archive that is not a Word, Excel or PowerPoint file';
    case MIME.cfb:
      return 'a legacy Office file (.doc, .xls or .ppt)';
    case MIME.encryptedOffice:
      return 'a password-protected Office file';
    case MIME.unknown:
      return 'binary data of an unknown type';
    default:
      return type.mime;
  }
}
