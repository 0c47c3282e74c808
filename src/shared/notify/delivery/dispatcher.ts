import { randomUUID } from 'node:crypto';
import type { Secrets } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { Log } from '../../../kernel/log/index.js';
import type { BackgroundWorker } from '../../../kernel/module/index.js';
import { runWithTrace } from '../../../kernel/trace/index.js';
import type {
  ChannelAdapter,
  ChannelKind,
  DeliveryOutcome,
  RenderedMessage,
} from '../channels/channel.types.js';
import {
  type BackoffPolicy,
  createRateGate,
  defaultRatesPerSecond,
  nextAttemptAt,
  type RateGate,
} from './backoff.js';
import {
  claimDue,
  handBack,
  insertLogs,
  reclaimExpiredLeases,
  recordAttempts,
} from './delivery.repository.js';
import type { AttemptRecord, DeliveryWork } from './delivery.types.js';

export interface DispatcherOptions {
  db: Database;
  secrets: Secrets;
  log: Log;
  /** The adapter for a delivery's channel and org, or why there is none (permanent). */
  adapterFor(work: DeliveryWork): Promise<ChannelAdapter | { unavailable: string }>;
  render(work: DeliveryWork): Promise<RenderedMessage>;
  /** How often an idle dispatcher looks for due deliveries (a local send wakes it at once). */
  pollMs?: number;
  /** Deliveries leased per claim. */
  batchSize?: number;
  /** Attempts in flight at once in this process. */
  maxInFlight?: number;
  /** A delivery whose worker has not finished after this long is presumed lost and retried. */
  leaseMs?: number;
  /** One attempt's time limit; must be well under the lease. */
  attemptTimeoutMs?: number;
  backoff?: BackoffPolicy;
  ratesPerSecond?: Partial<Record<ChannelKind, number>>;
  /** Outcomes are written in batches: at most this many, at most this long after the first. */
  flushSize?: number;
  flushMs?: number;
}

export interface Dispatcher extends BackgroundWorker {
  /** A delivery was just queued: look now instead of at the next poll. */
  wake(): void;
}

type Slot = { controller: AbortController; shutdown: boolean; done: Promise<void> };

