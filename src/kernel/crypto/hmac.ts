import { createHmac, type KeyObject } from 'node:crypto';

/** Plain HMAC-SHA256 (RFC 2104); `lookupHash` is the one to use for stored values. */
export function hmacSha256(key: KeyObject | Uint8Array, data: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * A deterministic, keyed hash for finding a row by a secret value (phone number, e-mail,
 * API key) without storing the value or a plain hash of it: phone numbers and nicknames have so
 * little entropy that an unkeyed hash is reversed by trying them all.
 *
 * Computes HMAC-SHA256(hmacKey, purpose || 0x00 || value) as 64 lowercase hex characters.
 * `purpose` (e.g. "identity.users.phone") separates uses, so the hash of a phone number never
 * equals the hash of the same string used as a nickname; it may not be empty or contain NUL,
 * which keeps the encoding unambiguous.
 *
 * Normalization is the caller's job and must be identical on write and on lookup: e.g. phone
 * numbers in E.164, e-mail addresses trimmed and lowercased, text in Unicode NFC. Whatever the
 * caller passes is hashed byte-for-byte as UTF-8.
 *
 * @example
 * const phoneHash = lookupHash(secrets.hmacKey, 'identity.users.phone', '+821012345678');
 * // where phone_hash = $1
 */
export function lookupHash(hmacKey: KeyObject, purpose: string, value: string): string {
  if (purpose === '' || purpose.includes('\0')) {
    throw new TypeError('lookupHash: purpose must be a non-empty string without NUL characters');
  }
  return createHmac('sha256', hmacKey)
    .update(purpose, 'utf8')
    .update('\0')
    .update(value, 'utf8')
    .digest('hex');
}
