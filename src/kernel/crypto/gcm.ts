import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';

/** AES-256-GCM with the only parameters Keel uses: 96-bit IVs and full 128-bit tags. */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

const algorithm = 'aes-256-gcm';

export type AesKey = KeyObject | Buffer;

/** Raw GCM encryption with a caller-chosen IV (test vectors need that; `seal` picks a random one). */
export function gcmEncrypt(
  key: AesKey,
  iv: Buffer,
  plaintext: Buffer,
  aad: Buffer,
): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createCipheriv(algorithm, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** Raw GCM decryption; throws (OpenSSL's error) when the tag does not verify. */
export function gcmDecrypt(key: AesKey, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer {
  // authTagLength pins the tag size: without it Node accepts truncated tags, which weakens GCM.
  const decipher = createDecipheriv(algorithm, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** Encrypts under a fresh random IV and returns `iv | ciphertext | tag`. */
export function seal(key: AesKey, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const { ciphertext, tag } = gcmEncrypt(key, iv, plaintext, aad);
  return Buffer.concat([iv, ciphertext, tag]);
}

/** Opens `iv | ciphertext | tag` as produced by `seal`. The caller checks the minimum length. */
export function open(key: AesKey, sealed: Buffer, aad: Buffer): Buffer {
  const iv = sealed.subarray(0, IV_BYTES);
  const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  return gcmDecrypt(key, iv, ciphertext, tag, aad);
}
