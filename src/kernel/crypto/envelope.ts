import { randomBytes } from 'node:crypto';
import { DecryptionError } from './crypto.errors.js';
import { IV_BYTES, open, seal, TAG_BYTES } from './gcm.js';
import type { KeyRing, RingKey } from './keyring.js';

/*
 * Ciphertext format, version 1 (one line of ASCII, safe in a text column, JSON and URLs):
 *
 *   kv1.<kid>.<wrapped>.<data>
 *
 *   kv1      format version. A future format gets a new prefix; this one must keep decrypting.
 *   kid      id of the key-encryption key (KEK) in the ring, [A-Za-z0-9_-]{1,32}.
 *   wrapped  base64url (no padding) of  iv(12) | AES-256-GCM(KEK, dek)(32) | tag(16)  = 60 bytes,
 *            with AAD = "keel:kv1:dek" 0x00 kid 0x00 aad.
 *   data     base64url (no padding) of  iv(12) | AES-256-GCM(dek, plaintext)(n) | tag(16),
 *            with AAD = "keel:kv1:data" 0x00 aad.
 *
 * dek is a fresh random 256-bit data key per value, so no KEK ever encrypts user data directly and
 * rotation (`rewrap`) replaces only the 60-byte wrapped part. Both layers authenticate the caller's
 * AAD (e.g. "identity.users.phone:<row id>"), so a ciphertext copied to another row or column
 * fails to open even if only one layer were checked. The wrap layer also binds the kid, so the
 * key id cannot be edited. The labels keep the two layers' AAD from ever colliding. `aad`
 * omitted and `aad = ''` are the same thing.
 *
 * Each KEK only wraps 32-byte keys under random 96-bit IVs; NIST SP 800-38D allows 2^32 such
 * wraps per key, far beyond the values a Keel install stores between rotations.
 */
const version = 'kv1';
const dekBytes = 32;
const wrappedBytes = IV_BYTES + dekBytes + TAG_BYTES;
const minDataBytes = IV_BYTES + TAG_BYTES;
const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;
const base64urlPattern = /^[A-Za-z0-9_-]*$/;

interface ParsedCiphertext {
  keyId: string;
  wrapped: Buffer;
  /** The data part as written, so `rewrap` keeps it byte-for-byte. */
  dataText: string;
  data: Buffer;
}

/**
 * Encrypts `plaintext` (strings as UTF-8) under the ring's current key.
 *
 * @example
 * const stored = encrypt(ring, '+821012345678', `identity.users.phone:${userId}`);
 * decryptString(ring, stored, `identity.users.phone:${userId}`); // '+821012345678'
 */
export function encrypt(ring: KeyRing, plaintext: string | Buffer, aad = ''): string {
  const bytes = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const dek = randomBytes(dekBytes);
  try {
    const data = seal(dek, bytes, dataAad(aad));
    return format(ring.current.id, wrap(ring.current, dek, aad), data.toString('base64url'));
  } finally {
    dek.fill(0);
  }
}

/** Decrypts a ciphertext from `encrypt`; throws DecryptionError on any mismatch. */
export function decrypt(ring: KeyRing, ciphertext: string, aad = ''): Buffer {
  const parsed = parse(ciphertext);
  const dek = unwrap(ring, parsed, aad);
  try {
    return open(dek, parsed.data, dataAad(aad));
  } catch {
    throw new DecryptionError(
      'authentication_failed',
      `ciphertext under key "${parsed.keyId}" failed authentication: the data was altered or the AAD differs`,
      parsed.keyId,
    );
  } finally {
    dek.fill(0);
  }
}

/** `decrypt`, decoded as UTF-8. */
export function decryptString(ring: KeyRing, ciphertext: string, aad = ''): string {
  return decrypt(ring, ciphertext, aad).toString('utf8');
}

/**
 * Re-wraps the data key under the ring's current key, leaving the encrypted data untouched.
 * Returns `ciphertext` itself when it already uses the current key. The wrap layer (and so the
 * AAD) is verified; the data layer is not opened, which is what makes rotation cheap. A data part
 * altered before rotation still fails at `decrypt`.
 */
