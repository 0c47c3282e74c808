import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/kernel/config/index.js';
import { type RunningKeel, startKeel } from '../../../src/server.js';
import { memoryLog, waitFor } from '../../support/jobs.js';

export interface TestKeel {
  /** `http://127.0.0.1:<port>`: the browser and the API calls use this one origin (cookies). */
  url: string;
  keel: RunningKeel;
  /** Every JSON log line the server wrote. */
  lines: ReadonlyArray<Record<string, unknown>>;
  /** The one-time setup link the server printed (rebased on `url`). */
  setupLink(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real Keel (API, workers and scheduler in one process, as `npm start` runs it) on a random
 * port with an in-memory database and fresh keys, serving the built web app.
 */
export async function startTestKeel(env: Record<string, string> = {}): Promise<TestKeel> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-e2e-'));
  const config = parseConfig({
    DATABASE_URL: 'memory://',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    KEEL_DATA_DIR: dataDir,
    KEEL_SECRET_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
    KEEL_HMAC_KEY: randomBytes(32).toString('base64'),
    // Each browser context says it is another client (X-Forwarded-For, see openPage): the
    // per-IP rate limit also counts the app's static files, and a few cold loads of the app
    // from one address in a minute would otherwise trip it.
    TRUST_PROXY: '127.0.0.1',
    ...env,
  });
  const { log, lines } = memoryLog('info');
  const keel = await startKeel({ config, role: 'all', log });
  const url = (keel.url ?? '').replace('localhost', '127.0.0.1');
  return {
    url,
    keel,
    lines,
    async setupLink() {
      const line = await waitFor('the setup link', () => lines.find((l) => typeof l.setup_url === 'string'));
      const printed = new URL(String(line.setup_url));
      return `${url}${printed.pathname}${printed.search}`;
    },
    async stop() {
      await keel.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Admin {
  username: string;
  password: string;
  /** A bearer token, for seeding data through the API (the browser uses its own cookies). */
  token: string;
}

/** Creates the first admin through the printed setup link, as a person would, but over HTTP. */
export async function createAdmin(server: TestKeel, username = 'root'): Promise<Admin> {
  const link = new URL(await server.setupLink());
  const password = 'a long admin password';
  const response = await fetch(`${server.url}/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: link.searchParams.get('token'), username, password }),
  });
  if (!response.ok) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { access_token: string };
  const admin = { username, password, token: body.access_token };
  // A browser test clicks through pages far faster than a person: lift the free plan's
  // 120 requests a minute (the admin is on it) so no test trips over the rate limit.
  await callApi(server, admin, 'PUT', '/plans/rate-limits', {
    plan_key: 'free',
    max_requests: 5000,
    window_seconds: 60,
  });
  return admin;
}

/** A JSON call to the API as `admin`; throws on a non-2xx answer. */
export async function callApi<T = unknown>(
  server: TestKeel,
  admin: Admin,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${admin.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
