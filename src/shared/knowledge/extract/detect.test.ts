import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectType, MIME } from './detect.js';
import { makeDocx, makePdf, makePptx, makeXlsx, makeZip } from './testing/make-files.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const text = (value: string) => new TextEncoder().encode(value);

describe('detectType', () => {
  it('reads binary formats from their magic bytes', async () => {
    expect(detectType(makePdf([['hello']]))).toEqual({ mime: MIME.pdf, kind: 'pdf' });
    expect(detectType(makeDocx('<w:p/>'))).toEqual({ mime: MIME.docx, kind: 'docx' });
    expect(detectType(await makeXlsx([{ name: 'S', rows: [['a']] }]))).toEqual({
      mime: MIME.xlsx,
      kind: 'xlsx',
    });
    expect(detectType(makePptx([{ title: 'x' }]))).toEqual({ mime: MIME.pptx, kind: 'pptx' });
    expect(detectType(fixture('ocr-english.png'))).toEqual({ mime: MIME.png, kind: 'image' });
  });

  it('tells image formats apart', () => {
    const bytes = (...values: number[]) => new Uint8Array([...values, ...new Array(40).fill(0)]);
    expect(detectType(bytes(0xff, 0xd8, 0xff, 0xe0)).mime).toBe(MIME.jpeg);
    expect(detectType(text('GIF89a......')).mime).toBe(MIME.gif);
    expect(detectType(text('RIFF\0\0\0\0WEBPVP8 ')).mime).toBe(MIME.webp);
    expect(detectType(bytes(0x49, 0x49, 0x2a, 0x00)).mime).toBe(MIME.tiff);
    const bmp = bytes(0x42, 0x4d);
    bmp[14] = 40;
    expect(detectType(bmp).mime).toBe(MIME.bmp);
  });

  it('believes the content, not an extension that lies', () => {
    expect(detectType(fixture('ocr-english.png'), 'report.pdf')).toEqual({ mime: MIME.png, kind: 'image' });
    expect(detectType(makePdf([['x']]), 'notes.txt').kind).toBe('pdf');
    expect(detectType(text('just words'), 'scan.png')).toEqual({ mime: MIME.text, kind: 'text' });
    expect(detectType(text('# Title\n\nbody'), 'data.xlsx').kind).toBe('markdown');
  });

  it('uses the extension only to choose among text formats', () => {
    expect(detectType(text('a,b\n1,2\n'), 'table.csv').kind).toBe('csv');
    expect(detectType(text('a,b\n1,2\n'), 'table.txt').kind).toBe('text');
    expect(detectType(text('# Title'), 'readme.md').kind).toBe('markdown');
    expect(detectType(text('plain words'), 'readme.md').kind).toBe('markdown');
    expect(detectType(text('<p>hi</p>'), 'page.html').kind).toBe('html');
    expect(detectType(text('{"a": 1}'), 'data.json').kind).toBe('json');
    // A .json file that does not parse is still text.
    expect(detectType(text('{"a": '), 'broken.json').kind).toBe('text');
  });

  it('sniffs text formats when the name says nothing', () => {
    expect(detectType(text('{"a": [1, 2]}')).kind).toBe('json');
    expect(detectType(text('<!DOCTYPE html><html><body><p>x</p></body></html>')).kind).toBe('html');
    expect(detectType(text('name,age,city\nAda,36,London\nAlan,41,Wilmslow\n')).kind).toBe('csv');
    expect(detectType(text('Intro\n\n## Setup\n\nRun it.')).kind).toBe('markdown');
    expect(detectType(text('Hello, world.\nSee you, later.')).kind).toBe('text');
    expect(detectType(text('서버 CPU 사용량이 높습니다.')).kind).toBe('text');
  });

  it('reads UTF-16 text with a byte order mark', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('# 제목\n\n본문', 'utf16le')]);
    expect(detectType(utf16, 'notes.md')).toEqual({ mime: MIME.markdown, kind: 'markdown' });
  });

  it('calls unknown binaries unsupported', () => {
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(56).fill(0)]);
    expect(detectType(elf, 'report.pdf')).toEqual({ mime: MIME.unknown, kind: 'unsupported' });
    const random = new Uint8Array(4096);
    let seed = 7;
    for (let i = 0; i < random.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      random[i] = seed >>> 24;
    }
    expect(detectType(random, 'notes.txt').kind).toBe('unsupported');
    expect(detectType(makeZip([{ name: 'a.txt', data: 'x' }]), 'a.docx')).toEqual({
      mime: MIME.zip,
      kind: 'unsupported',
    });
  });

  it('names empty files and OLE files', () => {
    expect(detectType(new Uint8Array(0), 'a.pdf')).toEqual({ mime: MIME.empty, kind: 'empty' });
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(detectType(ole, 'old.doc')).toEqual({ mime: MIME.cfb, kind: 'unsupported' });
    ole.set(Buffer.from('EncryptedPackage', 'utf16le'), 512);
    expect(detectType(ole, 'secret.docx')).toEqual({ mime: MIME.encryptedOffice, kind: 'encrypted' });
  });

  it('keeps an unreadable Office archive as its named type, for a corrupt verdict later', () => {
    const truncated = makeDocx('<w:p/>').slice(0, 200);
    expect(detectType(truncated, 'cv.docx')).toEqual({ mime: MIME.docx, kind: 'docx' });
    expect(detectType(truncated, 'cv.zip').kind).toBe('unsupported');
  });
});
