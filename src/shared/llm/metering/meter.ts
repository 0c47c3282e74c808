import { createHash } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Log } from '../../../kernel/log/index.js';
import type { ModelRow } from '../registry/registry.types.js';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, read from the provider's prompt cache. */
  cachedInputTokens: number;
}

/** One attempt of one call, as `llm.requests` records it (seed 001 §3 `@track_tokens`). */
export interface AttemptRecord {
  requestId: string;
  attempt: number;
  traceUuid: string | null;
  userId: string | null;
  orgId: string | null;
  feature: string;
  operation: 'generate' | 'stream' | 'embed';
  provider: string;
  model: string;
  keyId: string | null;
  status: 'ok' | 'error' | 'cancelled';
  error: string | null;
  usage: TokenUsage;
  tokenSource: 'provider' | 'counted';
  durationMs: number;
  firstTokenMs: number | null;
  costUsd: number;
  cacheHit: boolean;
  /** On a cache hit: the cost the cached answer had (what the hit saved). */
  savedUsd?: number;
  /** The routing rule's A/B experiment. */
  experiment?: string | null;
  prompt: string | null;
  response: string | null;
  /** Store the texts (the org allows it) or only the prompt's hash. */
  storeText: boolean;
}

/** Cost in USD from the model's prices per million tokens; cached input at its own price. */
export function costOf(
  model: Pick<ModelRow, 'inputPricePerMtok' | 'outputPricePerMtok' | 'cachedInputPricePerMtok'>,
  usage: TokenUsage,
): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const cachedPrice = model.cachedInputPricePerMtok ?? model.inputPricePerMtok;
  return (
    ((usage.inputTokens - cached) * model.inputPricePerMtok +
      cached * cachedPrice +
      usage.outputTokens * model.outputPricePerMtok) /
    1_000_000
  );
}

