import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import { KeelError } from '../../../kernel/errors/index.js';
import { type Credits, createCredits } from './credits.service.js';

describe.each(testDatabases)('credits on $kind', (target) => {
  let t: OpenedTestDatabase;
  let credits: Credits;
  beforeAll(async () => {
    t = await target.open();
    credits = createCredits({ db: t.db });
  });
  afterAll(async () => {
    await t.drop();
  });

  const ledgerTotals = async (ownerId: string) => {
    const [row] = await t.db.query<{ sum: number | string; n: number | string; min: number | string }>(
      'select coalesce(sum(delta), 0) as sum, count(*) as n, coalesce(min(balance_after), 0) as min from plans.credit_ledger where owner_id = $1',
      [ownerId],
    );
    return { sum: Number(row?.sum), entries: Number(row?.n), lowest: Number(row?.min) };
  };

  it('grants and debits, recording each change with the balance it left', async () => {
    const owner = randomUUID();
    expect(await credits.balance(owner)).toEqual({ balance: 0, updatedAt: null });
    const granted = await credits.grant(owner, 100, 'admin:grant', 'ticket:42');
    expect(granted).toMatchObject({ ownerId: owner, delta: 100, balanceAfter: 100, reference: 'ticket:42' });
    const debited = await credits.debit(owner, 30, 'llm.tokens');
    expect(debited).toMatchObject({ delta: -30, balanceAfter: 70, reference: null });
    expect((await credits.balance(owner)).balance).toBe(70);
    expect((await credits.ledger(owner)).map((e) => e.delta)).toEqual([-30, 100]);
    expect((await credits.ledger(owner, { limit: 1, before: debited.id })).map((e) => e.delta)).toEqual([
      100,
    ]);
  });

  it('refuses a debit larger than the balance with a conflict naming both, taking nothing', async () => {
    const owner = randomUUID();
    await credits.grant(owner, 5, 'admin:grant');
    const error = await credits.debit(owner, 8, 'llm.tokens').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelError);
    expect(error).toMatchObject({
      code: 'conflict',
      message: 'Not enough credits: the balance is 5 and 8 are needed.',
      details: { owner_id: owner, balance: 5, amount: 8 },
    });
    const none = await credits.debit(randomUUID(), 1, 'llm.tokens').catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'conflict', details: { balance: 0, amount: 1 } });
    expect(await ledgerTotals(owner)).toEqual({ sum: 5, entries: 1, lowest: 5 });
  });

  it('never goes negative under 100 concurrent debits, and the ledger adds up', async () => {
    const owner = randomUUID();
    await credits.grant(owner, 75, 'admin:grant');
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => credits.debit(owner, 2, 'llm.tokens', `job:${i}`)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(37);
    expect(refused).toHaveLength(63);
    expect(refused.every((r) => r.status === 'rejected' && (r.reason as KeelError).code === 'conflict')).toBe(
      true,
    );
    expect((await credits.balance(owner)).balance).toBe(1);
    expect(await ledgerTotals(owner)).toEqual({ sum: 1, entries: 38, lowest: 1 });
    // Each successful debit saw a distinct balance: no two read the same one.
    const after = ok.map((r) => (r.status === 'fulfilled' ? r.value.balanceAfter : -1)).sort((a, b) => a - b);
    expect(new Set(after).size).toBe(37);
  });

  it('rejects bad amounts, reasons and references before touching anything', async () => {
    const owner = randomUUID();
    for (const [amount, reason, reference, field] of [
      [0, 'x', null, 'amount'],
      [1.5, 'x', null, 'amount'],
      [2_000_000_000, 'x', null, 'amount'],
      [1, "'; drop table plans.credit_ledger; --", null, 'reason'],
      [1, 'x', "'; drop table plans.credit_ledger; --", 'reference'],
      [1, 'x'.repeat(65), null, 'reason'],
    ] as const) {
      const error = await credits.grant(owner, amount, reason, reference).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'validation_failed',
        details: { errors: [expect.objectContaining({ field })] },
      });
    }
    expect(await ledgerTotals(owner)).toEqual({ sum: 0, entries: 0, lowest: 0 });
  });
});
