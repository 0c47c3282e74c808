import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type KeelConfig } from '../config/index.js';
import type { Log } from '../log/index.js';
import {
  assertSeparateKeys,
  createKeyRing,
  hmacKeyFrom,
  KEY_BYTES,
  type KeyMaterial,
  type KeyRing,
  parseHmacKey,
  parseKeyRing,
} from './keyring.js';

export const SECRET_FILE_NAME = 'secret.key';

/** Where the keys came from: the environment, an existing key file, or a key file made just now. */
export type SecretsSource = 'env' | 'file' | 'generated';

export interface Secrets {
  ring: KeyRing;
  hmacKey: KeyObject;
  source: SecretsSource;
  /** The key file, when `source` is 'file' or 'generated'. */
  path?: string;
}

export type SecretsConfig = Pick<KeelConfig, 'secretKeys' | 'hmacKey' | 'dataDir' | 'database'>;

/**
 * The key ring and HMAC key of this process. With KEEL_SECRET_KEYS and KEEL_HMAC_KEY set, those.
 * Without them, in embedded mode only, a key file `<dataDir>/secret.key` (mode 0600), created on
 * first start; every start that uses it logs one warning, because losing that file makes every
 * encrypted value unreadable. A server-mode deployment must set both variables.
 */
export function loadSecrets(config: SecretsConfig, log: Log): Secrets {
  const { secretKeys, hmacKey } = config;
  if (secretKeys && hmacKey) {
    const ring = parseKeyRing(secretKeys);
    const key = parseHmacKey(hmacKey);
    assertSeparateKeys(ring, key);
    return { ring, hmacKey: key, source: 'env' };
  }
  if (secretKeys || hmacKey) {
    // Half from the environment and half from a file would silently tie production data to a
    // file nobody backs up; ask for both instead.
    const missing = secretKeys ? 'KEEL_HMAC_KEY' : 'KEEL_SECRET_KEYS';
    const given = secretKeys ? 'KEEL_SECRET_KEYS' : 'KEEL_HMAC_KEY';
    throw new ConfigError(
      missing,
      `required when ${given} is set (set both, or neither to use a generated key file)`,
    );
  }
  if (config.database.kind !== 'embedded') {
    throw new ConfigError(
      'KEEL_SECRET_KEYS',
      'required with a PostgreSQL server DATABASE_URL ("id:base64key,...")',
    );
  }

  const path = join(config.dataDir, SECRET_FILE_NAME);
  const existing = readKeyFile(path, log);
  const { file, source } = existing
    ? { file: existing, source: 'file' as const }
    : createKeyFile(config.dataDir, path, log);
  log.warn(
    { path },
    source === 'generated'
      ? `KEEL_SECRET_KEYS and KEEL_HMAC_KEY are not set: generated encryption keys in ${path}; back it up (losing it makes encrypted data unreadable) or set both variables`
      : `KEEL_SECRET_KEYS and KEEL_HMAC_KEY are not set: using the generated encryption keys in ${path}; back it up or set both variables`,
  );
  return { ...file, source, path };
}

/** The JSON stored in `secret.key`. */
interface KeyFileJson {
  keys: Array<{ id: string; key: string }>;
  hmacKey: string;
}

function readKeyFile(path: string, log: Log): Pick<Secrets, 'ring' | 'hmacKey'> | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(
      path,
      `expected a readable key file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let text: string;
  try {
    const mode = fstatSync(fd).mode & 0o777;
    // POSIX modes do not describe Windows ACLs, so the check would only produce noise there.
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      log.warn(
        { path, mode: `0${mode.toString(8)}` },
        `key file ${path} is readable by other users (mode 0${mode.toString(8)}); run: chmod 600 ${path}`,
      );
    }
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  return parseKeyFile(text, path);
}

function parseKeyFile(text: string, path: string): Pick<Secrets, 'ring' | 'hmacKey'> {
  const expected =
    'expected JSON {"keys":[{"id","key"}],"hmacKey"} (keep the file: data encrypted with it needs it)';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the input, which here is key material.
    throw new ConfigError(path, expected);
  }
  if (!isKeyFileJson(json)) throw new ConfigError(path, expected);
  const keys: KeyMaterial[] = json.keys.map(({ id, key }) => ({ id, key: Buffer.from(key, 'base64') }));
  const hmacBytes = Buffer.from(json.hmacKey, 'base64');
  try {
    const ring = createKeyRing(keys, path);
    const hmacKey = hmacKeyFrom(hmacBytes, path);
    assertSeparateKeys(ring, hmacKey, path);
    return { ring, hmacKey };
  } finally {
    for (const { key } of keys) key.fill(0);
    hmacBytes.fill(0);
  }
}

function isKeyFileJson(value: unknown): value is KeyFileJson {
  if (typeof value !== 'object' || value === null) return false;
  const { keys, hmacKey } = value as Partial<Record<keyof KeyFileJson, unknown>>;
  return (
    typeof hmacKey === 'string' &&
    Array.isArray(keys) &&
    keys.every(
      (k: unknown) =>
        typeof k === 'object' &&
        k !== null &&
        typeof (k as { id?: unknown }).id === 'string' &&
        typeof (k as { key?: unknown }).key === 'string',
    )
  );
}

/**
 * Writes a new key file atomically and without clobbering: the content goes to a private temp
 * file, is flushed, then hard-linked into place. `link` fails if the name exists, so when two
 * processes start at once exactly one file wins and the loser reads it, instead of the second
 * rename replacing keys the first may already have used.
 */
function createKeyFile(
  dataDir: string,
  path: string,
  log: Log,
): { file: Pick<Secrets, 'ring' | 'hmacKey'>; source: 'file' | 'generated' } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const content: KeyFileJson = {
    keys: [{ id: 'local1', key: randomBytes(KEY_BYTES).toString('base64') }],
    hmacKey: randomBytes(32).toString('base64'),
  };
  const text = `${JSON.stringify(content, null, 2)}\n`;
  const temp = join(dataDir, `.${SECRET_FILE_NAME}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = true;
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    created = publish(temp, path);
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed into place, or never created.
    }
  }
  if (!created) {
    const winner = readKeyFile(path, log);
    if (!winner) throw new ConfigError(path, 'expected the key file another process just created');
    return { file: winner, source: 'file' };
  }
  syncDirectory(dataDir);
  return { file: parseKeyFile(text, path), source: 'generated' };
}

/** Puts `temp` at `path` unless a file is already there; false when one was. */
function publish(temp: string, path: string): boolean {
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
      // Some filesystems (FAT, some network mounts) have no hard links: fall back to rename,
      // which is still atomic, only not exclusive.
      renameSync(temp, path);
      return true;
    }
    throw error;
  }
}

// Makes the new directory entry durable; not possible on every platform, and not fatal there.
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows cannot open a directory for fsync.
  }
}
