import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { createKeyRing, parseHmacKey, parseKeyRing } from './index.js';
import { assertSeparateKeys } from './keyring.js';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

/** Runs `fn`, expects a ConfigError for `variable`, and checks no key material leaked into it. */
function configError(fn: () => unknown, variable: string, secrets: string[]): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error.variable).toBe(variable);
  expect(error.message.startsWith(`${variable}: `)).toBe(true);
  for (const secret of secrets) expect(error.message).not.toContain(secret);
  return error;
}

describe('parseKeyRing (KEEL_SECRET_KEYS)', () => {
  it('reads "id:key,..." newest first, in base64 or base64url, padded or not', () => {
    const ring = parseKeyRing(`k2:${k2.toString('base64url')},k1:${k1.toString('base64')}`);
    expect(ring.current.id).toBe('k2');
    expect(ring.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(ring.byId('k1')?.key.export().equals(k1)).toBe(true);
    expect(ring.byId('k2')?.key.export().equals(k2)).toBe(true);
    expect(ring.byId('k3')).toBeUndefined();
    expect(parseKeyRing(` k1:${k1.toString('base64').replace(/=+$/, '')} `).current.id).toBe('k1');
  });

  it('does not show key bytes when a ring is logged or serialized', () => {
    const ring = parseKeyRing(`k1:${k1.toString('base64')}`);
    const shown = `${inspect(ring, { depth: 5 })}${JSON.stringify(ring)}`;
    expect(shown).not.toContain(k1.toString('hex'));
    expect(shown).not.toContain(k1.toString('base64'));
    expect(shown).not.toMatch(/"data":\[/);
  });

  it('names the variable and the entry, never the key, when a value is wrong', () => {
    const short = randomBytes(16).toString('base64');
    expect(configError(() => parseKeyRing(`k1:${short}`), 'KEEL_SECRET_KEYS', [short]).message).toMatch(
      /"k1" to be 32 bytes \(it is 16\)/,
    );
    const long = randomBytes(33).toString('base64');
    configError(() => parseKeyRing(`k1:${long}`), 'KEEL_SECRET_KEYS', [long]);
    const good = k1.toString('base64');
    expect(configError(() => parseKeyRing(good), 'KEEL_SECRET_KEYS', [good]).message).toMatch(/entry 1/);
    expect(configError(() => parseKeyRing(`k1:${good},,`), 'KEEL_SECRET_KEYS', [good]).message).toMatch(
      /entry 2/,
    );
    expect(configError(() => parseKeyRing(`k.1:${good}`), 'KEEL_SECRET_KEYS', [good]).message).toMatch(/id/);
    expect(configError(() => parseKeyRing(`k1:${good}!`), 'KEEL_SECRET_KEYS', [good]).message).toMatch(
      /base64/,
    );
    expect(
      configError(() => parseKeyRing(`k1:${good},k1:${k2.toString('base64')}`), 'KEEL_SECRET_KEYS', [good])
        .message,
    ).toMatch(/"k1" appears twice/);
  });

  it('createKeyRing rejects an empty ring', () => {
    configError(() => createKeyRing([], 'KEEL_SECRET_KEYS'), 'KEEL_SECRET_KEYS', []);
  });
});

describe('parseHmacKey (KEEL_HMAC_KEY)', () => {
  it('accepts 32 bytes or more', () => {
    const long = randomBytes(64);
    expect(parseHmacKey(long.toString('base64')).export().equals(long)).toBe(true);
    expect(parseHmacKey(k1.toString('base64url')).symmetricKeySize).toBe(32);
  });

  it('rejects short or non-base64 keys without echoing them', () => {
    const short = randomBytes(31).toString('base64');
    expect(configError(() => parseHmacKey(short), 'KEEL_HMAC_KEY', [short]).message).toMatch(
      /at least 32 bytes/,
    );
    configError(() => parseHmacKey('not base64 at all'), 'KEEL_HMAC_KEY', ['not base64']);
  });

  it('must differ from every encryption key', () => {
    const ring = parseKeyRing(`k2:${k2.toString('base64')},k1:${k1.toString('base64')}`);
    const error = configError(
      () => assertSeparateKeys(ring, parseHmacKey(k1.toString('base64'))),
      'KEEL_HMAC_KEY',
      [k1.toString('base64')],
    );
    expect(error.message).toMatch(/"k1"/);
    expect(() => assertSeparateKeys(ring, parseHmacKey(randomBytes(32).toString('base64')))).not.toThrow();
  });
});