export function rewrap(ring: KeyRing, ciphertext: string, aad = ''): string {
  const parsed = parse(ciphertext);
  if (parsed.keyId === ring.current.id) return ciphertext;
  const dek = unwrap(ring, parsed, aad);
  try {
    return format(ring.current.id, wrap(ring.current, dek, aad), parsed.dataText);
  } finally {
    dek.fill(0);
  }
}

/** The id of the key a ciphertext is wrapped under; throws DecryptionError if it is not one. */
export function keyIdOf(ciphertext: string): string {
  return parse(ciphertext).keyId;
}

/** What every ciphertext under `keyId` starts with (lets SQL skip values already current). */
export function ciphertextPrefix(keyId: string): string {
  return `${version}.${keyId}.`;
}

/** True when `value` has the shape of a Keel ciphertext (no key is needed, nothing is verified). */
export function isCiphertext(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

function wrap(kek: RingKey, dek: Buffer, aad: string): string {
  return seal(kek.key, dek, wrapAad(kek.id, aad)).toString('base64url');
}

function unwrap(ring: KeyRing, parsed: ParsedCiphertext, aad: string): Buffer {
  const kek = ring.byId(parsed.keyId);
  if (!kek) {
    throw new DecryptionError(
      'unknown_key',
      `ciphertext is under key "${parsed.keyId}", which is not in the key ring (it has ${ring.keys.map((k) => `"${k.id}"`).join(', ')})`,
      parsed.keyId,
    );
  }
  try {
    return open(kek.key, parsed.wrapped, wrapAad(kek.id, aad));
  } catch {
    throw new DecryptionError(
      'authentication_failed',
      `data key under "${parsed.keyId}" failed authentication: the ciphertext was altered or the AAD differs`,
      parsed.keyId,
    );
  }
}

function format(keyId: string, wrapped: string, data: string): string {
  return `${version}.${keyId}.${wrapped}.${data}`;
}

function parse(ciphertext: string): ParsedCiphertext {
  if (typeof ciphertext !== 'string') throw malformed('expected a string');
  const parts = ciphertext.split('.');
  const [prefix, keyId, wrappedText, dataText] = parts;
  if (prefix !== version) {
    if (prefix && /^kv\d+$/.test(prefix)) {
      throw new DecryptionError(
        'unsupported_version',
        `ciphertext format "${prefix}" is not supported by this build`,
      );
    }
    throw malformed(`expected the prefix "${version}."`);
  }
  if (parts.length !== 4 || keyId === undefined || wrappedText === undefined || dataText === undefined) {
    throw malformed('expected four dot-separated parts');
  }
  if (!keyIdPattern.test(keyId)) throw malformed('expected a key id of 1-32 characters [A-Za-z0-9_-]');
  const wrapped = decodeBase64url(wrappedText, 'wrapped key');
  if (wrapped.length !== wrappedBytes) throw malformed(`expected a ${wrappedBytes}-byte wrapped key`);
  const data = decodeBase64url(dataText, 'data');
  if (data.length < minDataBytes) throw malformed(`expected at least ${minDataBytes} bytes of data`);
  return { keyId, wrapped, dataText, data };
}

// Strict: Node's decoder skips stray characters and ignores trailing bits, so an edited
// character could otherwise decode to the same bytes; re-encoding must give back the input.
function decodeBase64url(text: string, part: string): Buffer {
  const bytes = base64urlPattern.test(text) ? Buffer.from(text, 'base64url') : undefined;
  if (!bytes || bytes.toString('base64url') !== text)
    throw malformed(`expected unpadded base64url in the ${part}`);
  return bytes;
}

function malformed(detail: string): DecryptionError {
  return new DecryptionError('malformed', `not a Keel ciphertext: ${detail}`);
}

function wrapAad(keyId: string, aad: string): Buffer {
  return Buffer.from(`keel:${version}:dek\0${keyId}\0${aad}`, 'utf8');
}

function dataAad(aad: string): Buffer {
  return Buffer.from(`keel:${version}:data\0${aad}`, 'utf8');
}
