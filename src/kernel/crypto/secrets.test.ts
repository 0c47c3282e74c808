import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/index.js';
import { createLog } from '../log/index.js';
import { decryptString, encrypt, loadSecrets, type SecretsConfig } from './index.js';

const posix = process.platform !== 'win32';
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-secrets-'));
  dirs.push(dir);
  return dir;
}

/** A real Keel logger writing into an array, so tests see exactly what operators would. */
function captureLog() {
  const lines: Array<{ lvl: string; msg: string; [key: string]: unknown }> = [];
  let raw = '';
  const log = createLog({
    svc: 'test',
    level: 'debug',
    destination: {
      write(line: string) {
        raw += line;
        lines.push(JSON.parse(line));
      },
    },
  });
  return { log, lines, raw: () => raw };
}

function embedded(dataDir: string, env: Partial<SecretsConfig> = {}): SecretsConfig {
  return {
    secretKeys: undefined,
    hmacKey: undefined,
    dataDir,
    database: { kind: 'embedded', dataDir: null },
    ...env,
  };
}

describe('loadSecrets', () => {
  it('generates a 0600 key file (in a 0700 directory) in embedded mode, with one warning', () => {
    const dataDir = join(scratchDir(), '.keel');
    const { log, lines, raw } = captureLog();
    const secrets = loadSecrets(embedded(dataDir), log);

    const path = join(dataDir, 'secret.key');
    expect(secrets.source).toBe('generated');
    expect(secrets.path).toBe(path);
    if (posix) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    }
    expect(readdirSync(dataDir)).toEqual(['secret.key']);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.keys).toHaveLength(1);
    expect(Buffer.from(file.keys[0].key, 'base64')).toHaveLength(32);
    expect(Buffer.from(file.hmacKey, 'base64')).toHaveLength(32);
    expect(secrets.ring.current.id).toBe(file.keys[0].id);

    expect(lines).toHaveLength(1);
    expect(lines[0]?.lvl).toBe('warn');
    expect(lines[0]?.msg).toContain(path);
    expect(raw()).not.toContain(file.keys[0].key);
    expect(raw()).not.toContain(file.hmacKey);
  });

  it('reuses the file on the next start: same keys, so earlier ciphertexts still open', () => {
    const dataDir = scratchDir();
    const first = loadSecrets(embedded(dataDir), captureLog().log);
    const stored = encrypt(first.ring, 'kept across restarts');
    const { log, lines } = captureLog();
    const second = loadSecrets(embedded(dataDir), log);

    expect(second.source).toBe('file');
    expect(second.ring.current.id).toBe(first.ring.current.id);
    expect(second.ring.current.key.equals(first.ring.current.key)).toBe(true);
    expect(second.hmacKey.equals(first.hmacKey)).toBe(true);
    expect(decryptString(second.ring, stored)).toBe('kept across restarts');
    expect(lines.map((l) => l.lvl)).toEqual(['warn']);
  });

  it.runIf(posix)('warns when the key file is readable by others', () => {
    const dataDir = scratchDir();
    loadSecrets(embedded(dataDir), captureLog().log);
    chmodSync(join(dataDir, 'secret.key'), 0o644);
    const { log, lines } = captureLog();
    loadSecrets(embedded(dataDir), log);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.msg).toMatch(/readable by other users \(mode 0644\).*chmod 600/);
  });

  it('refuses a damaged key file without quoting it', () => {
    const dataDir = scratchDir();
    const secret = randomBytes(32).toString('base64');
    writeFileSync(join(dataDir, 'secret.key'), `{"keys":[{"id":"local1","key":"${secret}"}],"hmacKey":`, {
      mode: 0o600,
    });
    expect(() => loadSecrets(embedded(dataDir), captureLog().log)).toThrow(ConfigError);
    try {
      loadSecrets(embedded(dataDir), captureLog().log);
    } catch (error) {
      expect((error as Error).message).toContain('secret.key');
      expect((error as Error).message).not.toContain(secret);
    }
    writeFileSync(
      join(dataDir, 'secret.key'),
      JSON.stringify({ keys: [{ id: 'local1', key: 'AAAA' }], hmacKey: secret }),
    );
    expect(() => loadSecrets(embedded(dataDir), captureLog().log)).toThrow(/"local1" to be 32 bytes/);
  });

  it('uses KEEL_SECRET_KEYS and KEEL_HMAC_KEY when both are set, and writes no file', () => {
    const dataDir = scratchDir();
    const k2 = randomBytes(32).toString('base64');
    const k1 = randomBytes(32).toString('base64');
    const { log, lines } = captureLog();
    const secrets = loadSecrets(
      embedded(dataDir, { secretKeys: `k2:${k2},k1:${k1}`, hmacKey: randomBytes(32).toString('base64') }),
      log,
    );
    expect(secrets.source).toBe('env');
    expect(secrets.ring.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(lines).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('reports bad variables by name, without their values', () => {
    const dataDir = scratchDir();
    const short = randomBytes(16).toString('base64');
    const good = randomBytes(32).toString('base64');
    const cases: Array<[Partial<SecretsConfig>, string]> = [
      [{ secretKeys: `k1:${short}`, hmacKey: good }, 'KEEL_SECRET_KEYS'],
      [{ secretKeys: `k1:${good}`, hmacKey: short }, 'KEEL_HMAC_KEY'],
      [{ secretKeys: `k1:${good}`, hmacKey: good }, 'KEEL_HMAC_KEY'],
      [{ secretKeys: `k1:${good}` }, 'KEEL_HMAC_KEY'],
      [{ hmacKey: good }, 'KEEL_SECRET_KEYS'],
    ];
    for (const [env, variable] of cases) {
      let caught: unknown;
      try {
        loadSecrets(embedded(dataDir, env), captureLog().log);
      } catch (error) {
        caught = error;
      }
      expect(caught, variable).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).variable).toBe(variable);
      expect((caught as ConfigError).message).not.toContain(short);
      expect((caught as ConfigError).message).not.toContain(good);
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('never generates keys for a PostgreSQL server', () => {
    const dataDir = scratchDir();
    const server: SecretsConfig = {
      ...embedded(dataDir),
      database: { kind: 'server', url: 'postgres://localhost/keel', poolMax: 1 },
    };
    expect(() => loadSecrets(server, captureLog().log)).toThrow(/KEEL_SECRET_KEYS: required/);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
