import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, lookupHash } from './index.js';

describe('hmacSha256 (RFC 4231 test vectors)', () => {
  it('test case 1: 20-byte key, "Hi There"', () => {
    expect(hmacSha256(Buffer.alloc(20, 0x0b), 'Hi There').toString('hex')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
  });

  it('test case 2: key "Jefe", "what do ya want for nothing?"', () => {
    expect(hmacSha256(Buffer.from('Jefe'), 'what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('test case 6: 131-byte key, longer than the block size', () => {
    const data = 'Test Using Larger Than Block-Size Key - Hash Key First';
    expect(hmacSha256(Buffer.alloc(131, 0xaa), data).toString('hex')).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });
});

describe('lookupHash', () => {
  const key = createSecretKey(Buffer.alloc(32, 0x33));

  it('is HMAC-SHA256(key, purpose NUL value) in hex, fixed forever (lookups depend on it)', () => {
    // Also checked with: printf 'identity.users.phone\0+821012345678' | openssl dgst -sha256 -mac HMAC -macopt hexkey:33…33
    expect(lookupHash(key, 'identity.users.phone', '+821012345678')).toBe(
      '2724c0b603050d611df3cd446e18439432b4e24b16e7cbae46c3c8d451829bec',
    );
  });

  it('is deterministic, and depends on the key, the purpose and the value', () => {
    const a = lookupHash(key, 'identity.users.phone', '+821012345678');
    expect(lookupHash(key, 'identity.users.phone', '+821012345678')).toBe(a);
    expect(
      lookupHash(createSecretKey(Buffer.alloc(32, 0x34)), 'identity.users.phone', '+821012345678'),
    ).not.toBe(a);
    expect(lookupHash(key, 'identity.users.nickname', '+821012345678')).not.toBe(a);
    expect(lookupHash(key, 'identity.users.phone', '+821012345679')).not.toBe(a);
  });

  it('cannot be made to collide by moving bytes between purpose and value', () => {
    expect(lookupHash(key, 'ab', 'c')).not.toBe(lookupHash(key, 'a', 'bc'));
    expect(() => lookupHash(key, 'a\0b', 'c')).toThrow(/purpose/);
    expect(() => lookupHash(key, '', 'c')).toThrow(/purpose/);
  });

  it('hashes exactly what it is given (normalization is the caller’s)', () => {
    expect(lookupHash(key, 'identity.users.email', 'A@example.com')).not.toBe(
      lookupHash(key, 'identity.users.email', 'a@example.com'),
    );
  });
});
