import { KeelError } from '../../../kernel/errors/index.js';

/** Why a destination was refused; `address` is the SSRF guard's own verdict. */
export type Refusal = 'invalid_url' | 'scheme' | 'credentials' | 'address';

/**
 * Notify will not send to this destination, now or later: it is not an http(s) URL, carries
 * credentials, or resolves to an address outside the public internet that no admin allowlisted.
 * A `bad_request` KeelError, so a route that checks a URL at save time can let it through as a
 * 400 with this message; a channel turns it into a `failed` outcome.
 */
export class DestinationRefusedError extends KeelError {
  readonly refusal: Refusal;
  /** The resolved address that was refused (only for `address`). */
  readonly address: string | undefined;

  constructor(refusal: Refusal, message: string, address?: string) {
    super('bad_request', message, { details: { refusal } });
    this.name = 'DestinationRefusedError';
    this.refusal = refusal;
    this.address = address;
  }
}

/**
 * A request that did not get an answer: `timeout` (ours), `aborted` (the caller's signal), `dns`
 * (the host did not resolve), `network` (refused, reset, TLS…). Always worth a retry; the
 * message names the host, never the path or query (they can hold tokens).
 */
export class OutboundError extends Error {
  readonly kind: 'timeout' | 'aborted' | 'dns' | 'network';

  constructor(kind: OutboundError['kind'], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OutboundError';
    this.kind = kind;
  }
}
