import { randomBytes, randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseConfig } from '../src/kernel/config/index.js';
import { createKeyRing, hmacKeyFrom } from '../src/kernel/crypto/index.js';
import { migrate, openPglite, readMigrations } from '../src/kernel/db/index.js';
import { createLog } from '../src/kernel/log/index.js';
import { allModules, migrationSources, moduleContextOf } from '../src/modules.js';
import { createChannel } from '../src/shared/notify/channels/index.js';
import { notifyServices } from '../src/shared/notify/index.js';
import { allowlistFrom, createOutbound } from '../src/shared/notify/outbound/index.js';
import { startWebhookReceiver } from '../src/shared/notify/testing/index.js';
import { type BenchResult, percentile } from './support.js';

// BENCH_NOTIFY_TOTAL: a smaller run while tuning; the figures in docs/benchmarks.md use 10 000.
const total = Number(process.env.BENCH_NOTIFY_TOTAL ?? 10_000);
const senders = 16;
const idleSends = 200;

/**
 * Notify on embedded PGlite (what `npm start` runs), its dispatcher at default settings, webhooks
 * signed and POSTed to a loopback receiver that verifies every signature.
 * - Idle: 200 sends one at a time, 25 ms apart; enqueue → first attempt from the delivery log.
 * - Load: 10 000 sends from 16 concurrent callers while the dispatcher delivers; enqueue →
 *   delivered per notification (attempt start + its duration, from the log), and the receiver's
 *   count per webhook-id (exactly once).
 * - Baseline: the same 10 000 signed POSTs through the same webhook adapter with no queue, 64 at
 *   a time: what the HTTP path alone allows, so the ratio is the cost of queueing and logging.
 */
