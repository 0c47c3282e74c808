import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { describeRange, specialRangeOf } from './address-policy.js';
import { DestinationRefusedError, OutboundError } from './outbound.errors.js';

/** The admin's exception to the SSRF guard (see `allowlistFrom`). */
export type IsAllowed = (host: string, address: string) => boolean;

/** Every address of a host name, as `dns.lookup(host, { all: true })` gives them. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface CheckedDestination {
  url: URL;
  /** The host name without IPv6 brackets: what SNI and the Host header carry. */
  hostname: string;
  /** The addresses that passed the check, in resolver order; connect only to these. */
  addresses: LookupAddress[];
}

export interface CheckOptions {
  /** How the destination is named in messages: `webhook URL`, `push endpoint` (default `URL`). */
  what?: string;
  resolve?: Resolve;
}

/**
 * Checks a URL the way every notify request does: http(s) only, no credentials, and every
 * address the host resolves to on the public internet unless `isAllowed(host, address)`. Use it
 * when a URL is saved, to tell the user at once. Throws `DestinationRefusedError`, or an
 * `OutboundError` of kind `dns` when the host does not resolve (which may pass later).
 *
 * @example
 * await checkDestination('http://127.0.0.1:9/x', () => false, { what: 'webhook URL' });
 * // DestinationRefusedError: webhook URL http://127.0.0.1:9/… resolves to 127.0.0.1, a loopback
 * // address; ask an admin to allowlist it
 */
export async function checkDestination(
  url: string,
  isAllowed: IsAllowed,
  options: CheckOptions = {},
): Promise<CheckedDestination> {
  const what = options.what ?? 'URL';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DestinationRefusedError('invalid_url', `${what} is not a valid URL`);
  }
  const shown = shownUrl(parsed);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DestinationRefusedError(
      'scheme',
      `${what} must start with http:// or https://, not ${parsed.protocol}//`,
    );
  }
  if (parsed.username || parsed.password) {
    throw new DestinationRefusedError(
      'credentials',
      `${what} ${shown} must not contain a user name or password`,
    );
  }
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await checkHost(hostname, isAllowed, { ...options, what, shown });
  return { url: parsed, hostname, addresses };
}

/**
 * The same address check for a bare host name (an SMTP server): resolves it and returns the
 * addresses that passed, or throws like `checkDestination`.
 */
export async function checkHost(
  hostname: string,
  isAllowed: IsAllowed,
  options: CheckOptions & { shown?: string } = {},
): Promise<LookupAddress[]> {
  const what = options.what ?? 'host';
  const shown = options.shown ?? hostname;
  if (!hostname) throw new DestinationRefusedError('invalid_url', `${what} has no host`);
  let addresses: LookupAddress[];
  const literal = isIP(hostname);
  if (literal !== 0) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolve)(hostname);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new OutboundError(
        'dns',
        `${what} host ${hostname} could not be resolved (${String(code ?? error)})`,
        {
          cause: error,
        },
      );
    }
    if (addresses.length === 0) {
      throw new OutboundError('dns', `${what} host ${hostname} has no address`);
    }
  }
  for (const { address } of addresses) {
    const range = specialRangeOf(address);
    if (range && !isAllowed(hostname, address)) {
      throw new DestinationRefusedError(
        'address',
        `${what} ${shown} resolves to ${address}, ${describeRange(range)}; ask an admin to allowlist it`,
        address,
      );
    }
  }
  return addresses;
}

/**
 * A URL as messages show it: scheme, host and port, the path elided. Paths and queries carry
 * secrets often enough (Slack webhook URLs are the token) that no message repeats them.
 */
export function shownUrl(url: URL): string {
  const rest = url.pathname !== '/' || url.search ? '/…' : '';
  return `${url.protocol}//${url.host}${rest}`;
}
