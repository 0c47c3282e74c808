import { randomUUID } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import type { Log } from '../../../kernel/log/index.js';
import type { UserEraser } from '../../../kernel/module/index.js';

export type DeletionStatus = 'pending' | 'cancelled' | 'processing' | 'completed' | 'failed';

export interface DeletionRequest {
  id: string;
  userId: string;
  status: DeletionStatus;
  reason: string | null;
  requestedAt: Date;
  executeAfter: Date;
  completedAt: Date | null;
  report: Record<string, Record<string, number>>;
  error: string | null;
}

const columns = `id, user_id as "userId", status, reason, requested_at as "requestedAt",
  execute_after as "executeAfter", completed_at as "completedAt", report, error`;

/**
 * GDPR erasure (seed 000 `10_del_req`): a user asks, a grace period passes (they may cancel), then
 * one transaction runs every module's erasure hook, dependents first. Either every module's data
 * goes, or none does and the request is marked failed with the reason.
 *
 * @example
 * await deletion.request(userId, 'moving on');   // pending, executes after DELETION_GRACE_DAYS
 * await deletion.runDue();                        // the hourly job
 */
export interface DeletionService {
  request(userId: string, reason: string | null): Promise<DeletionRequest>;
  /** The user's latest request, or null. */
  latest(userId: string): Promise<DeletionRequest | null>;
  cancel(userId: string): Promise<DeletionRequest>;
  list(query: { status?: DeletionStatus; limit: number }): Promise<DeletionRequest[]>;
  /** Carries out one request now (an admin may skip the grace period). */
  run(requestId: string): Promise<DeletionRequest>;
  /** Carries out every pending request whose grace period is over; returns how many completed. */
  runDue(now?: Date): Promise<{ completed: number; failed: number }>;
}

export function createDeletionService(deps: {
  db: Database;
  log: Log;
  erasers: () => readonly UserEraser[];
  graceDays: number;
}): DeletionService {
  const { db, log } = deps;

  async function get(requestId: string): Promise<DeletionRequest> {
    const [row] = await db.query<DeletionRequest>(
      `select ${columns} from identity.deletion_requests where id = $1`,
      [requestId],
    );
    if (!row) throw new KeelError('not_found', 'No such deletion request.');
    return row;
  }

  async function run(requestId: string): Promise<DeletionRequest> {
    // Claim it first, so two workers never erase the same user at once.
    const [claimed] = await db.query<{ userId: string }>(
      `update identity.deletion_requests set status = 'processing', error = null
       where id = $1 and status in ('pending', 'failed') returning user_id as "userId"`,
      [requestId],
    );
    if (!claimed) {
      const current = await get(requestId);
      throw new KeelError('conflict', `This deletion request is ${current.status}.`);
    }
    try {
      await db.transaction(async (tx) => {
        const report: Record<string, Record<string, number>> = {};
        for (const eraser of deps.erasers()) report[eraser.module] = await eraser.erase(tx, claimed.userId);
        await tx.query(
          `update identity.deletion_requests set status = 'completed', completed_at = now(), report = $2, reason = null
           where id = $1`,
          [requestId, JSON.stringify(report)],
        );
      });
      log.info({ deletionRequest: requestId }, 'user data erased');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db.query(`update identity.deletion_requests set status = 'failed', error = $2 where id = $1`, [
        requestId,
        message.slice(0, 1000),
      ]);
      log.error({ err: error, deletionRequest: requestId }, 'erasure failed; nothing was erased');
    }
    return get(requestId);
  }

  return {
    async request(userId, reason) {
      try {
        const [row] = await db.query<DeletionRequest>(
          `insert into identity.deletion_requests (id, user_id, reason, execute_after)
           values ($1, $2, $3, now() + make_interval(days => $4)) returning ${columns}`,
          [randomUUID(), userId, reason, deps.graceDays],
        );
        return row as DeletionRequest;
      } catch (error) {
        if (isUniqueViolation(error))
          throw new KeelError('conflict', 'You already have a deletion request in progress.');
        throw error;
      }
    },

    async latest(userId) {
      const [row] = await db.query<DeletionRequest>(
        `select ${columns} from identity.deletion_requests where user_id = $1 order by requested_at desc limit 1`,
        [userId],
      );
      return row ?? null;
    },

    async cancel(userId) {
      const [row] = await db.query<DeletionRequest>(
        `update identity.deletion_requests set status = 'cancelled' where user_id = $1 and status = 'pending'
         returning ${columns}`,
        [userId],
      );
      if (!row) throw new KeelError('not_found', 'You have no pending deletion request.');
      return row;
    },

    list(query) {
      return db.query<DeletionRequest>(
        `select ${columns} from identity.deletion_requests where ($1::text is null or status = $1)
         order by requested_at desc limit $2`,
        [query.status ?? null, query.limit],
      );
    },

    run,

    async runDue(now = new Date()) {
      const due = await db.query<{ id: string }>(
        `select id from identity.deletion_requests where status = 'pending' and execute_after <= $1
         order by execute_after limit 100`,
        [now],
      );
      let completed = 0;
      let failed = 0;
      for (const { id } of due) {
        const result = await run(id).catch(() => null);
        if (result?.status === 'completed') completed += 1;
        else failed += 1;
      }
      return { completed, failed };
    },
  };
}
