import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from './local-storage.js';
import { createS3Storage } from './s3-storage.js';
import type { DocumentStorage } from './storage.types.js';
import { type FakeS3, startFakeS3 } from './testing/fake-s3.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `total` bytes in chunks of `chunk`, each byte a function of its position. */
function source(total: number, chunk = 16 * 1024, failAfter?: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (failAfter !== undefined && sent >= failAfter) {
        this.destroy(new Error('the client went away'));
        return;
      }
      if (sent >= total) {
        this.push(null);
        return;
      }
      const n = Math.min(chunk, total - sent);
      const buffer = Buffer.alloc(n);
      for (let i = 0; i < n; i++) buffer[i] = (sent + i) % 251;
      sent += n;
      this.push(buffer);
    },
  });
}

interface Target {
  name: string;
  storage: DocumentStorage;
  /** Nothing partial or temporary left behind. */
  leftovers(): string[];
}

const targets: Array<{ name: string; open(): Promise<Target & { close(): Promise<void> }> }> = [
  {
    name: 'local',
    async open() {
      const root = mkdtempSync(join(tmpdir(), 'keel-storage-'));
      const storage = createLocalStorage(root);
      return {
        name: 'local',
        storage,
        leftovers: () => {
          try {
            return readdirSync(join(root, '.tmp'));
          } catch {
            return [];
          }
        },
        close: async () => rmSync(root, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 's3',
    async open() {
      const fake: FakeS3 = await startFakeS3({ minPartSize: 64 * 1024 });
      const storage = createS3Storage({
        bucket: fake.bucket,
        region: fake.region,
        endpoint: fake.endpoint,
        credentials: fake.credentials,
        partSize: 64 * 1024,
      });
      return {
        name: 's3',
        storage,
        leftovers: () => (fake.openUploads() > 0 ? [`${fake.openUploads()} open multipart uploads`] : []),
        close: () => fake.close(),
      };
    },
  },
];

describe.each(targets)('document storage: $name', ({ open }) => {
  let t: Target & { close(): Promise<void> };
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.close());

  it('stores a stream and gives the same bytes back', async () => {
    for (const size of [1, 1000, 200_000]) {
      const key = `doc-${size}`;
      expect(await t.storage.put(key, source(size))).toEqual({ size });
      const back = await readAll(await t.storage.get(key));
      expect(back.length).toBe(size);
      expect(back.equals(await readAll(source(size)))).toBe(true);
    }
    expect(t.leftovers()).toEqual([]);
  });

  it('leaves nothing behind when the body fails midway, and rejects with its error', async () => {
    await expect(t.storage.put('broken', source(500_000, 16 * 1024, 150_000))).rejects.toThrow(
      'the client went away',
    );
    await expect(t.storage.get('broken')).rejects.toMatchObject({ code: 'not_found' });
    expect(t.leftovers()).toEqual([]);
  });

  it('deletes idempotently; a missing object is not_found', async () => {
    await t.storage.put('gone', source(10));
    await t.storage.delete('gone');
    await t.storage.delete('gone');
    await expect(t.storage.get('gone')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses keys that could escape the store', async () => {
    for (const key of ['../etc/passwd', 'a/../../b', '/abs', 'UPPER', 'a//b', '']) {
      await expect(t.storage.put(key, source(1))).rejects.toThrow(/invalid storage key/);
    }
  });
});

describe('S3 storage against the fake', () => {
  let fake: FakeS3;
  beforeAll(async () => {
    fake = await startFakeS3({ minPartSize: 64 * 1024 });
  });
  afterAll(() => fake?.close());

  it('signs every call: wrong credentials are refused and nothing is stored', async () => {
    const wrong = createS3Storage({
      bucket: fake.bucket,
      region: fake.region,
      endpoint: fake.endpoint,
      credentials: { accessKeyId: fake.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    await expect(wrong.put('nope', source(100))).rejects.toMatchObject({
      code: 'upstream_failed',
      message: 'S3 PutObject failed: SignatureDoesNotMatch.',
    });
    expect(fake.objects.has('nope')).toBe(false);
    expect(fake.log.at(-1)).toMatch(/^DENIED PUT nope: SignatureDoesNotMatch/);
  });

  it('sends a small body as one PutObject and a large one as a multipart upload of bounded parts', async () => {
    const storage = createS3Storage({
      bucket: fake.bucket,
      region: fake.region,
      endpoint: fake.endpoint,
      credentials: fake.credentials,
      partSize: 64 * 1024,
    });
    fake.log.length = 0;
    await storage.put('small', source(64 * 1024));
    await storage.put('large', source(300 * 1024, 10_000));
    expect(fake.log).toEqual([
      'PutObject small',
      'CreateMultipartUpload large',
      ...Array<string>(5).fill('UploadPart large'),
      'CompleteMultipartUpload large',
    ]);
    expect(fake.objects.get('large')?.equals(await readAll(source(300 * 1024)))).toBe(true);
  });
});