/**
 * Notify's delivery loop. Why its own queue rather than a pg-boss job per delivery: each attempt
 * needs its own delay (exponential backoff or the provider's Retry-After), sends are spread per
 * channel, the row is the delivery's visible state, and a lease that runs out makes a delivery
 * due again within seconds of its worker dying (pg-boss expires jobs only at its maintenance).
 *
 * At least once, never twice on purpose: a delivery is retried only when its outcome is unknown
 * (the worker died mid-attempt) or the provider failed; receivers get the same id on every try
 * (`webhook-id`, the e-mail's Message-ID) to drop the rare duplicate.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { db, secrets, log } = options;
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 50;
  const maxInFlight = options.maxInFlight ?? 64;
  const leaseMs = options.leaseMs ?? 60_000;
  const attemptTimeoutMs = Math.min(options.attemptTimeoutMs ?? 15_000, Math.floor(leaseMs * 0.8));
  const backoff = options.backoff ?? { baseMs: 2_000, maxMs: 10 * 60_000 };
  const flushSize = options.flushSize ?? 100;
  const flushMs = options.flushMs ?? 20;
  const reclaimEveryMs = Math.min(1_000, Math.max(100, leaseMs / 2));
  const gates = new Map<ChannelKind, RateGate>();
  const gateOf = (channel: ChannelKind) => {
    let gate = gates.get(channel);
    if (!gate) {
      gate = createRateGate(options.ratesPerSecond?.[channel] ?? defaultRatesPerSecond[channel]);
      gates.set(channel, gate);
    }
    return gate;
  };

  const inFlight = new Map<string, Slot>();
  let state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  let loopDone: Promise<void> = Promise.resolve();
  let wokenDuringClaim = false;
  let waiter: (() => void) | null = null;
  let lastReclaim = 0;
  let failing = false;

  let pending: Array<{ record: AttemptRecord; recorded: () => void }> = [];
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  function nudge(): void {
    if (waiter) waiter();
    else wokenDuringClaim = true;
  }

  function pause(ms: number): Promise<void> {
    if (wokenDuringClaim) {
      wokenDuringClaim = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(release, ms);
      function release() {
        clearTimeout(timer);
        waiter = null;
        resolve();
      }
      waiter = release;
    });
  }

  async function loop(): Promise<void> {
    while (state === 'running') {
      let claimed = 0;
      let free = maxInFlight - inFlight.size;
      try {
        if (performance.now() - lastReclaim >= reclaimEveryMs) {
          lastReclaim = performance.now();
          await reclaim();
        }
        // Claim in batches: one row per freed slot would cost a statement per delivery.
        if (free >= Math.min(batchSize, Math.ceil(maxInFlight / 4)) || (free > 0 && inFlight.size === 0)) {
          wokenDuringClaim = false;
          const leaseToken = randomUUID();
          const work = await claimDue(db, secrets, { limit: Math.min(free, batchSize), leaseMs, leaseToken });
          claimed = work.length;
          if (state !== 'running') {
            await handBack(
              db,
              work.map((w) => w.id),
              leaseToken,
              0,
            );
            return;
          }
          for (const item of work) launch(item);
          free -= claimed;
        }
        if (failing) log.info('claiming deliveries works again');
        failing = false;
      } catch (error) {
        if (!failing) log.error({ err: error }, 'claiming deliveries failed; trying again every poll');
        failing = true;
      }
      if (state !== 'running') return;
      // A full batch means more may be due: go again as soon as there is room.
      if (claimed === batchSize && free >= batchSize) continue;
      // While attempts are in flight, their slots freeing wakes the loop (nudge); else the poll.
      await pause(claimed > 0 || inFlight.size > 0 ? pollMs * 4 : pollMs);
    }
  }

  async function reclaim(): Promise<void> {
    const lost = await reclaimExpiredLeases(db);
    if (lost.length === 0) return;
    log.warn({ count: lost.length }, 'deliveries whose worker stopped mid-attempt are due again');
    const at = new Date();
    await insertLogs(
      db,
      lost.map((row) => ({
        deliveryId: row.id,
        notificationId: row.notificationId,
        orgId: row.orgId,
        userId: row.userId,
        recipient: row.destinationMasked,
        channel: row.channel,
        template: row.type,
        attempt: row.attempts,
        sentAt: at,
        success: false,
        outcome: 'interrupted' as const,
        failureReason: 'the worker stopped during the attempt; retrying',
        httpStatus: null,
        durationMs: null,
        traceUuid: row.traceUuid,
      })),
    );
  }

  function launch(work: DeliveryWork): void {
    const wait = gateOf(work.channel).take();
    if (wait > 0) {
      // Over the channel's rate: back in the queue without using an attempt.
      void handBack(db, [work.id], work.leaseToken, wait).catch((error) =>
        log.error(
          { err: error },
          'could not hand a rate-limited delivery back; it returns when its lease ends',
        ),
      );
      return;
    }
    const slot: Slot = { controller: new AbortController(), shutdown: false, done: Promise.resolve() };
    inFlight.set(work.id, slot);
    slot.done = attempt(work, slot).finally(() => {
      inFlight.delete(work.id);
      nudge();
    });
  }

  async function attempt(work: DeliveryWork, slot: Slot): Promise<void> {
    const trace = { traceUuid: work.traceUuid ?? randomUUID() };
    await runWithTrace(trace, async () => {
      const sentAt = new Date();
      const started = performance.now();
      const timer = setTimeout(
        () => slot.controller.abort(new Error(`no answer within ${attemptTimeoutMs} ms`)),
        attemptTimeoutMs,
      );
      let outcome: DeliveryOutcome;
      try {
        outcome = await deliverOnce(work, slot.controller.signal);
      } finally {
        clearTimeout(timer);
      }
      if (slot.shutdown && outcome.status !== 'delivered') {
        await handBack(db, [work.id], work.leaseToken, 0).catch(() => undefined);
        return;
      }
      // The slot stays taken until the outcome is written: a dispatcher that sent faster than it
      // records would pile up leased rows whose leases could run out, and be sent twice.
      await record(recordOf(work, outcome, sentAt, Math.round(performance.now() - started)));
    });
  }

  async function deliverOnce(work: DeliveryWork, signal: AbortSignal): Promise<DeliveryOutcome> {
    try {
      const adapter = await options.adapterFor(work);
      if ('unavailable' in adapter) return { status: 'failed', reason: adapter.unavailable };
      const message = await options.render(work);
      return await adapter.deliver({
        deliveryId: work.id,
        attempt: work.attempts,
        destination: work.destination,
        message,
        signal,
      });
    } catch (error) {
      // Adapters classify provider failures themselves; what reaches here is ours (a template
      // deleted since the send is permanent; the database or a bug may pass, so retry).
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof KeelError && error.code === 'not_found') return { status: 'failed', reason };
      log.warn({ err: error, deliveryId: work.id }, 'delivery attempt threw; will retry');
      return { status: 'retry', reason };
    }
  }

  function recordOf(
    work: DeliveryWork,
    outcome: DeliveryOutcome,
    sentAt: Date,
    durationMs: number,
  ): AttemptRecord {
    const base = { work, sentAt, durationMs, httpStatus: outcome.httpStatus ?? null };
    if (outcome.status === 'delivered') return { ...base, outcome: 'delivered', reason: null };
    if (outcome.status === 'failed')
      return { ...base, outcome: 'failed', reason: outcome.reason, gone: outcome.gone };
    if (work.attempts >= work.maxAttempts) {
      return {
        ...base,
        outcome: 'dead',
        reason: `gave up after ${work.attempts} attempts: ${outcome.reason}`,
      };
    }
    return {
      ...base,
      outcome: 'retry',
      reason: outcome.reason,
      nextAttemptAt: nextAttemptAt(new Date(), backoff, work.attempts, outcome.retryAfterMs),
    };
  }

  /** Resolves once the batch holding `attempt` is written (or failed to be). */
  function record(attempt: AttemptRecord): Promise<void> {
    return new Promise((recorded) => {
      pending.push({ record: attempt, recorded });
      // Every attempt in flight is waiting for this batch: nothing more will join it.
      if (pending.length >= flushSize || pending.length >= inFlight.size) void flush();
      else flushTimer ??= setTimeout(() => void flush(), flushMs);
    });
  }

  function flush(): Promise<void> {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return flushing;
    flushing = flushing.then(async () => {
      try {
        const recorded = await db.transaction((tx) =>
          recordAttempts(
            tx,
            batch.map((b) => b.record),
          ),
        );
        if (recorded.some((r) => r.outcome === 'retry')) nudge();
        for (const r of recorded) {
          if (r.outcome === 'dead') {
            log.error(
              { deliveryId: r.work.id, channel: r.work.channel, reason: r.reason },
              'delivery dead-lettered',
            );
          }
        }
      } catch (error) {
        // The rows stay leased; when the lease ends they are attempted again (at least once).
        log.error({ err: error, count: batch.length }, 'could not record delivery outcomes');
      } finally {
        for (const b of batch) b.recorded();
      }
    });
    return flushing;
  }

  return {
    name: 'notify.dispatcher',
    wake: nudge,
    start() {
      if (state !== 'new') return;
      state = 'running';
      loopDone = loop();
    },
    async stop({ graceMs }) {
      if (state === 'stopped' || state === 'new') {
        state = 'stopped';
        return;
      }
      state = 'stopping';
      nudge();
      await loopDone;
      const all = Promise.all([...inFlight.values()].map((s) => s.done));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        for (const slot of inFlight.values()) {
          slot.shutdown = true;
          slot.controller.abort(new Error('shutting down'));
        }
        await all;
      }
      await flush();
      state = 'stopped';
    },
  };
}