export async function notifyBench(): Promise<BenchResult> {
  const db = await openPglite(null);
  await migrate(db, readMigrations(migrationSources(allModules)));
  const context = moduleContextOf(allModules, {
    config: parseConfig({ DATABASE_URL: 'memory://', NOTIFY_ALLOWLIST: '127.0.0.1/32' }),
    db,
    log: createLog({ svc: 'bench', level: 'silent' }),
    secrets: {
      ring: createKeyRing([{ id: 'b1', key: randomBytes(32) }]),
      hmacKey: hmacKeyFrom(randomBytes(32)),
      source: 'env',
    },
  });
  const notify = notifyServices(context);
  const { generated } = await notify.channels.set(null, 'webhook', { enabled: true, config: {} });
  const secret = generated.signingSecret as string;
  const receiver = await startWebhookReceiver({ secret, record: Boolean(process.env.BENCH_NOTIFY_DEBUG) });
  const sentAt = async (notificationId: string) =>
    db.query<{ deliveryId: string; sentAt: Date; durationMs: number | null; outcome: string }>(
      `select delivery_id as "deliveryId", sent_at as "sentAt", duration_ms as "durationMs", outcome
         from notify.notification_delivery_logs where notification_id = $1 order by id`,
      [notificationId],
    );

  try {
    // Baseline: the adapter alone.
    const adapter = createChannel(
      'webhook',
      {},
      { signingSecret: secret },
      {
        outbound: createOutbound({ isAllowed: allowlistFrom(['127.0.0.1/32']) }),
      },
    );
    const message = {
      subject: 'Keel test notification',
      text: 'This is a test notification from Keel.',
      data: { n: 1 },
      template: { name: 'notify.test', version: 0, locale: 'en' },
    };
    let next = 0;
    const baselineStarted = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < total) {
          next++;
          const outcome = await adapter.deliver({
            deliveryId: randomUUID(),
            attempt: 1,
            destination: receiver.url,
            message,
            signal: AbortSignal.timeout(10_000),
          });
          if (outcome.status !== 'delivered') throw new Error(`baseline: ${JSON.stringify(outcome)}`);
        }
      }),
    );
    const baselinePerS = total / ((performance.now() - baselineStarted) / 1000);

    notify.worker.start();

    // Idle latency.
    const firstAttempt: number[] = [];
    for (let i = 0; i < idleSends; i++) {
      const enqueued = Date.now();
      const sent = await notify.send({ to: { webhook: receiver.url }, template: 'notify.test', data: { i } });
      let rows = await sentAt(sent.notificationId);
      while (rows.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        rows = await sentAt(sent.notificationId);
      }
      firstAttempt.push((rows[0] as { sentAt: Date }).sentAt.getTime() - enqueued);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    // Load.
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const before = receiver.delivered;
    const enqueuedAt = new Map<string, number>();
    let sentCount = 0;
    const loadStarted = performance.now();
    const startedWall = Date.now();
    await Promise.all(
      Array.from({ length: senders }, async () => {
        while (sentCount < total) {
          sentCount++;
          const at = Date.now();
          const sent = await notify.send({
            to: { webhook: receiver.url },
            template: 'notify.test',
            data: { at },
          });
          enqueuedAt.set(sent.notificationId, at);
        }
      }),
    );
    const enqueueS = (performance.now() - loadStarted) / 1000;
    while (receiver.delivered - before < total) {
      if (performance.now() - loadStarted > 600_000) throw new Error('notify load did not finish in 10 min');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const loadS = (performance.now() - loadStarted) / 1000;
    lag.disable();
    await notify.worker.stop({ graceMs: 5_000 });

    const logs = await db.query<{
      notificationId: string;
      deliveryId: string;
      sentAt: Date;
      durationMs: number;
    }>(
      `select notification_id as "notificationId", delivery_id as "deliveryId", sent_at as "sentAt",
              duration_ms as "durationMs"
         from notify.notification_delivery_logs where outcome = 'delivered' and sent_at >= $1`,
      [new Date(startedWall - 1000)],
    );
    const latencies: number[] = [];
    let duplicates = 0;
    for (const row of logs) {
      const at = enqueuedAt.get(row.notificationId);
      if (at === undefined) continue;
      latencies.push(row.sentAt.getTime() + row.durationMs - at);
      if (receiver.deliveries(row.deliveryId) !== 1) duplicates++;
    }
    if (duplicates > 0 && process.env.BENCH_NOTIFY_DEBUG) {
      const dup = logs.filter((r) => receiver.deliveries(r.deliveryId) !== 1).slice(0, 3);
      for (const d of dup) {
        const rows = await db.query(
          'select attempt, outcome, sent_at, duration_ms, failure_reason from notify.notification_delivery_logs where delivery_id = $1 order by id',
          [d.deliveryId],
        );
        const got = receiver.received
          .filter((r) => r.id === d.deliveryId)
          .map((r) => new Date(r.receivedAt).toISOString());
        process.stderr.write(`${d.deliveryId} received at ${got.join(', ')} ${JSON.stringify(rows)}\n`);
      }
    }
    const exactlyOnce =
      latencies.length === total && duplicates === 0 && receiver.delivered - before === total;
    const perS = total / loadS;
    const idleP95 = percentile(firstAttempt, 95);
    return {
      name: 'notify',
      method:
        'Embedded PGlite, default dispatcher settings (50 per claim, 64 in flight, 500 ms poll); signed webhooks to a ' +
        'loopback receiver that verifies each signature. Idle: 200 sends 25 ms apart, enqueue → first attempt from the ' +
        'delivery log. Load: 10 000 sends by 16 concurrent callers; enqueue → delivered per notification. Baseline: the ' +
        'same POSTs through the webhook adapter with no queue, 64 at a time.',
      rows: [
        {
          measure: 'enqueue → first attempt, p95 (idle)',
          value: `${idleP95} ms (p50 ${percentile(firstAttempt, 50)} ms)`,
          target: '< 1000 ms',
          pass: idleP95 < 1000,
        },
        {
          measure: `${total} webhooks: delivered exactly once`,
          value: `${latencies.length} delivered, ${duplicates} duplicates`,
          target: 'all, once',
          pass: exactlyOnce,
        },
        {
          measure: `${total} webhooks: throughput`,
          value: `${perS.toFixed(0)}/s (enqueued in ${enqueueS.toFixed(1)} s, all delivered in ${loadS.toFixed(1)} s)`,
        },
        {
          measure: 'throughput vs adapter alone (same run)',
          value: `${(perS / baselinePerS).toFixed(2)} (adapter alone ${baselinePerS.toFixed(0)}/s)`,
        },
        {
          measure: 'event loop delay during the load, max (p99)',
          value: `${(lag.max / 1e6).toFixed(0)} ms (${(lag.percentile(99) / 1e6).toFixed(0)} ms)`,
        },
        {
          measure: `${total} webhooks: enqueue → delivered p95`,
          value: `${(percentile(latencies, 95) / 1000).toFixed(2)} s (p50 ${(percentile(latencies, 50) / 1000).toFixed(2)} s)`,
        },
      ],
    };
  } finally {
    await notify.worker.stop({ graceMs: 1_000 });
    await receiver.close();
    await db.close();
  }
}
