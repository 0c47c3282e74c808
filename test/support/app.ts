import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../src/kernel/config/index.js';
import { createKeyRing, hmacKeyFrom, type Secrets } from '../../src/kernel/crypto/index.js';

import type { Database } from '../../src/kernel/db/index.js';
import { readMigrations } from '../../src/kernel/db/index.js';
import { type AppDeps, type Authorize, buildApp, type KeelApp } from '../../src/kernel/http/index.js';
import { createLog, type Log } from '../../src/kernel/log/index.js';
import type { KeelModule } from '../../src/kernel/module/index.js';
import { allModules, migrationSources, moduleContextOf } from '../../src/modules.js';

/** Fresh random keys, as an operator would configure them. */
export function testSecrets(): Secrets {
  return {
    ring: createKeyRing([{ id: 'test1', key: randomBytes(32) }]),
    hmacKey: hmacKeyFrom(randomBytes(32)),
    source: 'env',
  };
}

export interface TestAppOptions {
  db: Database;
  modules?: readonly KeelModule[];
  log?: Log;
  env?: Record<string, string>;
  isShuttingDown?: () => boolean;
  authorize?: Authorize;
  /** The app's keys; pass your own to build identity services over the same app (see identity.ts). */
  secrets?: Secrets;
  /** A job queue for `/admin/jobs`. */
  jobs?: AppDeps['jobs'];
}

/** The real app over a test database; close it with `app.close()`. */
export async function buildTestApp(options: TestAppOptions): Promise<KeelApp> {
  const config = parseConfig({ DATABASE_URL: 'memory://', LOG_LEVEL: 'silent', ...options.env });
  const modules = options.modules ?? allModules;
  const context = moduleContextOf(modules, {
    config,
    db: options.db,
    secrets: options.secrets ?? testSecrets(),
    log: options.log ?? createLog({ svc: 'test', level: 'silent' }),
  });
  return buildApp({
    ...context,
    modules,
    migrations: readMigrations(migrationSources(allModules)),
    isShuttingDown: options.isShuttingDown,
    authorize: options.authorize,
    jobs: options.jobs,
    version: 'test',
  });
}
