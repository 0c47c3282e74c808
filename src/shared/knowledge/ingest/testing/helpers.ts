import { randomBytes } from 'node:crypto';
import type { Knowledge } from '../../knowledge.context.js';

/** Tests' helpers for knowledge's HTTP API (the identity harness and the module list stay in test files). */

export type Part =
  | { name: string; value: string }
  | { name: string; filename: string; content: Uint8Array | string; type?: string };

/** A multipart/form-data body, parts in the given order. */
export function multipartBody(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----keel${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\ncontent-disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
        ),
      );
      continue;
    }
    chunks.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\ncontent-type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.from(part.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * Ingest without a job queue: uploads record their document ids here and a test runs them with
 * `drain()` when it wants, in order, as one worker would.
 */
export function directQueue() {
  const queued: string[] = [];
  return {
    queued,
    enqueue: async (documentId: string) => {
      queued.push(documentId);
    },
    async drain(knowledge: Knowledge) {
      const results = [];
      while (queued.length > 0) {
        const id = queued.shift() as string;
        results.push(await knowledge.ingest.run(id, { signal: new AbortController().signal, retryCount: 0 }));
      }
      return results;
    },
  };
}
