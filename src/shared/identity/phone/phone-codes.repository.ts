import type { SqlConnection } from '../../../kernel/db/index.js';

/** One row of identity.phone_codes, as the sign-in flow reads it. */
export interface PhoneCodeRow {
  id: string;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  verifiedAt: Date | null;
  invalidatedAt: Date | null;
}

export interface NewPhoneCode {
  id: string;
  phoneHash: string;
  codeHash: string;
  ipHash: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/** What the rate limits look at: codes of this phone and of this IP over the last window. */
export interface SendHistory {
  phoneCount: number;
  phoneOldest: Date | null;
  phoneLatest: Date | null;
  ipCount: number;
  ipOldest: Date | null;
}

// Two-key advisory locks live in a key space apart from the one-key locks of the kernel's
// registry (PostgreSQL: "these two key spaces do not overlap"): 'kelp' here, the phone hash there.
const phoneLockClass = 0x6b656c70;

/**
 * Serializes code sends and checks of one phone number until the transaction ends, so two
 * concurrent requests cannot both pass the rate limit or both use one code.
 */
export async function lockPhone(tx: SqlConnection, phoneHash: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1::int, hashtext($2))', [phoneLockClass, phoneHash]);
}

export async function sendHistory(
  conn: SqlConnection,
  phoneHash: string,
  ipHash: string | null,
  since: Date,
): Promise<SendHistory> {
  const [row] = await conn.query<SendHistory>(
    `select count(*) filter (where phone_hash = $1)::int as "phoneCount",
            min(created_at) filter (where phone_hash = $1) as "phoneOldest",
            max(created_at) filter (where phone_hash = $1) as "phoneLatest",
            count(*) filter (where ip_hash = $2)::int as "ipCount",
            min(created_at) filter (where ip_hash = $2) as "ipOldest"
     from identity.phone_codes
     where (phone_hash = $1 or ip_hash = $2) and created_at > $3`,
    [phoneHash, ipHash, since],
  );
  return row ?? { phoneCount: 0, phoneOldest: null, phoneLatest: null, ipCount: 0, ipOldest: null };
}

/** Retires the phone's codes that could still be used: only the newest code ever works. */
export async function invalidateLiveCodes(tx: SqlConnection, phoneHash: string, now: Date): Promise<number> {
  const rows = await tx.query(
    `update identity.phone_codes set invalidated_at = $2
     where phone_hash = $1 and invalidated_at is null and verified_at is null and expires_at > $2
     returning id`,
    [phoneHash, now],
  );
  return rows.length;
}

export async function insertPhoneCode(tx: SqlConnection, code: NewPhoneCode): Promise<void> {
  await tx.query(
    `insert into identity.phone_codes (id, phone_hash, code_hash, ip_hash, expires_at, created_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [code.id, code.phoneHash, code.codeHash, code.ipHash, code.expiresAt, code.createdAt],
  );
}

export async function invalidateCode(conn: SqlConnection, id: string, now: Date): Promise<void> {
  await conn.query(
    'update identity.phone_codes set invalidated_at = $2 where id = $1 and invalidated_at is null',
    [id, now],
  );
}

/** The phone's most recent code, locked for this transaction. */
export async function latestCodeForUpdate(
  tx: SqlConnection,
  phoneHash: string,
): Promise<PhoneCodeRow | null> {
  const [row] = await tx.query<PhoneCodeRow>(
    `select id, code_hash as "codeHash", attempts, expires_at as "expiresAt", verified_at as "verifiedAt",
            invalidated_at as "invalidatedAt"
     from identity.phone_codes where phone_hash = $1
     order by created_at desc, id desc limit 1 for update`,
    [phoneHash],
  );
  return row ?? null;
}

export async function recordWrongAttempt(tx: SqlConnection, id: string): Promise<number> {
  const [row] = await tx.query<{ attempts: number }>(
    'update identity.phone_codes set attempts = attempts + 1 where id = $1 returning attempts',
    [id],
  );
  return row?.attempts ?? 0;
}

export async function markVerified(tx: SqlConnection, id: string, now: Date): Promise<void> {
  await tx.query('update identity.phone_codes set verified_at = $2 where id = $1', [id, now]);
}
