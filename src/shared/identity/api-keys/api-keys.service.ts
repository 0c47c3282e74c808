import { randomBytes, randomUUID } from 'node:crypto';
import type { Secrets } from '../../../kernel/crypto/index.js';
import { lookupHash } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { type IdentityPrincipal, withOrgRole } from '../access/principal.js';
import type { Rbac } from '../access/rbac.js';
import { claimsOf } from '../sessions/sessions.service.js';

export const API_KEY_PREFIX = 'keel_';
const keyPurpose = 'identity.api_key';
/** A revoked key stops working on other processes within this long. */
const cacheTtlMs = 10_000;
const cacheMax = 10_000;
/** `last_used_at` is written at most this often per key, so a busy key costs no write per request. */
const touchEveryMs = 60_000;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  actions: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface CreatedApiKey extends ApiKeyView {
  /** The whole key: shown once, never stored. */
  key: string;
}

/**
 * API keys act for their owner with a subset of the owner's actions (seed 002 `api_keys`).
 *
 * @example
 * const { key } = await apiKeys.create(userId, { name: 'ci', actions: ['commits.draft'] });
 * // later: Authorization: Bearer keel_…
 */
export interface ApiKeysService {
  create(
    userId: string,
    input: { name: string; actions: string[]; expiresAt?: Date | null },
  ): Promise<CreatedApiKey>;
  list(userId: string): Promise<ApiKeyView[]>;
  /** False when the key is not the user's (or already revoked). */
  revoke(userId: string, keyId: string): Promise<boolean>;
  /** The principal a presented key stands for, or null when it is unknown, revoked or expired. */
  authenticate(key: string): Promise<IdentityPrincipal | null>;
}

const viewColumns = `id, name, prefix, actions, expires_at as "expiresAt", last_used_at as "lastUsedAt",
  revoked_at as "revokedAt", created_at as "createdAt"`;

export function createApiKeysService(deps: { db: Database; secrets: Secrets; rbac: Rbac }): ApiKeysService {
  const { db, secrets, rbac } = deps;
  const hashOf = (key: string) => lookupHash(secrets.hmacKey, keyPurpose, key);
  const cache = new Map<
    string,
    { principal: IdentityPrincipal | null; expiresAt: Date | null; at: number }
  >();
  const touched = new Map<string, number>();

  async function ownerActions(userId: string): Promise<ReadonlySet<string>> {
    const claims = await claimsOf(db, userId, randomUUID());
    return rbac.actionsOf(withOrgRole(claims.roles, claims.orgRole));
  }

  return {
    async create(userId, input) {
      const held = await ownerActions(userId);
      const missing = input.actions.filter((a) => !held.has(a));
      if (missing.length > 0) {
        throw new KeelError(
          'validation_failed',
          `A key cannot hold actions its owner does not: ${missing.join(', ')}.`,
          {
            details: {
              errors: [{ field: 'body.actions', message: `not held by you: ${missing.join(', ')}` }],
            },
          },
        );
      }
      if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
        throw new KeelError('validation_failed', 'expires_at must be in the future.', {
          details: { errors: [{ field: 'body.expires_at', message: 'must be in the future' }] },
        });
      }
      const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const [row] = await db.query<ApiKeyView>(
        `insert into identity.api_keys (id, user_id, name, prefix, key_hash, actions, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning ${viewColumns}`,
        [
          randomUUID(),
          userId,
          input.name,
          key.slice(0, 12),
          hashOf(key),
          [...new Set(input.actions)],
          input.expiresAt ?? null,
        ],
      );
      return { ...(row as ApiKeyView), key };
    },

    list(userId) {
      return db.query<ApiKeyView>(
        `select ${viewColumns} from identity.api_keys where user_id = $1 order by created_at desc`,
        [userId],
      );
    },

    async revoke(userId, keyId) {
      const rows = await db.query<{ keyHash: string }>(
        `update identity.api_keys set revoked_at = now() where id = $1 and user_id = $2 and revoked_at is null
         returning key_hash as "keyHash"`,
        [keyId, userId],
      );
      for (const row of rows) cache.delete(row.keyHash);
      return rows.length > 0;
    },

    async authenticate(key) {
      if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return null;
      const hash = hashOf(key);
      const now = Date.now();
      const hit = cache.get(hash);
      if (hit && now - hit.at < cacheTtlMs && (!hit.expiresAt || hit.expiresAt.getTime() > now)) {
        if (hit.principal) touch(hit.principal.apiKeyId as string, now);
        return hit.principal;
      }
      const [row] = await db.query<{ id: string; userId: string; actions: string[]; expiresAt: Date | null }>(
        `select k.id, k.user_id as "userId", k.actions, k.expires_at as "expiresAt"
         from identity.api_keys k join identity.users u on u.id = k.user_id
         where k.key_hash = $1 and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
           and u.status = 'active'`,
        [hash],
      );
      let principal: IdentityPrincipal | null = null;
      if (row) {
        const claims = await claimsOf(db, row.userId, randomUUID());
        const roles = withOrgRole(claims.roles, claims.orgRole);
        const held = await rbac.actionsOf(roles);
        principal = {
          kind: 'api_key',
          userId: row.userId,
          roles,
          actions: new Set(row.actions.filter((a) => held.has(a))),
          orgId: claims.orgId,
          sessionId: null,
          apiKeyId: row.id,
          globalRoles: claims.roles,
          scopes: new Set(row.actions),
        };
        touch(row.id, now);
      }
      if (cache.size >= cacheMax) cache.clear();
      cache.set(hash, { principal, expiresAt: row?.expiresAt ?? null, at: now });
      return principal;
    },
  };

  function touch(keyId: string, now: number) {
    if (now - (touched.get(keyId) ?? 0) < touchEveryMs) return;
    touched.set(keyId, now);
    db.query('update identity.api_keys set last_used_at = now() where id = $1', [keyId]).catch(() => {
      touched.delete(keyId);
    });
  }
}
