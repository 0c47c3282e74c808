import type { SqlConnection } from '../../../kernel/db/index.js';

export interface LedgerEntry {
  id: number;
  ownerId: string;
  /** Positive for a credit, negative for a debit. */
  delta: number;
  balanceAfter: number;
  reason: string;
  reference: string | null;
  createdAt: Date;
}

type RawEntry = Omit<LedgerEntry, 'id' | 'delta' | 'balanceAfter'> & {
  id: number | string;
  delta: number | string;
  balanceAfter: number | string;
};

const entryColumns = `id, owner_id as "ownerId", delta, balance_after as "balanceAfter", reason, reference,
  created_at as "createdAt"`;

// bigint arrives as a string from node-postgres and as a number from PGlite.
const toEntry = (r: RawEntry): LedgerEntry => ({
  ...r,
  id: Number(r.id),
  delta: Number(r.delta),
  balanceAfter: Number(r.balanceAfter),
});

/**
 * Adds `amount` to the owner's balance (opening the account on first use) and records it, in one
 * statement.
 */
export async function creditAccount(
  conn: SqlConnection,
  ownerId: string,
  amount: number,
  reason: string,
  reference: string | null,
): Promise<LedgerEntry> {
  const [row] = await conn.query<RawEntry>(
    `with account as (
       insert into plans.credit_accounts as a (owner_id, balance) values ($1, $2)
       on conflict (owner_id) do update set balance = a.balance + excluded.balance, updated_at = now()
       returning owner_id, balance
     )
     insert into plans.credit_ledger (owner_id, delta, balance_after, reason, reference)
     select owner_id, $2, balance, $3, $4 from account
     returning ${entryColumns}`,
    [ownerId, amount, reason, reference],
  );
  if (!row) throw new Error('crediting returned no ledger entry');
  return toEntry(row);
}

/**
 * Takes `amount` from the owner's balance and records it, in one statement, or returns null when
 * the balance is short. The update's `balance >= $2` is re-checked on the row as it is once its
 * lock is granted, so concurrent debits can never take the balance below zero.
 */
export async function debitAccount(
  conn: SqlConnection,
  ownerId: string,
  amount: number,
  reason: string,
  reference: string | null,
): Promise<LedgerEntry | null> {
  const [row] = await conn.query<RawEntry>(
    `with account as (
       update plans.credit_accounts set balance = balance - $2, updated_at = now()
        where owner_id = $1 and balance >= $2
       returning owner_id, balance
     )
     insert into plans.credit_ledger (owner_id, delta, balance_after, reason, reference)
     select owner_id, -$2::bigint, balance, $3, $4 from account
     returning ${entryColumns}`,
    [ownerId, amount, reason, reference],
  );
  return row ? toEntry(row) : null;
}

export async function readBalance(
  conn: SqlConnection,
  ownerId: string,
): Promise<{ balance: number; updatedAt: Date | null }> {
  const [row] = await conn.query<{ balance: number | string; updatedAt: Date }>(
    `select balance, updated_at as "updatedAt" from plans.credit_accounts where owner_id = $1`,
    [ownerId],
  );
  return row ? { balance: Number(row.balance), updatedAt: row.updatedAt } : { balance: 0, updatedAt: null };
}

/** Newest first; `before` pages by entry id. */
export async function readLedger(
  conn: SqlConnection,
  ownerId: string,
  limit: number,
  before?: number,
): Promise<LedgerEntry[]> {
  const rows = await conn.query<RawEntry>(
    `select ${entryColumns} from plans.credit_ledger
      where owner_id = $1 and ($3::bigint is null or id < $3::bigint)
      order by id desc limit $2`,
    [ownerId, limit, before ?? null],
  );
  return rows.map(toEntry);
}

/** Erasure keeps the amounts (they are the books) but drops what they were for. */
export async function anonymizeLedger(conn: SqlConnection, ownerId: string): Promise<Record<string, number>> {
  const rows = await conn.query(
    'update plans.credit_ledger set reference = null where owner_id = $1 and reference is not null returning 1',
    [ownerId],
  );
  return { credit_ledger: rows.length };
}
