import { randomUUID } from 'node:crypto';
import type { Secrets } from '../../../kernel/crypto/index.js';
import { decryptString, encrypt, lookupHash } from '../../../kernel/crypto/index.js';
import type { SqlConnection } from '../../../kernel/db/index.js';

export const phonePurpose = 'identity.users.phone';

export type UserStatus = 'active' | 'inactive' | 'banned';

export interface UserRow {
  id: string;
  username: string | null;
  email: string | null;
  emailType: 'personal' | 'work' | null;
  fullName: string | null;
  phoneEncrypted: string | null;
  status: UserStatus;
  authStatus: 'unverified' | 'verified';
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const userColumns = `u.id, u.username, u.email, u.email_type as "emailType", u.full_name as "fullName",
  u.phone_encrypted as "phoneEncrypted", u.status, u.auth_status as "authStatus",
  u.last_login_at as "lastLoginAt", u.created_at as "createdAt", u.updated_at as "updatedAt"`;

export interface NewUser {
  username?: string | null;
  email?: string | null;
  emailType?: 'personal' | 'work' | null;
  fullName?: string | null;
  /** E.164 (`+821012345678`); stored encrypted, found by its HMAC. */
  phone?: string | null;
  authStatus?: 'unverified' | 'verified';
}

/** The HMAC a phone number is found by; the number itself is never stored in clear. */
export function phoneHashOf(secrets: Secrets, e164: string): string {
  return lookupHash(secrets.hmacKey, phonePurpose, e164);
}

/** Inserts a user with its profile and settings rows; returns the new id. */
export async function insertUser(tx: SqlConnection, secrets: Secrets, user: NewUser): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `insert into identity.users (id, username, email, email_type, full_name, phone_encrypted, phone_hash, auth_status)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      user.username ?? null,
      user.email ?? null,
      user.emailType ?? null,
      user.fullName ?? null,
      user.phone ? encrypt(secrets.ring, user.phone, id) : null,
      user.phone ? phoneHashOf(secrets, user.phone) : null,
      user.authStatus ?? 'unverified',
    ],
  );
  await tx.query('insert into identity.profiles (user_id) values ($1)', [id]);
  await tx.query('insert into identity.user_settings (user_id) values ($1)', [id]);
  return id;
}

export async function findUserById(conn: SqlConnection, id: string): Promise<UserRow | null> {
  const [row] = await conn.query<UserRow>(`select ${userColumns} from identity.users u where u.id = $1`, [
    id,
  ]);
  return row ?? null;
}

export async function findUserByPhone(
  conn: SqlConnection,
  secrets: Secrets,
  e164: string,
): Promise<UserRow | null> {
  const [row] = await conn.query<UserRow>(
    `select ${userColumns} from identity.users u where u.phone_hash = $1`,
    [phoneHashOf(secrets, e164)],
  );
  return row ?? null;
}

export async function findUserByUsername(conn: SqlConnection, username: string): Promise<UserRow | null> {
  const [row] = await conn.query<UserRow>(
    `select ${userColumns} from identity.users u where lower(u.username) = lower($1)`,
    [username],
  );
  return row ?? null;
}

export async function findUserByEmail(conn: SqlConnection, email: string): Promise<UserRow | null> {
  const [row] = await conn.query<UserRow>(
    `select ${userColumns} from identity.users u where lower(u.email) = lower($1)`,
    [email],
  );
  return row ?? null;
}

/** The phone number of a user row, decrypted (AAD: the user id). */
export function phoneOf(secrets: Secrets, user: Pick<UserRow, 'id' | 'phoneEncrypted'>): string | null {
  return user.phoneEncrypted ? decryptString(secrets.ring, user.phoneEncrypted, user.id) : null;
}

/** `+82******5678`: enough to recognize a number, not enough to use it. */
export function maskPhone(e164: string): string {
  if (e164.length <= 6) return '*'.repeat(e164.length);
  return `${e164.slice(0, 3)}${'*'.repeat(e164.length - 7)}${e164.slice(-4)}`;
}
