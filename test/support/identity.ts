import { afterAll, beforeAll } from 'vitest';
import { parseConfig } from '../../src/kernel/config/index.js';
import type { Database } from '../../src/kernel/db/index.js';
import type { KeelApp } from '../../src/kernel/http/index.js';
import type { KeelModule, ModuleContext } from '../../src/kernel/module/index.js';
import { allModules, moduleContextOf } from '../../src/modules.js';
import { createIdentityModule } from '../../src/shared/identity/index.js';
import {
  type IdentityRouteOptions,
  type IdentityServices,
  identityServices,
} from '../../src/shared/identity/testing.js';
import { buildTestApp, testSecrets } from './app.js';
import type { TestDatabase } from './db.js';
import { type LogLine, memoryLog } from './jobs.js';

export interface IdentityHarness {
  app: KeelApp;
  /** The same service instances the app uses (same database, same keys). */
  services: IdentityServices;
  /** Every log line the app wrote, parsed. */
  lines: LogLine[];
  /** A module context on the app's database and keys: `someServices(h.context)` reaches the app's instances. */
  context: ModuleContext;
  /** Creates a user with a password (and roles) and signs them in. */
  user(options?: { username?: string; roles?: string[]; password?: string }): Promise<SignedInUser>;
  /** Exchanges the user's refresh token (their new access token carries current roles and org). */
  refresh(user: SignedInUser): Promise<SignedInUser>;
  close(): Promise<void>;
}

export interface SignedInUser {
  id: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  /** `{ authorization: 'Bearer …' }` */
  auth: Record<string, string>;
}

let counter = 0;

/** Every module of the build, with the identity module built with `options` (a clock, limits). */
export function withIdentityOptions(options: IdentityRouteOptions): KeelModule[] {
  return allModules.map((m) => (m.name === 'identity' ? createIdentityModule(options) : m));
}

/** The real app with identity wired in, plus shortcuts to make signed-in users. */
export async function identityHarness(
  db: Database,
  options: { modules?: readonly KeelModule[]; env?: Record<string, string> } = {},
): Promise<IdentityHarness> {
  const secrets = testSecrets();
  const { log, lines } = memoryLog('info');
  const modules = options.modules ?? allModules;
  const app = await buildTestApp({ db, secrets, log, modules, env: options.env });
  await app.ready();
  const context = moduleContextOf(modules, {
    config: parseConfig({ DATABASE_URL: 'memory://', ...options.env }),
    db,
    log,
    secrets,
  });
  const services = identityServices(context);
  return {
    app,
    services,
    lines,
    context,
    async user(userOptions = {}) {
      counter += 1;
      const username = userOptions.username ?? `user${counter}_${Date.now().toString(36)}`;
      const password = userOptions.password ?? `correct horse ${counter} battery`;
      const created = await services.users.create({ username, roles: userOptions.roles ?? [] }, null);
      await services.passwords.set(created.id, password);
      const response = await app.inject({
        method: 'POST',
        url: '/auth/password',
        payload: { username, password },
      });
      if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
      const body = response.json() as { access_token: string; refresh_token: string; session_id: string };
      return {
        id: created.id,
        username,
        password,
        accessToken: body.access_token,
        refreshToken: body.refresh_token,
        sessionId: body.session_id,
        auth: { authorization: `Bearer ${body.access_token}` },
      };
    },
    async refresh(user) {
      const response = await app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refresh_token: user.refreshToken },
      });
      if (response.statusCode !== 200) throw new Error(`refresh failed: ${response.body}`);
      const body = response.json() as { access_token: string; refresh_token: string };
      user.accessToken = body.access_token;
      user.refreshToken = body.refresh_token;
      user.auth = { authorization: `Bearer ${body.access_token}` };
      return user;
    },
    close: () => app.close(),
  };
}

/**
 * One harness per `describe` block on a database of `target`, opened before its tests and dropped
 * after them. Its fields are filled in by `beforeAll`, so use them inside tests only.
 */
export function useIdentityHarness(
  target: TestDatabase,
  options?: Parameters<typeof identityHarness>[1],
): IdentityHarness {
  const harness = {} as IdentityHarness;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const opened = await target.open();
    drop = opened.drop;
    Object.assign(harness, await identityHarness(opened.db, options));
  });
  afterAll(async () => {
    await harness.close?.();
    await drop?.();
  });
  return harness;
}
