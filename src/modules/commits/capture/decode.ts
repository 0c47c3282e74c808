import { isUtf8 } from 'node:buffer';
import type { FileEncoding } from './capture.types.js';

/** Git's test for binary content: a NUL byte in the first 8 000 bytes. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * The encoding that reads every part of a file without loss: UTF-8 when all are valid UTF-8,
 * else Latin-1 (one byte, one character: never a decoding error, never U+FFFD).
 */
export function encodingOf(parts: ReadonlyArray<Uint8Array | undefined>, binary: boolean): FileEncoding {
  if (binary) return 'binary';
  return parts.every((part) => part === undefined || isUtf8(part)) ? 'utf8' : 'latin1';
}

export function decode(bytes: Uint8Array, encoding: FileEncoding): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString(encoding === 'latin1' ? 'latin1' : 'utf8');
}
