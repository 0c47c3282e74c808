import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { key1, key2, ringV1, ringV2 } from '../../../test/support/crypto.js';
import {
  createKeyRing,
  DecryptionError,
  decrypt,
  decryptString,
  encrypt,
  isCiphertext,
  keyIdOf,
  rewrap,
} from './index.js';

/*
 * Produced once by `encrypt` and committed: these must decrypt with every future build, or data
 * at rest becomes unreadable. Never regenerate them; add a new vector for a new format instead.
 */
const fixed = {
  text: 'Keel format vector v1: 한국어 ✓',
  aad: 'crypto.test:1',
  underK1:
    'kv1.k1.oVHbtdJilHD68axtV74cibXcFiPT1W6di9_C0JIj1HySgYCYtg7EYrJI-aIsh0ulQ9Kka_SsKLkOcI9s.' +
    'YUON7emuPY-HCd_x4k7oBZKwmWRlaQOKLGbD9PY6ra__89NID3nLPSIoOZ2nxUxO86xefJP7gDEbmV5IYn4gaw',
  bytesUnderK2NoAad:
    'kv1.k2.nC7Lycid8jpFhQlBBj6hncDJLxilTMqndmuy2ke9y2QL4uorz4oKTHt_RWCm6DD96kJjoGSljaNWyvqM.' +
    'nudo7Z7X2Z1310rjQ67mGFWhCaqmuO5fs0xFlGfQ4yM',
};

function failure(fn: () => unknown): DecryptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DecryptionError);
    return error as DecryptionError;
  }
  throw new Error('expected a DecryptionError');
}

/** Every ciphertext that differs from `ciphertext` in one bit of one byte of `part` (2 or 3). */
function* tamperedParts(ciphertext: string, part: 2 | 3): Generator<string> {
  const parts = ciphertext.split('.');
  const bytes = Buffer.from(parts[part] as string, 'base64url');
  for (let i = 0; i < bytes.length; i++) {
    const copy = Buffer.from(bytes);
    copy[i] = (copy[i] as number) ^ 0x01;
    const edited = [...parts];
    edited[part] = copy.toString('base64url');
    yield edited.join('.');
  }
}

describe('fixed Keel-format vectors (format stability)', () => {
  it('decrypt forever', () => {
    expect(decryptString(ringV1, fixed.underK1, fixed.aad)).toBe(fixed.text);
    expect(decryptString(ringV2, fixed.underK1, fixed.aad)).toBe(fixed.text);
    expect(decrypt(ringV2, fixed.bytesUnderK2NoAad).equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
  });

  it('follow the documented layout, opened here with plain AES-256-GCM', () => {
    const [version, kid, wrapped, data] = fixed.underK1.split('.') as [string, string, string, string];
    expect([version, kid]).toEqual(['kv1', 'k1']);
    const gcmOpen = (key: Buffer, sealed: Buffer, aad: string) => {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12), { authTagLength: 16 });
      d.setAAD(Buffer.from(aad));
      d.setAuthTag(sealed.subarray(-16));
      return Buffer.concat([d.update(sealed.subarray(12, -16)), d.final()]);
    };
    const dek = gcmOpen(key1, Buffer.from(wrapped, 'base64url'), `keel:kv1:dek\0k1\0${fixed.aad}`);
    expect(dek).toHaveLength(32);
    const plaintext = gcmOpen(dek, Buffer.from(data, 'base64url'), `keel:kv1:data\0${fixed.aad}`);
    expect(plaintext.toString('utf8')).toBe(fixed.text);
  });
});

