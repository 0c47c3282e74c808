import type { Secrets } from '../../../kernel/crypto/index.js';
import { decryptString } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { readSnapshot } from './registry.repository.js';
import type { KeyRow, RegistrySnapshot } from './registry.types.js';

/** How long a process routes by its copy of the registry before reading it again. */
const ttlMs = 5_000;

/**
 * The registry as the gateway reads it on every call: kept in memory, read again after a few
 * seconds (changes made by other processes) or at once after a change through this process.
 */
export interface RegistryCache {
  snapshot(): Promise<RegistrySnapshot>;
  /** The vendor key in clear, for the SDK client only (never logged, never returned). */
  apiKeyOf(key: KeyRow): string;
  invalidate(): void;
}

export function createRegistryCache(deps: { db: Database; secrets: Secrets }): RegistryCache {
  let current: { snapshot: RegistrySnapshot; at: number } | undefined;
  let loading: Promise<RegistrySnapshot> | undefined;
  const decrypted = new Map<string, string>();
  return {
    async snapshot() {
      if (current && Date.now() - current.at < ttlMs) return current.snapshot;
      loading ??= readSnapshot(deps.db)
        .then((snapshot) => {
          current = { snapshot, at: Date.now() };
          return snapshot;
        })
        .finally(() => {
          loading = undefined;
        });
      return loading;
    },
    apiKeyOf(key) {
      const cacheKey = `${key.id}|${key.keyEncrypted}`;
      let value = decrypted.get(cacheKey);
      if (value === undefined) {
        value = decryptString(deps.secrets.ring, key.keyEncrypted, key.id);
        decrypted.set(cacheKey, value);
      }
      return value;
    },
    invalidate() {
      current = undefined;
      decrypted.clear();
    },
  };
}
