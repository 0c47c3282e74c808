import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../../../kernel/db/index.js';

export interface NewOAuthState {
  stateHash: string;
  provider: string;
  codeVerifierEncrypted: string;
  nonceEncrypted: string;
  redirectTo: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface OAuthStateRow {
  stateHash: string;
  codeVerifierEncrypted: string;
  nonceEncrypted: string;
  redirectTo: string | null;
  expiresAt: Date;
}

export async function insertOAuthState(conn: SqlConnection, state: NewOAuthState): Promise<void> {
  await conn.query(
    `insert into identity.oauth_states
       (state_hash, provider, code_verifier_encrypted, nonce_encrypted, redirect_to, expires_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      state.stateHash,
      state.provider,
      state.codeVerifierEncrypted,
      state.nonceEncrypted,
      state.redirectTo,
      state.expiresAt,
      state.createdAt,
    ],
  );
}

/** Abandoned sign-ins leave rows behind; every new one sweeps the expired ones. */
export async function deleteExpiredStates(conn: SqlConnection, now: Date): Promise<void> {
  await conn.query('delete from identity.oauth_states where expires_at <= $1', [now]);
}

/** Deletes and returns the state: whatever happens next, it can be used only once. */
export async function consumeOAuthState(
  conn: SqlConnection,
  stateHash: string,
  provider: string,
): Promise<OAuthStateRow | null> {
  const [row] = await conn.query<OAuthStateRow>(
    `delete from identity.oauth_states where state_hash = $1 and provider = $2
     returning state_hash as "stateHash", code_verifier_encrypted as "codeVerifierEncrypted",
               nonce_encrypted as "nonceEncrypted", redirect_to as "redirectTo", expires_at as "expiresAt"`,
    [stateHash, provider],
  );
  return row ?? null;
}

export interface OAuthAccountRow {
  id: string;
  userId: string;
}

export async function findOAuthAccount(
  conn: SqlConnection,
  provider: string,
  subject: string,
): Promise<OAuthAccountRow | null> {
  const [row] = await conn.query<OAuthAccountRow>(
    'select id, user_id as "userId" from identity.oauth_accounts where provider = $1 and subject = $2',
    [provider, subject],
  );
  return row ?? null;
}

export async function insertOAuthAccount(
  conn: SqlConnection,
  account: { userId: string; provider: string; subject: string; email: string | null; now: Date },
): Promise<void> {
  await conn.query(
    `insert into identity.oauth_accounts (id, user_id, provider, subject, email, created_at, last_login_at)
     values ($1, $2, $3, $4, $5, $6, $6)`,
    [randomUUID(), account.userId, account.provider, account.subject, account.email, account.now],
  );
}

export async function touchOAuthAccount(
  conn: SqlConnection,
  id: string,
  email: string | null,
  now: Date,
): Promise<void> {
  await conn.query(
    'update identity.oauth_accounts set last_login_at = $2, email = coalesce($3, email) where id = $1',
    [id, now, email],
  );
}
