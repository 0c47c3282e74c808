import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for S3 requests (header auth): the canonical request, the string to
 * sign, the derived key, and the `Authorization` header. Used by the S3 client and, to verify
 * what it receives, by the loopback fake S3 server in tests.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = sha256Hex('');

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 percent-encoding, as SigV4 wants it (`encodeURIComponent` leaves `!'()*` alone). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `/bucket/a b/c` → `/bucket/a%20b/c`: each segment encoded once (S3 does not double-encode). */
export function canonicalPath(decodedPath: string): string {
  return decodedPath.split('/').map(uriEncode).join('/') || '/';
}

export function canonicalQuery(params: Iterable<[string, string]>): string {
  return [...params]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** `20130524T000000Z` */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface CanonicalInput {
  method: string;
  /** The path, decoded (`/bucket/key`). */
  path: string;
  query: Iterable<[string, string]>;
  /** Every header to sign, by lower-case name. */
  headers: Record<string, string>;
  payloadHash: string;
}

export function canonicalRequest(input: CanonicalInput): { text: string; signedHeaders: string } {
  const names = Object.keys(input.headers)
    .map((n) => n.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const headerLines = names.map((n) => `${n}:${String(lower[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const text = [
    input.method.toUpperCase(),
    canonicalPath(input.path),
    canonicalQuery(input.query),
    headerLines,
    signedHeaders,
    input.payloadHash,
  ].join('\n');
  return { text, signedHeaders };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** The hex signature of a canonical request. */
export function signatureOf(options: {
  canonical: string;
  date: string;
  region: string;
  service: string;
  secretAccessKey: string;
}): string {
  const day = options.date.slice(0, 8);
  const scope = `${day}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', options.date, scope, sha256Hex(options.canonical)].join('\n');
  const kDate = hmac(`AWS4${options.secretAccessKey}`, day);
  const kRegion = hmac(kDate, options.region);
  const kService = hmac(kRegion, options.service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}

export interface SignOptions {
  method: string;
  url: URL;
  /** Headers to send and sign besides host, x-amz-date and x-amz-content-sha256. */
  headers?: Record<string, string>;
  payloadHash: string;
  region: string;
  service?: string;
  credentials: Credentials;
  now?: Date;
}

/** The headers that make a signed request: the given ones plus host, dates, hash and authorization. */
export function signRequest(options: SignOptions): Record<string, string> {
  const service = options.service ?? 's3';
  const date = amzDate(options.now ?? new Date());
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    host: options.url.host,
    'x-amz-date': date,
    'x-amz-content-sha256': options.payloadHash,
  };
  const { text, signedHeaders } = canonicalRequest({
    method: options.method,
    path: decodeURIComponent(options.url.pathname),
    query: options.url.searchParams.entries(),
    headers,
    payloadHash: options.payloadHash,
  });
  const signature = signatureOf({
    canonical: text,
    date,
    region: options.region,
    service,
    secretAccessKey: options.credentials.secretAccessKey,
  });
  const scope = `${date.slice(0, 8)}/${options.region}/${service}/aws4_request`;
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 …` header, or undefined when it is not one. */
export function parseAuthorization(header: string | undefined):
  | {
      accessKeyId: string;
      day: string;
      region: string;
      service: string;
      signedHeaders: string[];
      signature: string;
    }
  | undefined {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      header ?? '',
    );
  if (!match) return undefined;
  const [, accessKeyId, day, region, service, signed, signature] = match as unknown as string[];
  return {
    accessKeyId: accessKeyId as string,
    day: day as string,
    region: region as string,
    service: service as string,
    signedHeaders: (signed as string).split(';'),
    signature: signature as string,
  };
}
