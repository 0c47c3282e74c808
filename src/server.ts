import { randomUUID } from 'node:crypto';
import type { KeelConfig } from './kernel/config/index.js';
import { loadSecrets, type Secrets } from './kernel/crypto/index.js';
import {
  type Database,
  describeOffExtension,
  type ExtensionStatus,
  migrate,
  openDatabase,
  readMigrations,
} from './kernel/db/index.js';
import { buildApp, type KeelApp } from './kernel/http/index.js';
import { createJobQueue, type JobQueue } from './kernel/jobs/index.js';
import { type LeaderElection, startLeaderElection } from './kernel/leader/index.js';
import { createLog, type Log } from './kernel/log/index.js';
import {
  allModules,
  backgroundWorkersOf,
  jobDefinitionsOf,
  migrationSources,
  moduleContextOf,
} from './modules.js';
import { keelVersion } from './version.js';

export const roles = ['api', 'worker', 'scheduler', 'all'] as const;
export type Role = (typeof roles)[number];

export interface RunningKeel {
  config: KeelConfig;
  role: Role;
  log: Log;
  db: Database;
  secrets: Secrets;
  jobs: JobQueue;
  app: KeelApp | undefined;
  /** The address the HTTP server listens on, when this role serves HTTP. */
  url: string | undefined;
  /** Graceful: stop accepting, drain requests, hand running jobs back, give up leadership. */
  stop(): Promise<void>;
}

/**
 * Starts one Keel process in `role`: opens the database, migrates (under an advisory lock, so
 * N processes starting together migrate once), then serves HTTP (api), runs jobs (worker) and/or
 * competes for scheduler leadership (scheduler). `all` does everything in one process.
 */
export async function startKeel(options: {
  config: KeelConfig;
  role: Role;
  log?: Log;
}): Promise<RunningKeel> {
  const { config, role } = options;
  const log = options.log ?? createLog({ svc: `keel-${role}`, level: config.logLevel });
  const secrets = loadSecrets(config, log);
  const db = await openDatabase(config.database, { log });
  const cleanups: Array<() => Promise<void>> = [() => db.close()];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error) => log.warn({ err: error }, 'cleanup failed'));
  };
  try {
    const migrations = readMigrations(migrationSources(allModules));
    const { applied, extensions } = await migrate(db, migrations, log);
    logFeatures(log, extensions);
    if (applied.length > 0) log.info({ count: applied.length }, 'database migrated');

    const context = moduleContextOf(allModules, { config, db, log, secrets });
    const jobs = createJobQueue({ db, log, definitions: jobDefinitionsOf(allModules, context) });
    await jobs.start({ work: role === 'worker' || role === 'all' });
    cleanups.push(() => jobs.stop({ graceMs: config.shutdownGraceMs }));
    if (role === 'worker' || role === 'all') {
      for (const worker of backgroundWorkersOf(allModules, context)) {
        worker.start();
        cleanups.push(() => worker.stop({ graceMs: config.shutdownGraceMs }));
      }
    }

    if (role === 'scheduler' || role === 'all') {
      let stopSchedules: (() => Promise<void>) | undefined;
      const schedules = allModules.flatMap((m) => m.schedules ?? []);
      let election: LeaderElection | undefined;
      election = await startLeaderElection({
        db,
        log,
        nodeId: randomUUID(),
        role,
        version: keelVersion,
        onElected: () => {
          // Until startLeaderElection returns, the election that just elected us is the judge.
          stopSchedules = jobs.runSchedules(schedules, { isLeader: () => election?.isLeader() ?? true });
        },
        onDemoted: async () => {
          const stopping = stopSchedules;
          stopSchedules = undefined;
          await stopping?.();
        },
      });
      // stop() calls onDemoted (which stops the schedules) before it gives up the lock.
      cleanups.push(() => election.stop());
    }

    let shuttingDown = false;
    let app: KeelApp | undefined;
    let url: string | undefined;
    if (role === 'api' || role === 'all') {
      app = await buildApp({
        ...context,
        modules: allModules,
        migrations,
        queueDepths: () => jobs.depths(),
        jobs,
        isShuttingDown: () => shuttingDown,
        version: keelVersion,
      });
      url = await app.listen({ port: config.port, host: config.host });
      const server = app;
      cleanups.push(() => server.close());
    }

    let stopping: Promise<void> | undefined;
    return {
      config,
      role,
      log,
      db,
      secrets,
      jobs,
      app,
      url,
      stop() {
        shuttingDown = true;
        stopping ??= closeAll();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function logFeatures(log: Log, extensions: ExtensionStatus[]): void {
  const off = extensions.filter((e) => e.version === null);
  if (off.length === 0) return;
  log.warn(
    { extensions: off.map((e) => ({ name: e.name, reason: e.reason })) },
    `features off: ${off.map(describeOffExtension).join('; ')}`,
  );
}
