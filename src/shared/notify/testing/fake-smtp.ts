import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail } from './mime.js';

/** One message the fake SMTP server accepted. */
export interface SmtpReceived {
  /** The envelope: MAIL FROM and RCPT TO. */
  envelopeFrom: string;
  envelopeTo: string[];
  /** From the headers. */
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  raw: string;
  /** The user that authenticated, if any. */
  user?: string;
}

/** Fail the next time the client reaches `stage`, with this SMTP reply code. */
export interface SmtpScripted {
  stage: 'mail' | 'rcpt' | 'data';
  code: number;
  message?: string;
}

export interface FakeSmtp {
  host: '127.0.0.1';
  port: number;
  /** The accepted credentials, when the fake was started with them. */
  auth?: { user: string; pass: string };
  received: SmtpReceived[];
  /** Queue failures; each is used once, at the first command of its stage. */
  script(...failures: SmtpScripted[]): void;
  /** Connections open now (nodemailer's pool keeps some). */
  readonly connections: number;
  close(): Promise<void>;
}

export interface FakeSmtpOptions {
  /** Require AUTH PLAIN/LOGIN with these credentials (default: no AUTH offered). */
  auth?: { user: string; pass: string };
}

/**
 * Test support: an `smtp-server` on 127.0.0.1 (random port), plain SMTP without STARTTLS (no
 * certificate to trust in tests), AUTH optional. Records each message, parsed enough to assert
 * on (`from`, `to`, `subject`, `messageId`, `text`, `html`). `script({ stage: 'rcpt', code: 450 })`
 * answers the next RCPT TO with 450; `data` fails after the message body was sent.
 */
export async function startFakeSmtp(options: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  const received: SmtpReceived[] = [];
  const failures: SmtpScripted[] = [];

  const failure = (stage: SmtpScripted['stage']): Error | null => {
    if (failures[0]?.stage !== stage) return null;
    const { code, message } = failures.shift() as SmtpScripted;
    return Object.assign(new Error(message ?? `scripted ${code} at ${stage}`), { responseCode: code });
  };

  const server = new SMTPServer({
    logger: false,
    // close() should not wait for a client's pooled connections (the default is 30 s).
    closeTimeout: 200,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onMailFrom(_address, _session, callback) {
      callback(failure('mail'));
    },
    onRcptTo(_address, _session, callback) {
      callback(failure('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const scripted = failure('data');
        if (scripted) return callback(scripted);
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail = parseMail(raw);
        const from = session.envelope.mailFrom;
        received.push({
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          from: mail.headers.from ?? '',
          to: mail.headers.to ?? '',
          subject: mail.headers.subject ?? '',
          messageId: mail.headers['message-id'] ?? '',
          ...(mail.text === undefined ? {} : { text: mail.text }),
          ...(mail.html === undefined ? {} : { html: mail.html }),
          headers: mail.headers,
          raw,
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
        });
        callback(null);
      });
    },
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    ...(options.auth ? { auth: options.auth } : {}),
    received,
    script(...more) {
      failures.push(...more);
    },
    get connections() {
      return server.connections.size;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
