import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/kernel/config/index.js';
import { createKeyRing, hmacKeyFrom } from '../src/kernel/crypto/index.js';
import { type Database, migrate, openPostgres, readMigrations } from '../src/kernel/db/index.js';
import { createLog } from '../src/kernel/log/index.js';
import { allModules, migrationSources, moduleContextOf } from '../src/modules.js';
import { type Notify, notifyServices } from '../src/shared/notify/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../src/shared/notify/testing/index.js';
import { createServerDatabase, hasServer } from './support/db.js';
import { eventually, killTestNotifyOptions } from './support/notify.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(repoRoot, 'test', 'fixtures', 'notify-worker.ts');

/**
 * The "worker killed mid-delivery → delivered after restart, once", with a real process
 * killed by SIGKILL while the receiver holds its request (so the attempt never finished).
 * A server database, because two processes must share it.
 */
describe.skipIf(!hasServer)('a notify worker killed mid-delivery (PostgreSQL server)', () => {
  let server: Awaited<ReturnType<typeof createServerDatabase>>;
  let db: Database;
  let notify: Notify;
  let receiver: WebhookReceiver;
  let child: ChildProcess | undefined;
  const key = randomBytes(32);
  const hmac = randomBytes(32);

  beforeAll(async () => {
    server = await createServerDatabase();
    db = await openPostgres(server.url, 4);
    await migrate(db, readMigrations(migrationSources(allModules)));
    const context = moduleContextOf(allModules, {
      config: parseConfig({ DATABASE_URL: 'memory://', NOTIFY_ALLOWLIST: '127.0.0.1/32' }),
      db,
      log: createLog({ svc: 'test', level: 'silent' }),
      secrets: {
        ring: createKeyRing([{ id: 'test1', key }]),
        hmacKey: hmacKeyFrom(hmac),
        source: 'env',
      },
    });
    notify = notifyServices(context, killTestNotifyOptions);
    const { generated } = await notify.channels.set(null, 'webhook', { enabled: true, config: {} });
    receiver = await startWebhookReceiver({ secret: generated.signingSecret as string });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await notify?.worker.stop({ graceMs: 500 });
    await receiver?.close();
    await db?.close();
    await server?.drop();
  });

  it('retries the delivery after the lease runs out and the receiver gets it once', async () => {
    receiver.script({ hang: true });
    const sent = await notify.send({ to: { webhook: receiver.url }, template: 'notify.test' });
    const id = sent.deliveries[0]?.id as string;

    child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NOTIFY_DATABASE_URL: server.url,
        NOTIFY_KEY: key.toString('base64'),
        NOTIFY_HMAC_KEY: hmac.toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
    await eventually(
      () => receiver.held === 1,
      30_000,
      `the worker's request to arrive (stderr: ${stderr.join('\n')})`,
    );

    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await eventually(() => receiver.held === 0, 5_000, 'the receiver to see the connection drop');
    expect(receiver.deliveries(id)).toBe(0);

    // The restarted worker: this process's dispatcher, on the same database.
    notify.worker.start();
    const rows = await eventually(
      async () => {
        const logs = await db.query<{ attempt: number; outcome: string }>(
          'select attempt, outcome from notify.notification_delivery_logs where delivery_id = $1 order by id',
          [id],
        );
        return logs.some((l) => l.outcome === 'delivered') ? logs : undefined;
      },
      15_000,
      'the delivery after the restart',
    );
    expect(rows).toEqual([
      { attempt: 1, outcome: 'interrupted' },
      { attempt: 2, outcome: 'delivered' },
    ]);
    expect(receiver.deliveries(id)).toBe(1);
  });
});
