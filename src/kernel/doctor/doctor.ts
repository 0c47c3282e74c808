import type { KeelConfig } from '../config/index.js';
import { loadSecrets } from '../crypto/index.js';
import {
  type Database,
  detectExtensions,
  EmbeddedDatabaseBusyError,
  type Migration,
  openDatabase,
  pendingMigrations,
} from '../db/index.js';
import type { Log } from '../log/index.js';
import { redisPing } from './redis-ping.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

const minimumNode = [20, 19] as const;

/**
 * Everything `keel doctor` looks at, as rows. Read-only: it never migrates or writes, so it is
 * safe to run beside a live server (the embedded database excepted: PGlite is single-process,
 * so then the running server's /ready answers for it).
 */
export async function runDoctor(options: {
  config: KeelConfig;
  migrations: readonly Migration[];
  log: Log;
}): Promise<Check[]> {
  const { config } = options;
  const checks: Check[] = [nodeCheck()];
  checks.push({
    name: 'config',
    status: 'ok',
    detail: `public URL ${config.publicUrl}, log level ${config.logLevel}`,
  });

  try {
    const secrets = loadSecrets(config, options.log);
    const detail = `${secrets.ring.keys.length} key(s), current "${secrets.ring.current.id}", from ${secrets.source}`;
    checks.push({
      name: 'secret keys',
      status: secrets.source === 'env' ? 'ok' : 'warn',
      detail:
        secrets.source === 'env'
          ? detail
          : `${detail} — set KEEL_SECRET_KEYS and KEEL_HMAC_KEY for production`,
    });
  } catch (error) {
    checks.push({ name: 'secret keys', status: 'fail', detail: (error as Error).message });
  }

  let db: Database | undefined;
  try {
    db = await openDatabase(config.database);
    checks.push(...(await databaseChecks(db, config, options.migrations)));
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusyError) {
      checks.push(await readyThroughServer(config, error.pid));
    } else {
      checks.push({ name: 'database', status: 'fail', detail: (error as Error).message });
    }
  } finally {
    await db?.close().catch(() => undefined);
  }

  if (config.redisUrl) {
    try {
      const answer = await redisPing(config.redisUrl);
      checks.push({
        name: 'redis',
        status: answer === 'PONG' ? 'ok' : 'fail',
        detail: `${redactUrl(config.redisUrl)} answered ${answer}`,
      });
    } catch (error) {
      checks.push({
        name: 'redis',
        status: 'fail',
        detail: `${redactUrl(config.redisUrl)}: ${(error as Error).message}`,
      });
    }
  } else {
    checks.push({ name: 'redis', status: 'ok', detail: 'not configured (optional; REDIS_URL)' });
  }
  return checks;
}

function nodeCheck(): Check {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > minimumNode[0] || (major === minimumNode[0] && minor >= minimumNode[1]);
  return {
    name: 'node',
    status: ok ? 'ok' : 'fail',
    detail: `v${process.versions.node}${ok ? '' : ` — Keel needs >= ${minimumNode.join('.')}`}`,
  };
}

async function databaseChecks(
  db: Database,
  config: KeelConfig,
  migrations: readonly Migration[],
): Promise<Check[]> {
  const [version] = await db.query<{ server_version: string }>('show server_version');
  const where =
    config.database.kind === 'server'
      ? redactUrl(config.database.url)
      : `embedded PGlite at ${config.database.dataDir ?? 'memory'}`;
  const checks: Check[] = [
    { name: 'database', status: 'ok', detail: `${where}, PostgreSQL ${version?.server_version}` },
  ];
  const pending = await pendingMigrations(db, [...migrations]);
  checks.push(
    pending.length === 0
      ? { name: 'migrations', status: 'ok', detail: `${migrations.length} applied, none pending` }
      : {
          name: 'migrations',
          status: 'warn',
          detail: `${pending.length} pending (${pending.map((m) => `${m.module}/${m.tag}`).join(', ')}) — run keel migrate (keel serve does it at start)`,
        },
  );
  for (const ext of await detectExtensions(db)) {
    checks.push(
      ext.version
        ? { name: `extension ${ext.name}`, status: 'ok', detail: `${ext.version} — ${ext.enables}` }
        : { name: `extension ${ext.name}`, status: 'warn', detail: `off: ${ext.enables} (${ext.reason})` },
    );
  }
  const [queue] = await db.query<{ present: boolean }>(
    "select to_regclass('pgboss.version') is not null as present",
  );
  if (queue?.present) {
    const [row] = await db.query<{ version: number }>('select version from pgboss.version');
    checks.push({ name: 'job queue', status: 'ok', detail: `pg-boss schema version ${row?.version}` });
  } else {
    checks.push({
      name: 'job queue',
      status: 'warn',
      detail: 'not installed yet (keel serve installs it at start)',
    });
  }
  return checks;
}

async function readyThroughServer(config: KeelConfig, pid: number): Promise<Check> {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/ready`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    const body = (await res.json()) as { checks?: { database?: string; migrations?: string } };
    return {
      name: 'database',
      status: res.ok ? 'ok' : 'fail',
      detail: `embedded database is open in the running Keel (pid ${pid}); its ${url} says database ${body.checks?.database}, migrations ${body.checks?.migrations}`,
    };
  } catch (error) {
    return {
      name: 'database',
      status: 'fail',
      detail: `embedded database is held by pid ${pid}, and ${url} did not answer (${(error as Error).message})`,
    };
  }
}

/** A URL with its password replaced, for display. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
