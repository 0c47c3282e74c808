import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KeelError } from '../../../kernel/errors/index.js';
import { assertStorageKey, type DocumentStorage } from './storage.types.js';

/**
 * Documents on local disk under `root` (`$KEEL_DATA_DIR/documents`). A put writes a temporary file
 * in `root/.tmp`, flushes it to disk and renames it into place, so a crash or an aborted upload
 * never leaves a partial object under a real key; objects fan out by the key's first two
 * characters.
 */
export function createLocalStorage(root: string): DocumentStorage {
  const tmp = join(root, '.tmp');
  const pathOf = (key: string) => {
    assertStorageKey(key);
    return join(root, key.slice(0, 2), key);
  };

  return {
    kind: 'local',

    async put(key, body) {
      const target = pathOf(key);
      await mkdir(tmp, { recursive: true });
      const temp = join(tmp, `${randomUUID()}.part`);
      try {
        const out = createWriteStream(temp, { flags: 'wx' });
        await pipeline(body, out);
        const size = out.bytesWritten;
        const handle = await open(temp, 'r+');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        await mkdir(dirname(target), { recursive: true });
        await rename(temp, target);
        return { size };
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async get(key) {
      const path = pathOf(key);
      const stream = createReadStream(path);
      // Open errors (a missing file) surface here, not later in the consumer's pipeline.
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            error.code === 'ENOENT'
              ? new KeelError('not_found', 'The stored document file is missing.', { cause: error })
              : error,
          ),
        );
      });
      return stream as Readable;
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
