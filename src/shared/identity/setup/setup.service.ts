import { randomBytes, randomUUID } from 'node:crypto';
import { lookupHash } from '../../../kernel/crypto/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { IdentityServices } from '../identity.context.js';
import type { ClientInfo, SignedIn } from '../sessions/sessions.service.js';

/** How long a printed setup link works. */
export const SETUP_TTL_HOURS = 24;

/**
 * The first-run setup (issue 4): until an active admin exists, the server prints a one-time link
 * at every start; whoever opens it first chooses the first admin's name and password. After that
 * the link and the route do nothing (answer 410 / 404).
 *
 * @example
 * const token = await setup.issue(); // null once an admin exists
 * const signedIn = await setup.complete(token, 'root', 'a long password', client);
 */
export interface Setup {
  needed(): Promise<boolean>;
  /** A fresh token (older unused ones stop working), or null when setup is done. */
  issue(): Promise<string | null>;
  complete(token: string, username: string, password: string, client: ClientInfo): Promise<SignedIn>;
}

export function createSetup(services: IdentityServices): Setup {
  const { db, secrets } = services.ctx;
  const hashOf = (token: string) => lookupHash(secrets.hmacKey, 'identity.setup_token', token);

  async function needed(): Promise<boolean> {
    const [row] = await db.query<{ exists: boolean }>(
      `select exists (
         select 1 from identity.user_roles ur
           join identity.roles r on r.id = ur.role_id
           join identity.users u on u.id = ur.user_id
          where r.name = 'admin' and u.status = 'active' and u.erased_at is null) as exists`,
    );
    return !row?.exists;
  }

  async function explainRefusal(token: string): Promise<never> {
    const [row] = await db.query<{ expired: boolean; usedAt: Date | null }>(
      `select expires_at <= now() as expired, used_at as "usedAt" from identity.setup_tokens where token_hash = $1`,
      [hashOf(token)],
    );
    if (!row)
      throw new KeelError('not_found', 'This setup link is not valid; restart Keel to print a new one.');
    if (row.usedAt) throw new KeelError('gone', 'This setup link was already used.');
    throw new KeelError('gone', 'This setup link expired; restart Keel to print a new one.');
  }

  return {
    needed,

    async issue() {
      if (!(await needed())) return null;
      const token = randomBytes(32).toString('base64url');
      await db.transaction(async (tx) => {
        await tx.query('delete from identity.setup_tokens where used_at is null');
        await tx.query(
          `insert into identity.setup_tokens (id, token_hash, expires_at)
           values ($1, $2, now() + $3 * interval '1 hour')`,
          [randomUUID(), hashOf(token), SETUP_TTL_HOURS],
        );
      });
      return token;
    },

    async complete(token, username, password, client) {
      // Claim the token first (one statement, so two people with the link cannot both win), then
      // create the account; if that fails, give the token back and remove what was created.
      const [claimed] = await db.query<{ id: string }>(
        `update identity.setup_tokens set used_at = now()
          where token_hash = $1 and used_at is null and expires_at > now() returning id`,
        [hashOf(token)],
      );
      if (!claimed) await explainRefusal(token);
      const release = () =>
        db.query('update identity.setup_tokens set used_at = null where id = $1', [claimed?.id]);
      if (!(await needed())) throw new KeelError('gone', 'Keel already has an admin; sign in instead.');
      let userId: string | undefined;
      try {
        userId = (await services.users.create({ username, email: null, roles: ['admin'] }, null)).id;
        await services.passwords.set(userId, password);
        await db.query('update identity.setup_tokens set used_by = $2 where id = $1', [claimed?.id, userId]);
      } catch (error) {
        if (userId) await db.query('delete from identity.users where id = $1', [userId]);
        await release();
        throw error;
      }
      return services.sessions.start(userId, 'password', client);
    },
  };
}
