import { describe, expect, it } from 'vitest';
import { classifyError, classifyHttp, parseRetryAfter, summarize } from './classify.js';
import { DestinationRefusedError, OutboundError } from './outbound.errors.js';

describe('classifyHttp', () => {
  it('maps statuses to outcomes', () => {
    expect(classifyHttp(200, {}).status).toBe('delivered');
    expect(classifyHttp(204, {}).status).toBe('delivered');
    expect(classifyHttp(302, { location: 'http://x' })).toEqual({
      status: 'failed',
      reason: 'redirect not followed (HTTP 302)',
      httpStatus: 302,
    });
    for (const status of [408, 425, 500, 502, 504]) expect(classifyHttp(status, {}).status).toBe('retry');
    for (const status of [400, 401, 403, 404, 410, 413, 422])
      expect(classifyHttp(status, {}).status).toBe('failed');
  });

  it('honours Retry-After on 429 and 503', () => {
    expect(classifyHttp(429, { 'retry-after': '30' }, 'slow down')).toEqual({
      status: 'retry',
      reason: 'HTTP 429: slow down',
      retryAfterMs: 30_000,
      httpStatus: 429,
    });
    expect(classifyHttp(503, { 'retry-after': '2' })).toMatchObject({ status: 'retry', retryAfterMs: 2000 });
    expect(classifyHttp(429, {})).not.toHaveProperty('retryAfterMs');
  });

  it('keeps addresses, numbers and URLs out of the reason', () => {
    const outcome = classifyHttp(
      400,
      {},
      "The 'To' number +15005550001 is not valid for bob@example.com, see https://x.test/a?token=1",
    );
    expect(outcome).toMatchObject({ status: 'failed' });
    const reason = outcome.status === 'failed' ? outcome.reason : '';
    expect(reason).not.toMatch(/15005550001|bob@|token/);
    expect(summarize('x'.repeat(500))).toHaveLength(200);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP-dates, capped at an hour', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(3_600_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('classifyError', () => {
  it('fails refused destinations and retries the rest', () => {
    expect(classifyError(new DestinationRefusedError('scheme', 'no'))).toEqual({
      status: 'failed',
      reason: 'no',
    });
    expect(classifyError(new OutboundError('timeout', 'slow'))).toEqual({ status: 'retry', reason: 'slow' });
    expect(classifyError(new TypeError('x'))).toEqual({
      status: 'retry',
      reason: 'unexpected error (TypeError)',
    });
  });
});
