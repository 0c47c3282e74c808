import type { Readable } from 'node:stream';

/**
 * Where uploaded documents' bytes live: local disk by default, an S3-compatible bucket when
 * configured. Keys are made by Keel (a document id), never from a user's file name.
 *
 * @example
 * const { size } = await storage.put(documentId, upload.file); // streamed; never whole in memory
 * const bytes = await readAll(await storage.get(documentId));
 * await storage.delete(documentId); // idempotent
 */
export interface DocumentStorage {
  readonly kind: 'local' | 's3';
  /**
   * Stores `body` under `key`, all or nothing: a reader never sees a partial object, and when
   * `body` errors (a size limit, a client that went away) nothing is left behind and `put`
   * rejects with that error.
   */
  put(key: string, body: Readable): Promise<{ size: number }>;
  /** The object's bytes as a stream; `not_found` (KeelError) when there is none. */
  get(key: string): Promise<Readable>;
  /** Removes the object; a missing object is not an error. */
  delete(key: string): Promise<void>;
}

/** Lower-case letters, digits and `._-/`, no `..`: keys are ids Keel makes, safe as paths and URLs. */
export function assertStorageKey(key: string): void {
  if (!/^[a-z0-9][a-z0-9._/-]{0,199}$/.test(key) || key.includes('..') || key.includes('//')) {
    throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  }
}
