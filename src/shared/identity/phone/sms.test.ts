import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLog } from '../../../kernel/log/index.js';
import { type FakeSmsGateway, startFakeSmsGateway } from './fake-sms-gateway.js';
import { consoleSmsProvider, httpSmsProvider, SmsDeliveryError } from './sms.js';

const number = '+821098765432';
const text = 'Your Keel sign-in code is 246813.';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, stream };
}

describe('console SMS provider', () => {
  it('writes the message to its own stream and only a masked number to the log', async () => {
    const log = capture();
    const out = capture();
    const sms = consoleSmsProvider({
      log: createLog({ svc: 'test', level: 'trace', destination: log.stream }),
      out: { write: (s: string) => out.lines.push(s) },
    });
    await sms.send(number, text);
    expect(out.lines.join('')).toContain('246813');
    expect(out.lines.join('')).toContain('+82******5432');
    expect(out.lines.join('')).not.toContain('98765432');
    const logged = log.lines.join('');
    expect(logged).toContain('+82******5432');
    expect(logged).toContain('SMS_PROVIDER=console');
    expect(logged).not.toContain('246813');
    expect(logged).not.toContain('98765432');
  });
});

describe('http SMS provider', () => {
  let gateway: FakeSmsGateway;
  beforeAll(async () => {
    gateway = await startFakeSmsGateway();
  });
  afterAll(() => gateway.close());

  it('posts {to, text} as JSON with the bearer token', async () => {
    await httpSmsProvider({ url: gateway.url, token: 'tok' }).send(number, text);
    const [sms] = gateway.received;
    expect(sms).toMatchObject({ to: number, text });
    expect(sms?.headers.authorization).toBe('Bearer tok');
    expect(sms?.headers['content-type']).toBe('application/json');
  });

  it('sends no Authorization header without a token', async () => {
    await httpSmsProvider({ url: gateway.url }).send(number, text);
    expect(gateway.received.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('fails on a non-2xx answer, naming the status and nothing that was sent', async () => {
    gateway.failNext(502);
    const error = await httpSmsProvider({ url: gateway.url })
      .send(number, text)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect((error as Error).message).toBe('the SMS gateway answered HTTP 502');
  });

  it('fails when the gateway cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await httpSmsProvider({ url: `http://127.0.0.1:${port}/send`, timeoutMs: 2_000 })
      .send(number, text)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect((error as Error).message).toMatch(/could not be reached: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('98765432');
  });
});
