import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runWithTrace } from '../trace/index.js';
import { createLog } from './index.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).trim().split('\n')) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { lines, log: createLog({ svc: 'api', level: 'info', destination }) };
}

describe('log', () => {
  it('writes JSONL with the six labels svc, lvl, ts, id, repo, trace', () => {
    const { lines, log } = capture();
    runWithTrace({ traceUuid: 't-1', userId: 'u-1', repoId: 'r-1' }, () => log.info('hello'));
    log.warn('outside');
    expect(lines[0]).toMatchObject({
      svc: 'api',
      lvl: 'info',
      id: 'u-1',
      repo: 'r-1',
      trace: 't-1',
      msg: 'hello',
    });
    expect(Date.parse(String(lines[0]?.ts))).not.toBeNaN();
    expect(lines[1]).toMatchObject({ lvl: 'warn', id: null, repo: null, trace: null });
  });

  it('redacts authorization, cookies, tokens, passwords, phone numbers and API keys', () => {
    const { lines, log } = capture();
    log.info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', 'x-api-key': 'keel_123' } },
        user: { password: 'hunter2', phone: '+821012345678', refreshToken: 'rt', apiKey: 'sk-live' },
        token: 'tok-value-1',
        phone_number: '010-1234-5678',
      },
      'sensitive',
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of [
      'Bearer abc',
      'sid=1',
      'keel_123',
      'hunter2',
      '+821012345678',
      '"rt"',
      'sk-live',
      'tok-value-1',
      '010-1234',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