describe('encrypt / decrypt', () => {
  it.each([
    ['ascii', 'hello'],
    ['empty', ''],
    ['unicode', '전화번호 +82 10-1234-5678 🚀'],
    ['long', 'x'.repeat(100_000)],
  ])('round-trips a %s string', (_name, text) => {
    const ciphertext = encrypt(ringV2, text, 'identity.users.nickname:42');
    expect(ciphertext).toMatch(/^kv1\.k2\.[A-Za-z0-9_-]{80}\.[A-Za-z0-9_-]+$/);
    expect(decryptString(ringV2, ciphertext, 'identity.users.nickname:42')).toBe(text);
  });

  it('round-trips bytes, and treats an omitted AAD as the empty AAD', () => {
    const bytes = Buffer.from([0, 0xff, 0x80, 10]);
    expect(decrypt(ringV2, encrypt(ringV2, bytes)).equals(bytes)).toBe(true);
    expect(decrypt(ringV2, encrypt(ringV2, bytes), '').equals(bytes)).toBe(true);
  });

  it('never produces the same ciphertext twice', () => {
    expect(encrypt(ringV2, 'same', 'a')).not.toBe(encrypt(ringV2, 'same', 'a'));
  });

  it('fails when the AAD differs (a value moved to another row or column)', () => {
    const ciphertext = encrypt(ringV2, '+821012345678', 'identity.users.phone:1');
    for (const aad of [
      'identity.users.phone:2',
      'identity.users.nickname:1',
      '',
      'identity.users.phone:1 ',
    ]) {
      expect(failure(() => decrypt(ringV2, ciphertext, aad)).reason).toBe('authentication_failed');
    }
  });

  it('fails when the data part of one ciphertext is grafted onto another wrapped key', () => {
    const a = encrypt(ringV2, 'alice').split('.');
    const b = encrypt(ringV2, 'bob').split('.');
    const grafted = [a[0], a[1], a[2], b[3]].join('.');
    expect(failure(() => decrypt(ringV2, grafted)).reason).toBe('authentication_failed');
  });

  it('fails on any flipped bit in the wrapped key or the data', () => {
    const ciphertext = encrypt(ringV2, 'secret value', 'aad');
    let count = 0;
    for (const part of [2, 3] as const) {
      for (const tampered of tamperedParts(ciphertext, part)) {
        expect(failure(() => decrypt(ringV2, tampered, 'aad')).reason).toBe('authentication_failed');
        count++;
      }
    }
    expect(count).toBe(60 + 12 + 'secret value'.length + 16);
  });

  it('fails on an edited version, key id, or base64url character that decodes to the same bytes', () => {
    const ciphertext = encrypt(ringV2, 'secret value', 'aad');
    const [, kid, wrapped, data] = ciphertext.split('.') as [string, string, string, string];
    expect(failure(() => decrypt(ringV2, `kv2.${kid}.${wrapped}.${data}`, 'aad')).reason).toBe(
      'unsupported_version',
    );
    expect(failure(() => decrypt(ringV2, `kv0.${kid}.${wrapped}.${data}`, 'aad')).reason).toBe(
      'unsupported_version',
    );
    expect(failure(() => decrypt(ringV2, `xv1.${kid}.${wrapped}.${data}`, 'aad')).reason).toBe('malformed');
    // k1 is in the ring too: the wrap is bound to its key id as well as to its key.
    expect(failure(() => decrypt(ringV2, `kv1.k1.${wrapped}.${data}`, 'aad')).reason).toBe(
      'authentication_failed',
    );
    // The data part is 40 bytes, so its last base64url character carries 4 unused bits:
    // flipping one leaves the bytes unchanged, and must still be refused.
    const last = data.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const edited = `${data.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`;
    expect(Buffer.from(edited, 'base64url').equals(Buffer.from(data, 'base64url'))).toBe(true);
    expect(failure(() => decrypt(ringV2, `kv1.${kid}.${wrapped}.${edited}`, 'aad')).reason).toBe('malformed');
  });

  it.each([
    ['empty', ''],
    ['plain text', '+821012345678'],
    ['three parts', 'kv1.k1.AAAA'],
    ['five parts', `${fixed.underK1}.AAAA`],
    ['padded base64', `${fixed.underK1}==`],
    ['short wrapped key', 'kv1.k1.AAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['short data', `${fixed.underK1.split('.').slice(0, 3).join('.')}.AAAA`],
    ['bad key id', fixed.underK1.replace('.k1.', '.k 1.')],
  ])('rejects a malformed value (%s) without echoing it', (_name, value) => {
    const error = failure(() => decrypt(ringV2, value));
    expect(error.reason).toBe('malformed');
    if (value.length > 8) expect(error.message).not.toContain(value);
  });

  it('names the missing key id when the ring lacks it', () => {
    const onlyK2 = createKeyRing([{ id: 'k2', key: key2 }]);
    const error = failure(() => decrypt(onlyK2, fixed.underK1, fixed.aad));
    expect(error.reason).toBe('unknown_key');
    expect(error.keyId).toBe('k1');
    expect(error.message).toMatch(/"k1".*not in the key ring.*"k2"/);
    expect(error.message).not.toContain(key2.toString('base64'));
  });
});

describe('rotation', () => {
  it('a ring [k2, k1] decrypts k1 ciphertexts and encrypts new ones under k2', () => {
    const old = encrypt(ringV1, 'before rotation', 'row:1');
    expect(keyIdOf(old)).toBe('k1');
    expect(decryptString(ringV2, old, 'row:1')).toBe('before rotation');
    expect(keyIdOf(encrypt(ringV2, 'after rotation'))).toBe('k2');
  });

  it('rewrap moves a ciphertext to the current key, keeps its plaintext and its data part', () => {
    const old = encrypt(ringV1, 'before rotation', 'row:1');
    const moved = rewrap(ringV2, old, 'row:1');
    expect(keyIdOf(moved)).toBe('k2');
    expect(moved.split('.')[3]).toBe(old.split('.')[3]);
    expect(decryptString(ringV2, moved, 'row:1')).toBe('before rotation');
    // Once k1 is retired, the moved value still opens.
    expect(decryptString(createKeyRing([{ id: 'k2', key: key2 }]), moved, 'row:1')).toBe('before rotation');
  });

  it('rewrap returns the same string when the value is already current', () => {
    const current = encrypt(ringV2, 'x', 'row:1');
    expect(rewrap(ringV2, current, 'row:1')).toBe(current);
  });

  it('rewrap checks the AAD and the wrapped key', () => {
    const old = encrypt(ringV1, 'x', 'row:1');
    expect(failure(() => rewrap(ringV2, old, 'row:2')).reason).toBe('authentication_failed');
    const [tampered] = tamperedParts(old, 2);
    expect(failure(() => rewrap(ringV2, tampered as string, 'row:1')).reason).toBe('authentication_failed');
  });

  it('isCiphertext recognizes the shape only', () => {
    expect(isCiphertext(fixed.underK1)).toBe(true);
    expect(isCiphertext('+821012345678')).toBe(false);
    expect(isCiphertext(null)).toBe(false);
    expect(() => keyIdOf('plain')).toThrow(DecryptionError);
  });
});
