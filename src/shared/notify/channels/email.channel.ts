import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { summarize } from '../outbound/classify.js';
import { type ChannelDeps, channelAdapter, parseSettings } from './adapter.js';
import type { ChannelAdapter, DeliveryOutcome } from './channel.types.js';

/**
 * SMTP settings. `secure`: implicit TLS from the first byte (port 465); otherwise STARTTLS is
 * used when offered, and `requireTLS` refuses to go on without it (default on: the password and
 * the mail should not cross the network in clear).
 */
export const emailSettingsSchemas = {
  config: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(587),
    secure: z.boolean().default(false),
    requireTLS: z.boolean().default(true),
    /** `Keel <notify@example.com>` or a bare address. */
    from: z.string().min(3).regex(/@/, 'from needs an e-mail address'),
    username: z.string().min(1).optional(),
  }),
  secrets: z.object({ password: z.string().min(1).optional() }),
};

type Transport = ReturnType<typeof nodemailer.createTransport>;

// A checked address is trusted this long; then the host is resolved and checked again.
const recheckMs = 5 * 60_000;

// nodemailer's codes for "never got an SMTP answer": worth another try.
const connectionCodes = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'ECONNREFUSED',
]);

/**
 * One pooled nodemailer SMTP transport per adapter (closed by `close()`). Before it connects, the
 * SMTP host passes the same address check as every HTTP destination, and the transport connects
 * to the checked address (TLS still verifies the certificate for the host name). Each message's
 * Message-ID is derived from the delivery id, so a retry carries the same one.
 */
export function createEmailChannel(config: unknown, secrets: unknown, deps: ChannelDeps): ChannelAdapter {
  const settings = parseSettings('email', emailSettingsSchemas, config, secrets);
  const { host, port, secure, requireTLS, from, username } = settings.config;
  const domain = from.slice(from.lastIndexOf('@') + 1).replace(/[>\s].*$/, '') || 'keel.invalid';
  let pool: { transport: Transport; address: string; checkedAt: number } | null = null;
  let opening: Promise<Transport> | null = null;

  function createTransport(address: string): Transport {
    const servername = isIP(host) ? undefined : host;
    return nodemailer.createTransport({
      pool: true,
      maxConnections: 3,
      host: address,
      port,
      secure,
      requireTLS,
      // Connect to the checked address, but speak TLS (SNI, certificate check) for the host name.
      ...(servername ? { servername, tls: { servername } } : {}),
      ...(username ? { auth: { user: username, pass: settings.secrets.password ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      logger: false,
    });
  }

  function transport(): Promise<Transport> {
    if (pool && Date.now() - pool.checkedAt < recheckMs) return Promise.resolve(pool.transport);
    opening ??= (async () => {
      try {
        const [first] = await deps.outbound.checkHost(host, 'SMTP host');
        const address = (first as { address: string }).address;
        if (pool?.address === address) {
          pool.checkedAt = Date.now();
          return pool.transport;
        }
        pool?.transport.close();
        pool = { transport: createTransport(address), address, checkedAt: Date.now() };
        return pool.transport;
      } finally {
        opening = null;
      }
    })();
    return opening;
  }

  return channelAdapter(
    'email',
    async function deliverEmail({ deliveryId, destination, message, signal }) {
      if (!/^[^\s@<>]+@[^\s@<>]+$/.test(destination)) {
        return { status: 'failed', reason: 'the destination is not an e-mail address' };
      }
      const mailer = await transport();
      try {
        const info = await untilAborted(
          mailer.sendMail({
            from,
            to: destination,
            subject: message.subject,
            text: message.text,
            ...(message.html ? { html: message.html } : {}),
            messageId: `<${deliveryId.replace(/[^\w.-]/g, '')}@${domain}>`,
          }),
          signal,
        );
        return { status: 'delivered', providerMessageId: info.messageId };
      } catch (error) {
        // No SMTP answer at all: resolve and connect afresh next time (the server may have moved).
        if (isConnectionError(error) && pool?.transport === mailer) {
          pool = null;
          mailer.close();
        }
        return smtpOutcome(error);
      }
    },
    async function closeEmail() {
      pool?.transport.close();
      pool = null;
    },
  );
}

function isConnectionError(error: unknown): boolean {
  const { code, responseCode } = error as { code?: string; responseCode?: number };
  return responseCode === undefined && (code === undefined || connectionCodes.has(code));
}

/** SMTP 4xx and no answer at all: retry; 5xx: failed. The server's words lose addresses. */
export function smtpOutcome(error: unknown): DeliveryOutcome {
  if (error instanceof Error && error.name === 'AbortError') return { status: 'retry', reason: 'aborted' };
  const { code, responseCode, response, command } = error as {
    code?: string;
    responseCode?: number;
    response?: string;
    command?: string;
  };
  if (typeof responseCode === 'number') {
    const said = summarize(response ?? '');
    const reason = `SMTP ${responseCode}${command ? ` after ${command.split(' ')[0]}` : ''}${said ? `: ${said}` : ''}`;
    if (responseCode >= 400 && responseCode < 500) return { status: 'retry', reason };
    return { status: 'failed', reason };
  }
  const text = summarize(error instanceof Error ? error.message : String(error));
  if (code && !connectionCodes.has(code)) return { status: 'failed', reason: `SMTP ${code}: ${text}` };
  return { status: 'retry', reason: `SMTP ${code ?? 'error'}: ${text}` };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
