import { describe, expect, it } from 'vitest';
import { gcmDecrypt, gcmEncrypt, open, seal } from './gcm.js';

const hex = (s: string) => Buffer.from(s, 'hex');

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", Appendix B, 256-bit key cases.
const vectors = [
  {
    name: 'Test Case 13 (zero key, empty plaintext)',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    plaintext: '',
    aad: '',
    ciphertext: '',
    tag: '530f8afbc74536b9a963b4f1c4cb738b',
  },
  {
    name: 'Test Case 14 (zero key, one zero block)',
    key: '00'.repeat(32),
    iv: '00'.repeat(12),
    plaintext: '00'.repeat(16),
    aad: '',
    ciphertext: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919',
  },
  {
    name: 'Test Case 16 (with AAD, partial last block)',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    plaintext:
      'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
      '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    ciphertext:
      '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
      '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b',
  },
];

describe('AES-256-GCM', () => {
  it.each(vectors)('matches $name', (v) => {
    const { ciphertext, tag } = gcmEncrypt(hex(v.key), hex(v.iv), hex(v.plaintext), hex(v.aad));
    expect(ciphertext.toString('hex')).toBe(v.ciphertext);
    expect(tag.toString('hex')).toBe(v.tag);
    expect(gcmDecrypt(hex(v.key), hex(v.iv), hex(v.ciphertext), hex(v.tag), hex(v.aad)).toString('hex')).toBe(
      v.plaintext,
    );
  });

  it('rejects a vector with one bit of its tag, ciphertext or AAD flipped', () => {
    const v = vectors[2] as (typeof vectors)[number];
    const flip = (s: string) => {
      const b = hex(s);
      b[0] = (b[0] as number) ^ 1;
      return b;
    };
    expect(() => gcmDecrypt(hex(v.key), hex(v.iv), hex(v.ciphertext), flip(v.tag), hex(v.aad))).toThrow();
    expect(() => gcmDecrypt(hex(v.key), hex(v.iv), flip(v.ciphertext), hex(v.tag), hex(v.aad))).toThrow();
    expect(() => gcmDecrypt(hex(v.key), hex(v.iv), hex(v.ciphertext), hex(v.tag), flip(v.aad))).toThrow();
  });

  it('refuses a truncated tag instead of checking fewer bytes', () => {
    const v = vectors[2] as (typeof vectors)[number];
    const short = hex(v.tag).subarray(0, 12);
    expect(() => gcmDecrypt(hex(v.key), hex(v.iv), hex(v.ciphertext), short, hex(v.aad))).toThrow();
  });

  it('seal uses a fresh IV each time and open reverses it', () => {
    const key = Buffer.alloc(32, 7);
    const a = seal(key, Buffer.from('same'), Buffer.alloc(0));
    const b = seal(key, Buffer.from('same'), Buffer.alloc(0));
    expect(a.equals(b)).toBe(false);
    expect(open(key, a, Buffer.alloc(0)).toString()).toBe('same');
  });
});
