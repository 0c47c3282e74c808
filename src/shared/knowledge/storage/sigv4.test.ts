import { describe, expect, it } from 'vitest';
import { canonicalRequest, EMPTY_SHA256, signatureOf, signRequest } from './sigv4.js';

// The worked example of AWS's S3 documentation ("Signature Calculations for the Authorization
// Header", GET Object with a Range header), with its published keys, date and signature.
const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const now = new Date('2013-05-24T00:00:00Z');

describe('SigV4', () => {
  it("matches AWS's published GET Object example", () => {
    const headers = signRequest({
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { range: 'bytes=0-9' },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      credentials,
      now,
    });
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('encodes paths once per segment and sorts the query', () => {
    const { text } = canonicalRequest({
      method: 'post',
      path: '/bucket/a b/c+d',
      query: [
        ['uploadId', 'x/y'],
        ['uploads', ''],
      ],
      headers: { Host: 'h', 'X-Amz-Date': '20130524T000000Z' },
      payloadHash: EMPTY_SHA256,
    });
    expect(text.split('\n').slice(0, 3)).toEqual(['POST', '/bucket/a%20b/c%2Bd', 'uploadId=x%2Fy&uploads=']);
    const signature = signatureOf({
      canonical: text,
      date: '20130524T000000Z',
      region: 'us-east-1',
      service: 's3',
      secretAccessKey: credentials.secretAccessKey,
    });
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });
});
