import type { Log } from '../../../kernel/log/index.js';
import { maskPhone } from '../users/users.repository.js';
import type { PhoneConfig } from './phone.config.js';

/**
 * Sends one text message. Implementations must never log the number or the text: the text holds
 * a sign-in code, and the number is personal data.
 *
 * @example
 * await sms.send('+821012345678', 'Your Keel sign-in code is 123456.');
 */
export interface SmsProvider {
  send(toE164: string, text: string): Promise<void>;
}

/** The gateway refused or could not be reached; the message says which, never what was sent. */
export class SmsDeliveryError extends Error {
  override name = 'SmsDeliveryError';
}

export interface ConsoleSmsOptions {
  log: Log;
  /** Where the message goes: the developer's terminal (default stderr), never the JSON log. */
  out?: { write(text: string): unknown };
}

/**
 * For development: nothing is sent. The message (with its code) is written to stderr for the
 * developer to read, the number masked; the structured log only says that a message was
 * "sent", to a masked number. stderr is used because stdout carries the JSONL log, and a code in
 * it would reach whatever collects logs.
 */
export function consoleSmsProvider(options: ConsoleSmsOptions): SmsProvider {
  const out = options.out ?? process.stderr;
  options.log.warn(
    'SMS_PROVIDER=console: sign-in codes are printed to stderr, not sent; set SMS_PROVIDER=http to send them',
  );
  return {
    async send(toE164, text) {
      const to = maskPhone(toE164);
      out.write(`[keel sms] to ${to}: ${text.replaceAll('\n', ' ')}\n`);
      options.log.info({ to }, 'sms written to stderr (console provider)');
    },
  };
}

export interface HttpSmsOptions {
  url: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string | undefined;
  timeoutMs?: number;
}

/**
 * A generic JSON webhook: `POST url` with `{ "to": "+8210...", "text": "..." }`; any 2xx is
 * success. Put a small adapter in front of a commercial SMS API to speak this.
 */
export function httpSmsProvider(options: HttpSmsOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async send(toE164, text) {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          },
          body: JSON.stringify({ to: toE164, text }),
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new SmsDeliveryError(`the SMS gateway could not be reached: ${reasonOf(error)}`);
      }
      await response.body?.cancel().catch(() => undefined);
      if (!response.ok) throw new SmsDeliveryError(`the SMS gateway answered HTTP ${response.status}`);
    },
  };
}

/** The provider the settings name. */
export function smsProviderFrom(config: PhoneConfig, log: Log): SmsProvider {
  return config.smsProvider === 'http'
    ? httpSmsProvider({ url: config.smsHttpUrl, token: config.smsHttpToken })
    : consoleSmsProvider({ log });
}

// The error chain's codes or messages (`TypeError: fetch failed < ECONNREFUSED`): a fetch error
// describes the connection, never the request body, so the number and the code stay out.
function reasonOf(error: unknown): string {
  const parts: string[] = [];
  for (
    let e: unknown = error;
    e && typeof e === 'object' && parts.length < 3;
    e = (e as { cause?: unknown }).cause
  ) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    parts.push(typeof code === 'string' ? code : String(message ?? 'error').slice(0, 100));
  }
  return parts.join(' < ') || 'unknown error';
}
