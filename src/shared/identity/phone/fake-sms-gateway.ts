import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message the fake gateway received. */
export interface ReceivedSms {
  headers: IncomingHttpHeaders;
  to: string;
  text: string;
}

/**
 * Test support: a real HTTP server on loopback speaking the `http` SMS provider's webhook.
 * Tests read the codes from what it received, as a phone would.
 */
export interface FakeSmsGateway {
  url: string;
  received: ReceivedSms[];
  /** The code of the last message to `to` (E.164). */
  lastCode(to: string): string;
  /** Answer the next `count` requests with this status instead of 202. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

export async function startFakeSmsGateway(): Promise<FakeSmsGateway> {
  const received: ReceivedSms[] = [];
  let failures: { status: number; left: number } | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (failures && failures.left > 0) {
        failures.left--;
        res.writeHead(failures.status, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string };
      received.push({ headers: req.headers, to: body.to, text: body.text });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    received,
    lastCode(to) {
      const message = received.findLast((m) => m.to === to);
      const code = message?.text.match(/\b(\d{6})\b/)?.[1];
      if (!code) throw new Error(`no code was sent to ${to}`);
      return code;
    },
    failNext(status, count = 1) {
      failures = { status, left: count };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
