import { promisify } from 'node:util';
import { inflateRaw as inflateRawCallback } from 'node:zlib';
import { ExtractionError } from '../extract.errors.js';
import type { ExtractionLimits } from '../extract.limits.js';

const inflateRaw = promisify(inflateRawCallback);

/**
 * A ZIP reader for OOXML files that refuses zip bombs: the central directory's declared sizes
 * are checked before anything is inflated, and inflation has a hard output cap (what the limit
 * leaves), so an archive that lies about its sizes is stopped at the limit all the same.
 */

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

class ZipFormatError extends Error {}

/** The entries listed in the central directory, or undefined when it cannot be read. */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] | undefined {
  try {
    return readCentralDirectory(bytes);
  } catch (error) {
    if (error instanceof ZipFormatError || error instanceof RangeError) return undefined;
    throw error;
  }
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(data: DataView, offset: number): number {
  const value = data.getBigUint64(offset, true);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function findEndOfCentralDirectory(data: DataView): number {
  // The record is 22 bytes plus a comment of at most 65 535 bytes, at the very end.
  const last = data.byteLength - 22;
  const first = Math.max(0, last - U16_MAX);
  for (let at = last; at >= first; at--) {
    if (data.getUint32(at, true) === EOCD) return at;
  }
  throw new ZipFormatError('no end of central directory record');
}

function readCentralDirectory(bytes: Uint8Array): ZipEntry[] {
  const data = view(bytes);
  const eocd = findEndOfCentralDirectory(data);
  let count = data.getUint16(eocd + 10, true);
  let size = data.getUint32(eocd + 12, true);
  let offset = data.getUint32(eocd + 16, true);
  if (count === U16_MAX || size === U32_MAX || offset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || data.getUint32(locator, true) !== ZIP64_LOCATOR) {
      throw new ZipFormatError('missing ZIP64 locator');
    }
    const record = u64(data, locator + 8);
    if (record + 56 > bytes.length || data.getUint32(record, true) !== ZIP64_EOCD) {
      throw new ZipFormatError('bad ZIP64 end of central directory');
    }
    count = u64(data, record + 32);
    size = u64(data, record + 40);
    offset = u64(data, record + 48);
  }
  if (offset + size > bytes.length) throw new ZipFormatError('central directory out of bounds');

  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || data.getUint32(at, true) !== CENTRAL) {
      throw new ZipFormatError('bad central directory entry');
    }
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const entry: ZipEntry = {
      flags: data.getUint16(at + 8, true),
      method: data.getUint16(at + 10, true),
      compressedSize: data.getUint32(at + 20, true),
      uncompressedSize: data.getUint32(at + 24, true),
      localHeaderOffset: data.getUint32(at + 42, true),
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    readZip64Extra(data, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** ZIP64 extra field (id 1): 64-bit values for whichever 32-bit fields hold 0xFFFFFFFF, in order. */
function readZip64Extra(data: DataView, start: number, length: number, entry: ZipEntry): void {
  const end = start + length;
  for (let at = start; at + 4 <= end; ) {
    const id = data.getUint16(at, true);
    const size = data.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      if (entry.uncompressedSize === U32_MAX) {
        entry.uncompressedSize = u64(data, field);
        field += 8;
      }
      if (entry.compressedSize === U32_MAX) {
        entry.compressedSize = u64(data, field);
        field += 8;
      }
      if (entry.localHeaderOffset === U32_MAX) entry.localHeaderOffset = u64(data, field);
      return;
    }
    at += 4 + size;
  }
}

export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  readonly limits: ExtractionLimits;
  has(name: string): boolean;
  entry(name: string): ZipEntry | undefined;
  /** Inflates one entry (once; later reads are cached), within the archive's limits. */
  read(name: string): Promise<Uint8Array>;
  readText(name: string): Promise<string>;
  /** Inflates every entry and discards the output: proves the declared sizes were honest. */
  verifyAll(): Promise<void>;
}

const MB = 1024 * 1024;

function zipBomb(detail: string): ExtractionError {
  return new ExtractionError(
    'zip_bomb',
    `the file expands to far more data than it holds (${detail}); it looks like a zip bomb and was not opened`,
  );
}

function corrupt(detail: string, cause?: unknown): ExtractionError {
  return new ExtractionError('corrupt', `the file is damaged and cannot be opened (${detail})`, { cause });
}

/**
 * Opens an OOXML archive: reads the central directory and refuses it before inflating anything
 * when the declared sizes exceed the limits.
 */
export function openZip(bytes: Uint8Array, limits: ExtractionLimits): ZipArchive {
  let entries: ZipEntry[];
  try {
    entries = readCentralDirectory(bytes);
  } catch (error) {
    if (error instanceof ZipFormatError || error instanceof RangeError) {
      throw corrupt('its ZIP directory is unreadable', error);
    }
    throw error;
  }
  checkDeclaredSizes(entries, limits);

  const byName = new Map<string, ZipEntry>();
  for (const entry of entries) {
    // Two entries with one name could be read differently by two readers (ours and exceljs's).
    if (byName.has(entry.name)) throw corrupt(`two entries are named ${entry.name}`);
    byName.set(entry.name, entry);
  }

  const cache = new Map<string, Uint8Array>();
  const inflatedSizes = new Map<string, number>();
  let inflatedTotal = 0;

  // An entry may inflate only as far as the limit leaves room for: one that lies about its size
  // is stopped at the limit, not at whatever it really holds. An honest entry's output must then
  // match its declared size, so successful reads never add up to more than the declared total.
  async function inflate(entry: ZipEntry): Promise<Uint8Array> {
    const raw = compressedData(bytes, entry);
    if (entry.method === 0) return raw;
    const counted = inflatedSizes.get(entry.name);
    const budget = limits.maxUncompressedBytes - inflatedTotal + (counted ?? 0);
    let output: Uint8Array;
    try {
      output = await inflateRaw(raw, { maxOutputLength: Math.max(1, budget) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw zipBomb(
          `${entry.name} declares ${entry.uncompressedSize} bytes but inflates past the ${Math.round(limits.maxUncompressedBytes / MB)} MB limit`,
        );
      }
      throw corrupt(`${entry.name} cannot be decompressed`, error);
    }
    if (output.length !== entry.uncompressedSize) {
      throw corrupt(`${entry.name} is not the size the archive declares`);
    }
    if (counted === undefined) {
      inflatedSizes.set(entry.name, output.length);
      inflatedTotal += output.length;
    }
    return output;
  }

  function entryNamed(name: string): ZipEntry {
    const entry = byName.get(name);
    if (!entry) throw corrupt(`${name} is missing`);
    return entry;
  }

  return {
    entries,
    limits,
    has: (name) => byName.has(name),
    entry: (name) => byName.get(name),
    async read(name) {
      const cached = cache.get(name);
      if (cached) return cached;
      const output = await inflate(entryNamed(name));
      cache.set(name, output);
      return output;
    },
    async readText(name) {
      return new TextDecoder().decode(await this.read(name));
    },
    async verifyAll() {
      for (const entry of entries) {
        if (!cache.has(entry.name)) await inflate(entry);
      }
    },
  };
}

function checkDeclaredSizes(entries: ZipEntry[], limits: ExtractionLimits): void {
  if (entries.length > limits.maxZipEntries) {
    throw zipBomb(`${entries.length} entries, the limit is ${limits.maxZipEntries}`);
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.flags & 0x1) {
      throw new ExtractionError(
        'encrypted',
        'the file is encrypted; remove the password and upload it again',
      );
    }
    if (entry.method !== 0 && entry.method !== 8) {
      throw new ExtractionError(
        'unsupported',
        `the file uses a ZIP compression method (${entry.method}) Office files do not use`,
      );
    }
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
      throw corrupt(`${entry.name} has inconsistent sizes`);
    }
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > limits.ratioMinBytes && ratio > limits.maxCompressionRatio) {
      throw zipBomb(`${entry.name} would inflate ${Math.round(ratio)} times`);
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw zipBomb(
      `${Math.round(total / MB)} MB uncompressed, the limit is ${Math.round(limits.maxUncompressedBytes / MB)} MB`,
    );
  }
}

function compressedData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const data = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || data.getUint32(at, true) !== LOCAL) {
    throw corrupt(`${entry.name} has no local header`);
  }
  const start = at + 30 + data.getUint16(at + 26, true) + data.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw corrupt(`${entry.name} is truncated`);
  return bytes.subarray(start, end);
}
