/**
 * Width and height from an image's header, read before decoding so a decompression bomb (a tiny
 * PNG that decodes to 60 000 × 60 000 pixels) is refused without allocating it. Undefined when the
 * header cannot be read.
 */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  try {
    return readSize(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    return undefined;
  }
}

function readSize(bytes: Uint8Array, data: DataView): { width: number; height: number } | undefined {
  const ascii = (at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
  if (bytes[0] === 0x89 && ascii(1, 3) === 'PNG') {
    return { width: data.getUint32(16), height: data.getUint32(20) };
  }
  if (ascii(0, 3) === 'GIF') return { width: data.getUint16(6, true), height: data.getUint16(8, true) };
  if (ascii(0, 2) === 'BM') {
    if (data.getUint32(14, true) === 12)
      return { width: data.getUint16(18, true), height: data.getUint16(20, true) };
    return { width: Math.abs(data.getInt32(18, true)), height: Math.abs(data.getInt32(22, true)) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes, data);
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return webpSize(bytes, data, ascii(12, 4));
  if (ascii(0, 2) === 'II' || ascii(0, 2) === 'MM') return tiffSize(data, ascii(0, 2) === 'II');
  return undefined;
}

/** The first start-of-frame marker (SOF0–SOF15 except DHT, JPG and DAC) holds the size. */
function jpegSize(bytes: Uint8Array, data: DataView): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = data.getUint16(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: data.getUint16(at + 5), width: data.getUint16(at + 7) };
    }
    at += 2 + length;
  }
  return undefined;
}

function webpSize(
  bytes: Uint8Array,
  data: DataView,
  chunk: string,
): { width: number; height: number } | undefined {
  if (chunk === 'VP8 ')
    return { width: data.getUint16(26, true) & 0x3fff, height: data.getUint16(28, true) & 0x3fff };
  if (chunk === 'VP8L') {
    const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = bytes.subarray(21, 25);
    return {
      width: 1 + (((b1 & 0x3f) << 8) | b0),
      height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)),
    };
  }
  if (chunk === 'VP8X') {
    const u24 = (at: number) => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16);
    return { width: 1 + u24(24), height: 1 + u24(27) };
  }
  return undefined;
}

/** Tags 256 (ImageWidth) and 257 (ImageLength) of the first IFD. */
function tiffSize(data: DataView, little: boolean): { width: number; height: number } | undefined {
  const ifd = data.getUint32(4, little);
  const count = data.getUint16(ifd, little);
  let width: number | undefined;
  let height: number | undefined;
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    const tag = data.getUint16(entry, little);
    const type = data.getUint16(entry + 2, little);
    const value = type === 3 ? data.getUint16(entry + 8, little) : data.getUint32(entry + 8, little);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return width !== undefined && height !== undefined ? { width, height } : undefined;
}
