/**
 * Reads bytes as text when they are text: UTF-8 (with or without BOM) or UTF-16 with a BOM. Bytes
 * that are not valid in that encoding, or that carry NUL or many control characters, are binary.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  const decoded = decode(bytes);
  if (decoded === undefined) return undefined;
  return looksLikeText(decoded) ? decoded : undefined;
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) {
      return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    }
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    }
    // The decoder drops a UTF-8 BOM itself (ignoreBOM is false by default).
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Control characters other than tab, line feed, form feed and carriage return. */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f;
}

function looksLikeText(text: string): boolean {
  // A NUL never occurs in text files and almost always in binary ones; a few other control
  // characters (ANSI colour escapes in logs) are tolerated.
  if (text.includes('\u0000')) return false;
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (isControl(sample.charCodeAt(i))) controls++;
  }
  return controls <= sample.length / 100;
}
