import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Credentials,
  canonicalRequest,
  parseAuthorization,
  sha256Hex,
  signatureOf,
  UNSIGNED_PAYLOAD,
} from '../sigv4.js';

/**
 * A loopback S3 server for tests: the subset Keel's client speaks (PutObject, GetObject,
 * DeleteObject and the four multipart calls), path-style, one bucket, objects in memory. Every
 * request must carry a valid SigV4 header signature over its headers and its payload hash, and
 * the payload must match that hash; anything else is refused the way S3 refuses it.
 */
export interface FakeS3 {
  endpoint: string;
  bucket: string;
  region: string;
  credentials: Credentials;
  objects: Map<string, Buffer>;
  /** Multipart uploads started and neither completed nor aborted. */
  openUploads(): number;
  /** Every request as `OPERATION key` (refused ones as `DENIED …`). */
  log: string[];
  close(): Promise<void>;
}

interface Upload {
  key: string;
  parts: Map<number, Buffer>;
}

export async function startFakeS3(
  options: { bucket?: string; region?: string; minPartSize?: number } = {},
): Promise<FakeS3> {
  const bucket = options.bucket ?? 'keel-test';
  const region = options.region ?? 'us-east-1';
  const minPartSize = options.minPartSize ?? 0;
  const credentials = { accessKeyId: 'AKIAKEELTEST', secretAccessKey: `fake-${randomUUID()}` };
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, Upload>();
  const log: string[] = [];

  const xmlError = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    );
  };

  /** Null when the signature and payload hash check out, else the S3 error code. */
  function verify(req: IncomingMessage, url: URL, body: Buffer): string | null {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return 'AccessDenied';
    if (auth.accessKeyId !== credentials.accessKeyId) return 'InvalidAccessKeyId';
    if (auth.region !== region || auth.service !== 's3') return 'AuthorizationHeaderMalformed';
    const date = String(req.headers['x-amz-date'] ?? '');
    if (!/^\d{8}T\d{6}Z$/.test(date) || date.slice(0, 8) !== auth.day) return 'AccessDenied';
    const skew = Math.abs(
      Date.now() -
        Date.parse(
          `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
        ),
    );
    if (!(skew < 15 * 60_000)) return 'RequestTimeTooSkewed';
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== UNSIGNED_PAYLOAD && payloadHash !== sha256Hex(body))
      return 'XAmzContentSHA256Mismatch';
    for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
      if (!auth.signedHeaders.includes(required)) return 'AccessDenied';
    }
    const headers: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const value = req.headers[name];
      if (value === undefined) return 'AccessDenied';
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const { text } = canonicalRequest({
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams.entries(),
      headers,
      payloadHash,
    });
    const expected = signatureOf({
      canonical: text,
      date,
      region,
      service: 's3',
      secretAccessKey: credentials.secretAccessKey,
    });
    const ok = timingSafeEqual(
      Buffer.from(expected),
      Buffer.from(auth.signature.padEnd(64, '0').slice(0, 64)),
    );
    return ok ? null : 'SignatureDoesNotMatch';
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake-s3');
    const [, bucketName, ...rest] = decodeURIComponent(url.pathname).split('/');
    const key = rest.join('/');
    const denied = verify(req, url, body);
    const method = req.method ?? 'GET';
    if (denied) {
      log.push(`DENIED ${method} ${key}: ${denied}`);
      return xmlError(res, denied === 'XAmzContentSHA256Mismatch' ? 400 : 403, denied, 'refused by the fake');
    }
    if (bucketName !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'no such bucket');
    if (!key) return xmlError(res, 400, 'InvalidRequest', 'a key is required');
    const uploadId = url.searchParams.get('uploadId');
    const record = (op: string) => log.push(`${op} ${key}`);

    if (method === 'PUT' && uploadId) {
      record('UploadPart');
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return xmlError(res, 404, 'NoSuchUpload', 'no such upload');
      const number = Number(url.searchParams.get('partNumber'));
      if (!Number.isInteger(number) || number < 1 || number > 10_000)
        return xmlError(res, 400, 'InvalidArgument', 'bad partNumber');
      upload.parts.set(number, body);
      res.writeHead(200, { etag: `"${sha256Hex(body).slice(0, 32)}"` });
      return res.end();
    }
    if (method === 'PUT') {
      record('PutObject');
      objects.set(key, body);
      res.writeHead(200, { etag: `"${sha256Hex(body).slice(0, 32)}"` });
      return res.end();
    }
    if (method === 'POST' && url.searchParams.has('uploads')) {
      record('CreateMultipartUpload');
      const id = randomUUID();
      uploads.set(id, { key, parts: new Map() });
      res.writeHead(200, { 'content-type': 'application/xml' });
      return res.end(
        `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (method === 'POST' && uploadId) {
      record('CompleteMultipartUpload');
      const upload = uploads.get(uploadId);
      if (!upload || upload.key !== key) return xmlError(res, 404, 'NoSuchUpload', 'no such upload');
      const listed = [
        ...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber><ETag>([^<]+)<\/ETag>/g),
      ];
      const parts: Buffer[] = [];
      for (const [index, [, number, etag]] of listed.entries()) {
        const part = upload.parts.get(Number(number));
        const quoted = (etag ?? '').replace(/&#34;/g, '"');
        if (!part || quoted !== `"${sha256Hex(part).slice(0, 32)}"` || Number(number) !== index + 1)
          return xmlError(res, 400, 'InvalidPart', 'a part is missing or its ETag differs');
        if (index < listed.length - 1 && part.length < minPartSize)
          return xmlError(res, 400, 'EntityTooSmall', 'a part is smaller than the minimum');
        parts.push(part);
      }
      if (parts.length === 0) return xmlError(res, 400, 'MalformedXML', 'no parts');
      objects.set(key, Buffer.concat(parts));
      uploads.delete(uploadId);
      res.writeHead(200, { 'content-type': 'application/xml' });
      return res.end(
        `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Key>${key}</Key></CompleteMultipartUploadResult>`,
      );
    }
    if (method === 'DELETE' && uploadId) {
      record('AbortMultipartUpload');
      uploads.delete(uploadId);
      res.writeHead(204);
      return res.end();
    }
    if (method === 'DELETE') {
      record('DeleteObject');
      objects.delete(key);
      res.writeHead(204);
      return res.end();
    }
    if (method === 'GET') {
      record('GetObject');
      const object = objects.get(key);
      if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, {
        'content-length': String(object.length),
        'content-type': 'application/octet-stream',
      });
      return res.end(object);
    }
    return xmlError(res, 405, 'MethodNotAllowed', 'not supported by the fake');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) xmlError(res, 500, 'InternalError', String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region,
    credentials,
    objects,
    openUploads: () => uploads.size,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
