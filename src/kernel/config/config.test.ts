import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from './index.js';

const serverSecrets = {
  KEEL_SECRET_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  KEEL_HMAC_KEY: Buffer.alloc(32, 2).toString('base64'),
};

describe('config', () => {
  it('defaults to an embedded database under ./.keel/data, port 8080 on loopback', () => {
    const config = parseConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:8080',
      database: { kind: 'embedded', dataDir: '/srv/app/.keel/data' },
      dataDir: '/srv/app/.keel',
      logLevel: 'info',
      redisUrl: undefined,
    });
  });

  it('reads memory://, file: and postgres:// database URLs', () => {
    expect(parseConfig({ DATABASE_URL: 'memory://' }).database).toEqual({ kind: 'embedded', dataDir: null });
    expect(parseConfig({ DATABASE_URL: 'file:db' }, '/x').database).toEqual({
      kind: 'embedded',
      dataDir: '/x/db',
    });
    expect(
      parseConfig({ DATABASE_URL: 'postgres://u@h:5432/keel', DATABASE_POOL_MAX: '4', ...serverSecrets })
        .database,
    ).toEqual({ kind: 'server', url: 'postgres://u@h:5432/keel', poolMax: 4 });
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: expected an integer port between 0 and 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT: expected an integer port/],
    [{ DATABASE_POOL_MAX: '1' }, /^DATABASE_POOL_MAX: expected a pool size between 2 and 1000/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: expected one of fatal, error/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected postgres:\/\//],
    [{ PUBLIC_URL: 'ftp://x' }, /^PUBLIC_URL: expected an http\(s\) URL/],
    [{ REDIS_URL: 'http://x' }, /^REDIS_URL: expected a redis:\/\//],
    [{ KEEL_SECRET_KEYS: 'no-colon' }, /^KEEL_SECRET_KEYS: expected a comma-separated key ring/],
  ])('rejects %j with one line naming the variable', (input, message) => {
    expect(() => parseConfig(input)).toThrow(ConfigError);
    expect(() => parseConfig(input)).toThrow(message);
  });

  it('never echoes a bad secret value', () => {
    try {
      parseConfig({ KEEL_SECRET_KEYS: 'leaked secret value' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('leaked');
    }
  });

  it('requires secret keys with a PostgreSQL server', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://h/db' })).toThrow(/^KEEL_SECRET_KEYS: required/);
    expect(() =>
      parseConfig({ DATABASE_URL: 'postgres://h/db', KEEL_SECRET_KEYS: serverSecrets.KEEL_SECRET_KEYS }),
    ).toThrow(/^KEEL_HMAC_KEY: required/);
  });

  it('reads keel.config.yml, and the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-config-'));
    writeFileSync(join(dir, 'keel.config.yml'), 'PORT: 9000\nLOG_LEVEL: debug\n');
    expect(loadConfig({}, dir)).toMatchObject({ port: 9000, logLevel: 'debug' });
    expect(loadConfig({ PORT: '9100' }, dir)).toMatchObject({ port: 9100, logLevel: 'debug' });
  });

  it('rejects unknown keys and broken YAML in the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-config-'));
    writeFileSync(join(dir, 'keel.config.yml'), 'PROT: 9000\n');
    expect(() => loadConfig({}, dir)).toThrow(/^PROT: is not a Keel setting/);
    writeFileSync(join(dir, 'keel.config.yml'), 'PORT: [\n');
    expect(() => loadConfig({}, dir)).toThrow(/^KEEL_CONFIG: expected valid YAML/);
    expect(() => loadConfig({ KEEL_CONFIG: 'missing.yml' }, dir)).toThrow(
      /^KEEL_CONFIG: expected a readable YAML file/,
    );
  });
});
