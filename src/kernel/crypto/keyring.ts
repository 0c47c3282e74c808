import { createSecretKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../config/index.js';

/** AES-256 key-encryption keys are exactly this long. */
export const KEY_BYTES = 32;
/** HMAC-SHA256 keys shorter than the hash output would weaken the lookup hashes. */
export const MIN_HMAC_KEY_BYTES = 32;

// Ids travel inside every ciphertext between dots, so they may not contain one.
const keyIdPattern = /^[A-Za-z0-9_-]{1,32}$/;
// Standard or URL-safe alphabet, optional padding: people paste keys from `openssl rand -base64`.
const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * One key-encryption key. The key is a KeyObject (which copies the bytes it is made from), not a Buffer, so that logging or serializing
 * a ring by mistake prints `SecretKeyObject {}` instead of the key bytes.
 */
export interface RingKey {
  readonly id: string;
  readonly key: KeyObject;
}

/** The key-encryption keys, newest first: new ciphertexts use `current`, old ones any key by id. */
export interface KeyRing {
  readonly current: RingKey;
  /** Every key, newest first (`keys[0]` is `current`). */
  readonly keys: readonly RingKey[];
  byId(id: string): RingKey | undefined;
}

/** Raw key material for `createKeyRing`, newest first. */
export interface KeyMaterial {
  id: string;
  key: Uint8Array;
}

/**
 * Builds a ring from raw keys (newest first). `source` names where they came from in errors,
 * e.g. `KEEL_SECRET_KEYS` or the key file's path.
 */
export function createKeyRing(keys: readonly KeyMaterial[], source = 'key ring'): KeyRing {
  if (keys.length === 0) throw new ConfigError(source, 'expected at least one key');
  const byId = new Map<string, RingKey>();
  keys.forEach((material, index) => {
    const position = `key ${index + 1}`;
    if (!keyIdPattern.test(material.id)) {
      throw new ConfigError(source, `expected ${position} to have an id of 1-32 characters [A-Za-z0-9_-]`);
    }
    if (material.key.length !== KEY_BYTES) {
      throw new ConfigError(
        source,
        `expected key "${material.id}" to be ${KEY_BYTES} bytes (it is ${material.key.length}); generate one with \`openssl rand -base64 32\``,
      );
    }
    if (byId.has(material.id))
      throw new ConfigError(source, `expected unique key ids ("${material.id}" appears twice)`);
    byId.set(material.id, Object.freeze({ id: material.id, key: createSecretKey(material.key) }));
  });
  const ringKeys = Object.freeze([...byId.values()]);
  return Object.freeze({
    current: ringKeys[0] as RingKey,
    keys: ringKeys,
    byId: (id: string) => byId.get(id),
  });
}

/**
 * Parses `KEEL_SECRET_KEYS`: `id:base64key,id:base64key,...`, newest first, each key 32 bytes
 * (base64 or base64url). Errors name the variable and the entry, never the key material.
 */
export function parseKeyRing(value: string, variable = 'KEEL_SECRET_KEYS'): KeyRing {
  const entries = value.split(',').map((entry) => entry.trim());
  const keys = entries.map((entry, index): KeyMaterial => {
    const position = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (entry === '' || colon < 0) {
      throw new ConfigError(
        variable,
        `expected "id:base64key" entries separated by commas (${position} is not)`,
      );
    }
    const id = entry.slice(0, colon);
    if (!keyIdPattern.test(id)) {
      throw new ConfigError(
        variable,
        `expected ${position} to start with an id of 1-32 characters [A-Za-z0-9_-]`,
      );
    }
    const key = decodeBase64(entry.slice(colon + 1));
    if (!key) throw new ConfigError(variable, `expected the key of "${id}" to be base64 or base64url`);
    return { id, key };
  });
  try {
    return createKeyRing(keys, variable);
  } finally {
    for (const { key } of keys) key.fill(0);
  }
}

/** Parses `KEEL_HMAC_KEY`: base64 or base64url, at least 32 bytes. */
export function parseHmacKey(value: string, variable = 'KEEL_HMAC_KEY'): KeyObject {
  const key = decodeBase64(value.trim());
  if (!key) throw new ConfigError(variable, 'expected a base64 or base64url key');
  try {
    return hmacKeyFrom(key, variable);
  } finally {
    key.fill(0);
  }
}

/** Wraps raw HMAC key bytes after checking their length. */
export function hmacKeyFrom(key: Uint8Array, source = 'KEEL_HMAC_KEY'): KeyObject {
  if (key.length < MIN_HMAC_KEY_BYTES) {
    throw new ConfigError(
      source,
      `expected a key of at least ${MIN_HMAC_KEY_BYTES} bytes (it is ${key.length}); generate one with \`openssl rand -base64 32\``,
    );
  }
  return createSecretKey(key);
}

/**
 * Rejects an HMAC key that is also an encryption key: one key per purpose, so a weakness in
 * one use (or a leaked lookup hash oracle) says nothing about the other.
 */
export function assertSeparateKeys(ring: KeyRing, hmacKey: KeyObject, variable = 'KEEL_HMAC_KEY'): void {
  const hmacBytes = hmacKey.export();
  try {
    for (const { id, key } of ring.keys) {
      const ringBytes = key.export();
      const same = ringBytes.equals(hmacBytes);
      ringBytes.fill(0);
      if (same)
        throw new ConfigError(
          variable,
          `expected a key different from every encryption key (it equals "${id}")`,
        );
    }
  } finally {
    hmacBytes.fill(0);
  }
}

function decodeBase64(text: string): Buffer | undefined {
  if (!base64Pattern.test(text)) return undefined;
  // Node's base64 decoder accepts both alphabets and missing padding.
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 ? bytes : undefined;
}
