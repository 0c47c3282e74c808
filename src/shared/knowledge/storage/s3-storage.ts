import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { KeelError } from '../../../kernel/errors/index.js';
import { type Credentials, canonicalPath, EMPTY_SHA256, sha256Hex, signRequest } from './sigv4.js';
import { assertStorageKey, type DocumentStorage } from './storage.types.js';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  credentials: Credentials;
  /** An S3-compatible server, addressed path-style (`endpoint/bucket/key`); unset: AWS, virtual-host style. */
  endpoint?: string;
  /**
   * Bytes buffered per request. A body up to this size is one PutObject; a larger one becomes a
   * multipart upload of parts this size (S3 wants at least 5 MiB for every part but the last).
   */
  partSize?: number;
  /** Per request. */
  timeoutMs?: number;
}

const MiB = 1024 * 1024;

/**
 * Documents in an S3-compatible bucket, through a small SigV4 client on `fetch` (no SDK: the
 * five calls Keel needs fit in this file). Uploads stream: at most one part is held in memory,
 * each part signed with its own SHA-256; a failed upload aborts its multipart upload, so the
 * bucket never keeps a partial object.
 */
export function createS3Storage(options: S3StorageOptions): DocumentStorage {
  const partSize = options.partSize ?? 8 * MiB;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const base = options.endpoint
    ? `${options.endpoint.replace(/\/+$/, '')}/${options.bucket}`
    : `https://${options.bucket}.s3.${options.region}.amazonaws.com`;

  const urlOf = (key: string, query: Record<string, string> = {}) => {
    assertStorageKey(key);
    const url = new URL(`${base}${canonicalPath(`/${key}`)}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  };

  async function send(
    operation: string,
    method: string,
    url: URL,
    body?: Buffer,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const payload = body ?? Buffer.alloc(0);
    const signed = signRequest({
      method,
      url,
      headers: body ? { ...headers, 'content-length': String(payload.length) } : headers,
      payloadHash: body ? sha256Hex(payload) : EMPTY_SHA256,
      region: options.region,
      credentials: options.credentials,
    });
    // fetch sets host and content-length itself.
    const { host: _host, 'content-length': _length, ...sent } = signed;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: sent,
        body: body && body.length > 0 ? payload : body ? '' : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new KeelError('upstream_failed', `S3 ${operation} could not reach the storage server.`, {
        cause: error,
      });
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? String(response.status);
    if (code === 'NoSuchKey' || (response.status === 404 && operation === 'GetObject')) {
      throw new KeelError('not_found', 'The stored document file is missing.');
    }
    throw new KeelError('upstream_failed', `S3 ${operation} failed: ${code}.`, {
      details: { status: response.status },
    });
  }

  async function multipart(key: string, first: Buffer, rest: AsyncIterator<Buffer>, carry: Buffer[]) {
    const created = await send('CreateMultipartUpload', 'POST', urlOf(key, { uploads: '' }));
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())?.[1];
    if (!uploadId) throw new KeelError('upstream_failed', 'S3 CreateMultipartUpload returned no UploadId.');
    const etags: string[] = [];
    const uploadPart = async (part: Buffer) => {
      const number = etags.length + 1;
      const response = await send(
        'UploadPart',
        'PUT',
        urlOf(key, { partNumber: String(number), uploadId }),
        part,
      );
      await response.arrayBuffer();
      const etag = response.headers.get('etag');
      if (!etag) throw new KeelError('upstream_failed', 'S3 UploadPart returned no ETag.');
      etags.push(etag);
    };
    try {
      let size = first.length;
      await uploadPart(first);
      let pending = carry;
      let pendingLength = pending.reduce((n, b) => n + b.length, 0);
      for (;;) {
        const next = await rest.next();
        if (next.done) break;
        const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
        pending.push(chunk);
        pendingLength += chunk.length;
        while (pendingLength > partSize) {
          const all = Buffer.concat(pending);
          await uploadPart(all.subarray(0, partSize));
          size += partSize;
          pending = [all.subarray(partSize)];
          pendingLength = all.length - partSize;
        }
      }
      if (pendingLength > 0) {
        await uploadPart(Buffer.concat(pending));
        size += pendingLength;
      }
      const body = `<CompleteMultipartUpload>${etags
        .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`)
        .join('')}</CompleteMultipartUpload>`;
      const completed = await send(
        'CompleteMultipartUpload',
        'POST',
        urlOf(key, { uploadId }),
        Buffer.from(body),
        { 'content-type': 'application/xml' },
      );
      // S3 may answer 200 and still fail: the error is then in the body.
      const answer = await completed.text();
      if (answer.includes('<Error>')) {
        const code = /<Code>([^<]+)<\/Code>/.exec(answer)?.[1] ?? 'unknown';
        throw new KeelError('upstream_failed', `S3 CompleteMultipartUpload failed: ${code}.`);
      }
      return size;
    } catch (error) {
      await send('AbortMultipartUpload', 'DELETE', urlOf(key, { uploadId }))
        .then((r) => r.arrayBuffer())
        .catch(() => undefined);
      throw error;
    }
  }

  return {
    kind: 's3',

    async put(key, body) {
      assertStorageKey(key);
      const chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      const held: Buffer[] = [];
      let heldLength = 0;
      try {
        // Hold up to one part; only a body larger than that becomes a multipart upload.
        for (;;) {
          const next = await chunks.next();
          if (next.done) break;
          const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
          held.push(chunk);
          heldLength += chunk.length;
          if (heldLength > partSize) {
            const all = Buffer.concat(held);
            const size = await multipart(key, all.subarray(0, partSize), chunks, [all.subarray(partSize)]);
            return { size };
          }
        }
      } catch (error) {
        body.destroy();
        throw error;
      }
      const all = Buffer.concat(held);
      const response = await send('PutObject', 'PUT', urlOf(key), all);
      await response.arrayBuffer();
      return { size: all.length };
    },

    async get(key) {
      const response = await send('GetObject', 'GET', urlOf(key));
      if (!response.body) return Readable.from([]);
      return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    },

    async delete(key) {
      const response = await send('DeleteObject', 'DELETE', urlOf(key));
      await response.arrayBuffer();
    },
  };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
