import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ExtractionError } from '../extract.errors.js';
import { defaultLimits, resolveLimits } from '../extract.limits.js';
import { deflatedZeros, makeZip } from '../testing/make-files.js';
import { listZipEntries, openZip } from './zip.js';

const MB = 1024 * 1024;

async function failure(action: () => unknown): Promise<ExtractionError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ExtractionError) return error;
    throw error;
  }
  throw new Error('expected an ExtractionError');
}

describe('openZip', () => {
  it('reads entries and their text', async () => {
    const zip = openZip(
      makeZip([
        { name: 'a.xml', data: '<a>hello</a>' },
        { name: 'b.bin', data: 'stored as is', method: 'store' },
      ]),
      defaultLimits,
    );
    expect(zip.entries.map((entry) => entry.name)).toEqual(['a.xml', 'b.bin']);
    expect(await zip.readText('a.xml')).toBe('<a>hello</a>');
    expect(await zip.readText('b.bin')).toBe('stored as is');
    await expect(zip.verifyAll()).resolves.toBeUndefined();
  });

  it('makes real bombs in tests: the zeros stream inflates to what it says', () => {
    expect(inflateRawSync(deflatedZeros(3)).length).toBe(3 * MB);
  });

  it('refuses an archive whose declared sizes exceed the limit, before inflating anything', async () => {
    // 300 MB of zeros in ~300 KB, honestly declared.
    const bomb = makeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/worksheets/sheet1.xml', data: '', compressed: deflatedZeros(300), declaredSize: 300 * MB },
    ]);
    expect(bomb.length).toBeLessThan(1 * MB);
    const error = await failure(() => openZip(bomb, defaultLimits));
    expect(error.reason).toBe('zip_bomb');
    expect(error.message).toMatch(/zip bomb/);
  });

  it('refuses an entry with an absurd compression ratio', async () => {
    const bomb = makeZip([
      { name: 'word/document.xml', data: '', compressed: deflatedZeros(20), declaredSize: 20 * MB },
    ]);
    expect((await failure(() => openZip(bomb, defaultLimits))).reason).toBe('zip_bomb');
  });

  it('stops inflating at the limit when an entry lies about its size', async () => {
    // Declares 1 KB, inflates to 50 MB: stopped when it passes the (here 10 MB) limit.
    const liar = makeZip([
      { name: 'word/document.xml', data: '', compressed: deflatedZeros(50), declaredSize: 1024 },
    ]);
    const limits = resolveLimits({ maxUncompressedBytes: 10 * MB });
    const error = await failure(() => openZip(liar, limits).read('word/document.xml'));
    expect(error.reason).toBe('zip_bomb');
    expect(error.message).toMatch(/declares 1024 bytes but inflates past the 10 MB limit/);
    expect((await failure(() => openZip(liar, limits).verifyAll())).reason).toBe('zip_bomb');
  });

  it('calls an entry that is not its declared size corrupt, when it stays within the limit', async () => {
    const mismatch = makeZip([{ name: 'a.xml', data: 'x'.repeat(5000), declaredSize: 100 }]);
    expect((await failure(() => openZip(mismatch, defaultLimits).read('a.xml'))).reason).toBe('corrupt');
  });

  it('honours lower limits', async () => {
    const archive = makeZip([
      { name: 'a', data: 'x'.repeat(2048) },
      { name: 'b', data: 'y' },
    ]);
    expect(
      (await failure(() => openZip(archive, resolveLimits({ maxUncompressedBytes: 1024 })))).reason,
    ).toBe('zip_bomb');
    expect((await failure(() => openZip(archive, resolveLimits({ maxZipEntries: 1 })))).reason).toBe(
      'zip_bomb',
    );
  });

  it('calls damaged archives corrupt', async () => {
    const archive = makeZip([{ name: 'a.xml', data: '<a/>'.repeat(100) }]);
    expect((await failure(() => openZip(archive.slice(0, 40), defaultLimits))).reason).toBe('corrupt');
    const garbled = archive.slice();
    garbled.fill(0x55, 40, 60);
    expect((await failure(() => openZip(garbled, defaultLimits).read('a.xml'))).reason).toBe('corrupt');
    const twice = makeZip([
      { name: 'a.xml', data: '<a/>' },
      { name: 'a.xml', data: '<b/>' },
    ]);
    expect((await failure(() => openZip(twice, defaultLimits))).reason).toBe('corrupt');
    expect((await failure(() => openZip(archive, defaultLimits).read('missing.xml'))).reason).toBe('corrupt');
  });

  it('lists entries without throwing on garbage', () => {
    expect(listZipEntries(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]))).toBeUndefined();
    expect(listZipEntries(makeZip([{ name: 'x', data: 'y' }]))?.map((entry) => entry.name)).toEqual(['x']);
  });
});