/** The first day of the month of `now` (UTC), as PostgreSQL's date text. */
export function monthOf(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

export interface Reservation {
  subjects: Array<{ kind: 'org' | 'user'; id: string }>;
  amountUsd: number;
  month: string;
}

export interface Meter {
  /**
   * Queues the attempt's row: written in order, off the caller's path (a call's latency never
   * includes its own bookkeeping). Failures are logged.
   */
  record(attempt: AttemptRecord): void;
  /** Resolves once every queued row is written (tests, shutdown). */
  flush(): Promise<void>;
  /**
   * Holds `amountUsd` of the caller's org and user budgets for a call in flight; refused with
   * 402 when a budget cannot hold it. Exact under concurrency: one conditional update per budget.
   */
  reserve(
    caller: { userId: string | null; orgId: string | null },
    amountUsd: number,
    now?: Date,
  ): Promise<Reservation>;
  /** Releases the hold and books what the call really cost. */
  settle(reservation: Reservation, actualUsd: number): Promise<void>;
  /** Whether the caller's org (or user) lets prompt texts be stored. */
  storesPrompts(caller: { userId: string | null; orgId: string | null }): Promise<boolean>;
}

export function createMeter(deps: { db: Database; log: Log }): Meter {
  const { db, log } = deps;
  let queue: Promise<void> = Promise.resolve();

  return {
    record(a) {
      queue = queue.then(() =>
        write(a).catch((error: unknown) =>
          log.error({ err: error, requestId: a.requestId }, 'LLM request could not be metered'),
        ),
      );
    },

    flush() {
      return queue;
    },

    async reserve(caller, amountUsd, now = new Date()) {
      const month = monthOf(now);
      const subjects: Reservation['subjects'] = [];
      if (caller.orgId) subjects.push({ kind: 'org', id: caller.orgId });
      if (caller.userId) subjects.push({ kind: 'user', id: caller.userId });
      const held: Reservation['subjects'] = [];
      try {
        for (const subject of subjects) {
          // A new month starts from zero; the hold fits or nothing changes.
          const rows = await db.query<{ ok: boolean }>(
            `update llm.budgets set
               spent_usd = case when month = $3 then spent_usd else 0 end,
               reserved_usd = case when month = $3 then reserved_usd else 0 end + $4,
               month = $3, updated_at = now()
             where subject_kind = $1 and subject_id = $2
               and (case when month = $3 then spent_usd + reserved_usd else 0 end) + $4 <= monthly_limit_usd
             returning true as ok`,
            [subject.kind, subject.id, month, amountUsd],
          );
          if (rows.length > 0) {
            held.push(subject);
            continue;
          }
          const [budget] = await db.query<{ limit: number; spent: number; reserved: number; month: string }>(
            `select monthly_limit_usd::float8 as limit, spent_usd::float8 as spent, reserved_usd::float8 as reserved,
                    month::text as month
             from llm.budgets where subject_kind = $1 and subject_id = $2`,
            [subject.kind, subject.id],
          );
          if (!budget) continue; // no budget set: unlimited
          const next = new Date(`${month}T00:00:00Z`);
          next.setUTCMonth(next.getUTCMonth() + 1);
          throw new KeelError(
            'budget_exceeded',
            `The ${subject.kind}'s monthly LLM budget of $${budget.limit} cannot cover this call (spent $${budget.spent.toFixed(4)}, held $${budget.reserved.toFixed(4)}, this call up to $${amountUsd.toFixed(4)}).`,
            {
              details: {
                limit: `${subject.kind}_monthly_budget`,
                limit_usd: budget.limit,
                spent_usd: budget.spent,
                reserved_usd: budget.reserved,
                required_usd: amountUsd,
                resets_at: next.toISOString(),
              },
            },
          );
        }
      } catch (error) {
        await release(held, amountUsd, month).catch((releaseError: unknown) =>
          log.error({ err: releaseError }, 'budget hold could not be released'),
        );
        throw error;
      }
      return { subjects: held, amountUsd, month };
    },

    async settle(reservation, actualUsd) {
      for (const subject of reservation.subjects) {
        await db.query(
          `update llm.budgets set
             reserved_usd = greatest(reserved_usd - $4, 0),
             spent_usd = spent_usd + $5, updated_at = now()
           where subject_kind = $1 and subject_id = $2 and month = $3`,
          [subject.kind, subject.id, reservation.month, reservation.amountUsd, actualUsd],
        );
      }
    },

    async storesPrompts(caller) {
      if (!caller.orgId) return false;
      const [row] = await db.query<{ store: boolean }>(
        `select store_prompts as store from llm.budgets where subject_kind = 'org' and subject_id = $1`,
        [caller.orgId],
      );
      return row?.store ?? false;
    },
  };

  async function write(a: AttemptRecord): Promise<void> {
    const promptHash = a.prompt === null ? null : createHash('sha256').update(a.prompt).digest('hex');
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into llm.requests (request_id, attempt, trace_uuid, user_id, org_id, feature, operation, provider,
           model, key_id, status, error, prompt_tokens, completion_tokens, cached_tokens, token_source,
           duration_ms, first_token_ms, cost_usd, cache_hit, prompt_hash, prompt_text, response_text,
           saved_usd, experiment)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
           $24, $25)`,
        [
          a.requestId,
          a.attempt,
          a.traceUuid,
          a.userId,
          a.orgId,
          a.feature,
          a.operation,
          a.provider,
          a.model,
          a.keyId,
          a.status,
          a.error,
          a.usage.inputTokens,
          a.usage.outputTokens,
          a.usage.cachedInputTokens,
          a.tokenSource,
          Math.round(a.durationMs),
          a.firstTokenMs === null ? null : Math.round(a.firstTokenMs),
          a.costUsd,
          a.cacheHit,
          promptHash,
          a.storeText ? a.prompt : null,
          a.storeText ? a.response : null,
          a.savedUsd ?? 0,
          a.experiment ?? null,
        ],
      );
      if (a.keyId && a.costUsd > 0) {
        // The key's month counter: a call in a new month starts it again.
        await tx.query(
          `update llm.api_keys set
             current_usage_usd = case when usage_month = date_trunc('month', now())::date
                                      then current_usage_usd + $2 else $2 end,
             usage_month = date_trunc('month', now())::date, last_used_at = now()
           where id = $1`,
          [a.keyId, a.costUsd],
        );
      } else if (a.keyId) {
        await tx.query('update llm.api_keys set last_used_at = now() where id = $1', [a.keyId]);
      }
    });
  }

  async function release(subjects: Reservation['subjects'], amountUsd: number, month: string) {
    for (const subject of subjects) {
      await db.query(
        `update llm.budgets set reserved_usd = greatest(reserved_usd - $4, 0)
         where subject_kind = $1 and subject_id = $2 and month = $3`,
        [subject.kind, subject.id, month, amountUsd],
      );
    }
  }
}
