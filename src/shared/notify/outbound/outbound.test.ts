import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowlistFrom } from './address-policy.js';
import { checkDestination } from './destination.js';
import { DestinationRefusedError, OutboundError } from './outbound.errors.js';
import { createOutbound } from './outbound.js';

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/redirect') res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    else if (req.url === '/hang') return;
    else if (req.url === '/big') res.end('x'.repeat(200_000));
    else res.end(JSON.stringify({ host: req.headers.host, method: req.method }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const refuseAll = () => false;

describe('checkDestination', () => {
  it('refuses loopback by default, with a message a user can act on', async () => {
    const error = await checkDestination('http://127.0.0.1:9/x?token=s3cret', refuseAll, {
      what: 'webhook URL',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationRefusedError);
    expect((error as Error).message).toBe(
      'webhook URL http://127.0.0.1:9/… resolves to 127.0.0.1, a loopback address; ask an admin to allowlist it',
    );
    expect((error as DestinationRefusedError).status).toBe(400);
  });

  it.each([
    ['http://localhost:8080/', /resolves to (127\.0\.0\.1|::1), a loopback address/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254, a link-local address/],
    ['http://[::1]/', /::1, a loopback address/],
    ['http://[::ffff:127.0.0.1]/', /a loopback address/],
    ['http://10.0.0.5/', /a private address/],
    ['ftp://example.com/file', /must start with http:\/\/ or https:\/\//],
    ['https://user:pw@example.com/', /must not contain a user name or password/],
    ['not a url', /not a valid URL/],
  ])('refuses %s', async (url, message) => {
    await expect(checkDestination(url, refuseAll)).rejects.toThrow(message);
  });

  it('refuses when any resolved address is special, and allows what the allowlist names', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await expect(checkDestination('https://mixed.test/', refuseAll, { resolve })).rejects.toThrow(
      /10\.0\.0\.7/,
    );
    const checked = await checkDestination('https://mixed.test/', allowlistFrom(['10.0.0.0/8']), { resolve });
    expect(checked.addresses).toHaveLength(2);
    expect(checked.hostname).toBe('mixed.test');
  });
});

describe('createOutbound', () => {
  it('refuses loopback unless allowlisted', async () => {
    const closed = createOutbound({ isAllowed: refuseAll });
    await expect(closed.request(`${origin}/`, { method: 'GET', headers: {} })).rejects.toBeInstanceOf(
      DestinationRefusedError,
    );
    const open = createOutbound({ isAllowed: allowlistFrom(['127.0.0.1/32']) });
    const res = await open.request(`${origin}/`, { method: 'POST', headers: {}, body: 'hi' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ method: 'POST' });
    open.close();
  });

  it('connects to the checked address and keeps the host name in Host', async () => {
    let calls = 0;
    // A resolver that would answer differently the second time (rebinding): only one call is made.
    const resolve = async () => [{ address: calls++ === 0 ? '127.0.0.1' : '10.9.9.9', family: 4 }];
    const outbound = createOutbound({ isAllowed: allowlistFrom(['hooks.test']), resolve });
    const port = (server.address() as AddressInfo).port;
    const res = await outbound.request(`http://hooks.test:${port}/`, { method: 'GET', headers: {} });
    expect(JSON.parse(res.body)).toMatchObject({ host: `hooks.test:${port}` });
    expect(calls).toBe(1);
    outbound.close();
  });

  it('does not follow redirects', async () => {
    const outbound = createOutbound({ isAllowed: allowlistFrom(['127.0.0.1/32']) });
    const res = await outbound.request(`${origin}/redirect`, { method: 'GET', headers: {} });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://169.254.169.254/');
    outbound.close();
  });

  it('reads at most maxBodyBytes of an answer', async () => {
    const outbound = createOutbound({ isAllowed: allowlistFrom(['127.0.0.1/32']), maxBodyBytes: 1000 });
    const res = await outbound.request(`${origin}/big`, { method: 'GET', headers: {} });
    expect(res.body).toHaveLength(1000);
    expect(res.truncated).toBe(true);
    outbound.close();
  });

  it('times out and aborts with typed errors', async () => {
    const outbound = createOutbound({ isAllowed: allowlistFrom(['127.0.0.1/32']), timeoutMs: 100 });
    const timeout = await outbound
      .request(`${origin}/hang`, { method: 'GET', headers: {} })
      .catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(OutboundError);
    expect(timeout).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/within 100 ms/) });

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const aborted = await outbound
      .request(`${origin}/hang`, { method: 'GET', headers: {}, signal: controller.signal, timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(aborted).toMatchObject({ name: 'OutboundError', kind: 'aborted' });
    outbound.close();
  });

  it('reports a closed port as a network error', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const outbound = createOutbound({ isAllowed: allowlistFrom(['127.0.0.1/32']) });
    await expect(
      outbound.request(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {} }),
    ).rejects.toMatchObject({
      kind: 'network',
      message: expect.stringMatching(/ECONNREFUSED/),
    });
  });

  it('checks bare hosts for SMTP by the same rules', async () => {
    const outbound = createOutbound({ isAllowed: refuseAll });
    await expect(outbound.checkHost('127.0.0.1', 'SMTP host')).rejects.toThrow(
      'SMTP host 127.0.0.1 resolves to 127.0.0.1, a loopback address; ask an admin to allowlist it',
    );
  });
});
