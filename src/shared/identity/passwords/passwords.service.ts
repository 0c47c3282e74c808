import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { ClientInfo, SessionsService, SignedIn } from '../sessions/sessions.service.js';

/** After this many wrong passwords in a row the account is locked for `LOCKOUT_MS`. */
export const MAX_FAILED_PASSWORDS = 5;
export const LOCKOUT_MS = 15 * 60_000;
export const MIN_PASSWORD_LENGTH = 12;

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1): ~30 ms here, slow enough against guessing.
const argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Verified against when the username is unknown, so both cases take the same time. A constant
 * (made with `argon2Options`): hashing it at start-up would hold argon2's 19 MiB for nothing.
 */
/** argon2 is a native addon of a few MB, loaded on the first password operation, not at start. */
const argon2 = () => import('@node-rs/argon2');

const decoyHash =
  '$argon2id$v=19$m=19456,t=2,p=1$D6GkhTf4O9h3tYr5CNlgRw$zOmnXbKaS+RFP4cVS7HGtJ/n51cqaYzqnxhr1B8FbDk';

/**
 * Username + password sign-in (seed 004 `admin_users`): argon2id hashes, and a lockout after
 * repeated failures that answers exactly like a wrong password, so it leaks nothing either.
 */
export interface PasswordsService {
  set(userId: string, password: string): Promise<void>;
  signIn(username: string, password: string, client: ClientInfo): Promise<SignedIn>;
}

export function createPasswordsService(deps: { db: Database; sessions: SessionsService }): PasswordsService {
  const { db, sessions } = deps;

  return {
    async set(userId, password) {
      if (password.length < MIN_PASSWORD_LENGTH) {
        throw new KeelError(
          'validation_failed',
          `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
          {
            details: {
              errors: [
                { field: 'body.password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
              ],
            },
          },
        );
      }
      const passwordHash = await (await argon2()).hash(password, argon2Options);
      await db.query(
        `insert into identity.password_credentials (user_id, password_hash) values ($1, $2)
         on conflict (user_id) do update set password_hash = excluded.password_hash, failed_attempts = 0,
           locked_until = null, updated_at = now()`,
        [userId, passwordHash],
      );
    },

    async signIn(username, password, client) {
      const refused = new KeelError('unauthorized', 'Wrong username or password, or the account is locked.');
      const [row] = await db.query<{ userId: string; passwordHash: string; lockedUntil: Date | null }>(
        `select c.user_id as "userId", c.password_hash as "passwordHash", c.locked_until as "lockedUntil"
         from identity.password_credentials c join identity.users u on u.id = c.user_id
         where lower(u.username) = lower($1)`,
        [username],
      );
      if (!row) {
        await (await argon2()).verify(decoyHash, password).catch(() => false);
        throw refused;
      }
      const matches = await (await argon2()).verify(row.passwordHash, password).catch(() => false);
      if (row.lockedUntil && row.lockedUntil.getTime() > Date.now()) throw refused;
      if (!matches) {
        await db.query(
          `update identity.password_credentials
           set failed_attempts = case when locked_until <= now() then 1 else failed_attempts + 1 end,
               locked_until = case
                 when locked_until <= now() then null
                 when failed_attempts + 1 >= $2 then now() + make_interval(secs => $3)
                 else locked_until end
           where user_id = $1`,
          [row.userId, MAX_FAILED_PASSWORDS, LOCKOUT_MS / 1000],
        );
        throw refused;
      }
      await db.query(
        'update identity.password_credentials set failed_attempts = 0, locked_until = null where user_id = $1',
        [row.userId],
      );
      return sessions.start(row.userId, 'password', client);
    },
  };
}
