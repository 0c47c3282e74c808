import type { DocumentKind } from './extract.types.js';
import { listZipEntries } from './ooxml/zip.js';
import { decodeText } from './text-decode.js';

export const MIME = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  text: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  json: 'application/json',
  /** Not extractable: */
  empty: 'application/x-empty',
  zip: 'application/zip',
  /** OLE compound file: legacy .doc/.xls/.ppt. */
  cfb: 'application/x-cfb',
  /** A password-protected .docx/.xlsx/.pptx (an OLE file holding an `EncryptedPackage`). */
  encryptedOffice: 'application/x-encrypted-office',
  unknown: 'application/octet-stream',
} as const;

export type DetectedKind = DocumentKind | 'empty' | 'encrypted' | 'unsupported';

export interface DetectedType {
  mime: string;
  kind: DetectedKind;
}

/**
 * The type of a file from its content. Magic bytes decide the binary formats (a PNG named
 * report.pdf is a PNG); bytes that decode as UTF-8 (or UTF-16 with a BOM) are text, and only then
 * does the extension choose among the text formats, with content sniffing when it names none.
 *
 * @example
 * detectType(await readFile('q3.xlsx'), 'q3.xlsx'); // { mime: MIME.xlsx, kind: 'xlsx' }
 */
export function detectType(bytes: Uint8Array, filename?: string): DetectedType {
  if (bytes.length === 0) return { mime: MIME.empty, kind: 'empty' };
  const binary = detectBinary(bytes, extensionOf(filename));
  if (binary) return binary;
  const text = decodeText(bytes);
  if (text === undefined) return { mime: MIME.unknown, kind: 'unsupported' };
  return detectText(text, extensionOf(filename));
}

function extensionOf(filename: string | undefined): string {
  const match = /\.([a-z0-9]+)$/i.exec(filename ?? '');
  return match?.[1]?.toLowerCase() ?? '';
}

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  if (bytes.length < at + signature.length) return false;
  return signature.every((byte, i) => bytes[at + i] === byte);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
const PDF = ascii('%PDF-');
const BMP_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

function image(mime: string): DetectedType {
  return { mime, kind: 'image' };
}

function detectBinary(bytes: Uint8Array, extension: string): DetectedType | undefined {
  // Readers accept a PDF header anywhere in the first 1 024 bytes (some files start with junk).
  if (indexOf(bytes.subarray(0, 1024), PDF) !== -1) return { mime: MIME.pdf, kind: 'pdf' };
  if (startsWith(bytes, PNG)) return image(MIME.png);
  if (startsWith(bytes, JPEG)) return image(MIME.jpeg);
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return image(MIME.gif);
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return image(MIME.webp);
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return image(MIME.tiff);
  }
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 26) {
    const headerSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(14, true);
    if (BMP_HEADER_SIZES.has(headerSize)) return image(MIME.bmp);
  }
  if (startsWith(bytes, ZIP) || startsWith(bytes, EMPTY_ZIP)) return detectZip(bytes, extension);
  if (startsWith(bytes, CFB)) {
    // Office encrypts a .docx/.xlsx/.pptx into an OLE file with an "EncryptedPackage" stream.
    const marker = new Uint8Array(ascii('EncryptedPackage').flatMap((c) => [c, 0]));
    return indexOf(bytes, marker) === -1
      ? { mime: MIME.cfb, kind: 'unsupported' }
      : { mime: MIME.encryptedOffice, kind: 'encrypted' };
  }
  return undefined;
}

const OOXML_BY_EXTENSION: Record<string, DetectedType> = {
  docx: { mime: MIME.docx, kind: 'docx' },
  xlsx: { mime: MIME.xlsx, kind: 'xlsx' },
  pptx: { mime: MIME.pptx, kind: 'pptx' },
};

function detectZip(bytes: Uint8Array, extension: string): DetectedType {
  const entries = listZipEntries(bytes);
  if (!entries) {
    // A damaged archive: the extension may say which Office file it was, so extraction can
    // report it as corrupt rather than as an unknown type.
    return OOXML_BY_EXTENSION[extension] ?? { mime: MIME.zip, kind: 'unsupported' };
  }
  const names = entries.map((entry) => entry.name);
  if (names.includes('[Content_Types].xml')) {
    if (names.some((name) => name.startsWith('word/'))) return { mime: MIME.docx, kind: 'docx' };
    if (names.some((name) => name.startsWith('xl/'))) return { mime: MIME.xlsx, kind: 'xlsx' };
    if (names.some((name) => name.startsWith('ppt/'))) return { mime: MIME.pptx, kind: 'pptx' };
  }
  return { mime: MIME.zip, kind: 'unsupported' };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array | readonly number[]): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (
    let i = haystack.indexOf(first as number);
    i !== -1 && i <= last;
    i = haystack.indexOf(first as number, i + 1)
  ) {
    let match = true;
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        match = false;
        break;
      }
    }
    if (match) return i;
  }
  return -1;
}

const TEXT_BY_EXTENSION: Record<string, DocumentKind> = {
  txt: 'text',
  text: 'text',
  log: 'text',
  md: 'markdown',
  markdown: 'markdown',
  mdown: 'markdown',
  mkd: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  csv: 'csv',
  tsv: 'csv',
  json: 'json',
};

const TEXT_MIME: Record<string, string> = {
  text: MIME.text,
  markdown: MIME.markdown,
  html: MIME.html,
  csv: MIME.csv,
  json: MIME.json,
};

function textType(kind: DocumentKind): DetectedType {
  return { mime: TEXT_MIME[kind] ?? MIME.text, kind };
}

function detectText(text: string, extension: string): DetectedType {
  const named = TEXT_BY_EXTENSION[extension];
  // A .json file that does not parse is still readable as text.
  if (named && (named !== 'json' || isJson(text))) return textType(named);
  if (isJson(text)) return textType('json');
  if (isHtml(text)) return textType('html');
  if (isCsv(text)) return textType('csv');
  if (isMarkdown(text)) return textType('markdown');
  return textType('text');
}

function isJson(text: string): boolean {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isHtml(text: string): boolean {
  const head = text.slice(0, 4096);
  if (/^\s*(<!--[\s\S]*?-->\s*)*<!doctype\s+html/i.test(head)) return true;
  if (/^\s*<html[\s>]/i.test(head)) return true;
  return /<(head|body)[\s>]/i.test(head) && /<\/(head|body|p|div)>/i.test(text);
}

/** At least two lines, each with the same number (≥ 1) of one delimiter outside quotes. */
export function sniffDelimiter(text: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(0, 20);
  if (lines.length < 2) return undefined;
  for (const delimiter of [',', '\t', ';', '|']) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const first = counts[0] ?? 0;
    // Two lines of prose with one comma each are not a table: ask for three columns or rows.
    if (first === 0 || (first < 2 && lines.length < 3)) continue;
    if (counts.every((count) => count === first)) return delimiter;
  }
  return undefined;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}

function isCsv(text: string): boolean {
  return sniffDelimiter(text) !== undefined;
}

function isMarkdown(text: string): boolean {
  const head = text.slice(0, 65_536);
  return (
    /^#{1,6}[ \t]+\S/m.test(head) ||
    /^(```|~~~)/m.test(head) ||
    /^\|?[ \t]*:?-{3,}:?[ \t]*\|/m.test(head) ||
    /^\S.*\n(=+|-+)[ \t]*$/m.test(head) ||
    /\[[^\]\n]{1,200}\]\([^)\s]{1,500}\)/.test(head)
  );
}
