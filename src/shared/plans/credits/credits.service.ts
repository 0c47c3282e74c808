import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import {
  creditAccount,
  debitAccount,
  type LedgerEntry,
  readBalance,
  readLedger,
} from './credits.repository.js';

export type { LedgerEntry };

/** The largest amount one grant or debit may move. Keeps balances far below 2^53. */
export const MAX_CREDIT_AMOUNT = 1_000_000_000;
/** A reason is a short machine-readable code: `referral`, `mission`, `llm.tokens`, `admin:grant`. */
export const reasonPattern = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
/** A reference names what a change was for: an id, `order:123`, `referral:K7Q2M9XA`. */
export const referencePattern = /^[A-Za-z0-9_.:/#@+=-]{1,200}$/;

/**
 * Seed 002 `credits`: a balance per owner (a user or an org) that can never go below zero, and a
 * ledger of every change with the balance it left.
 *
 * @example
 * await credits.grant(userId, 500, 'admin:grant');
 * await credits.debit(userId, 30, 'llm.tokens', `job:${jobId}`); // throws conflict (409) when short
 */
export interface Credits {
  balance(ownerId: string): Promise<{ balance: number; updatedAt: Date | null }>;
  ledger(ownerId: string, options?: { limit?: number; before?: number }): Promise<LedgerEntry[]>;
  grant(ownerId: string, amount: number, reason: string, reference?: string | null): Promise<LedgerEntry>;
  /**
   * Takes `amount` atomically; throws KeelError('conflict') naming the balance and the amount when
   * the balance is short (nothing is taken then).
   */
  debit(ownerId: string, amount: number, reason: string, reference?: string | null): Promise<LedgerEntry>;
}

export function createCredits({ db }: { db: Database }): Credits {
  return {
    balance: (ownerId) => readBalance(db, ownerId),
    ledger: (ownerId, { limit = 20, before } = {}) =>
      readLedger(db, ownerId, Math.min(Math.max(limit, 1), 100), before),
    grant: (ownerId, amount, reason, reference = null) =>
      grantCredits(db, ownerId, amount, reason, reference),
    async debit(ownerId, amount, reason, reference = null) {
      checkChange(amount, reason, reference);
      const entry = await debitAccount(db, ownerId, amount, reason, reference);
      if (entry) return entry;
      const { balance } = await readBalance(db, ownerId);
      throw new KeelError(
        'conflict',
        `Not enough credits: the balance is ${balance} and ${amount} are needed.`,
        {
          details: { owner_id: ownerId, balance, amount },
        },
      );
    },
  };
}

/** Credits `ownerId` on `conn`, so callers may do it inside their own transaction (rewards). */
export async function grantCredits(
  conn: SqlConnection,
  ownerId: string,
  amount: number,
  reason: string,
  reference: string | null = null,
): Promise<LedgerEntry> {
  checkChange(amount, reason, reference);
  return creditAccount(conn, ownerId, amount, reason, reference);
}

function checkChange(amount: number, reason: string, reference: string | null): void {
  const errors: Array<{ field: string; message: string }> = [];
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_CREDIT_AMOUNT)
    errors.push({ field: 'amount', message: `must be a whole number from 1 to ${MAX_CREDIT_AMOUNT}` });
  if (!reasonPattern.test(reason))
    errors.push({ field: 'reason', message: 'must be 1-64 characters: a-z, 0-9 and _ . : -' });
  if (reference !== null && !referencePattern.test(reference))
    errors.push({
      field: 'reference',
      message: 'must be 1-200 characters: letters, digits and _ . : / # @ + = -',
    });
  if (errors.length > 0) {
    const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new KeelError('validation_failed', summary, { details: { errors } });
  }
}
