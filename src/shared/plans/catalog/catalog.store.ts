import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Database } from '../../../kernel/db/index.js';
import type { Log } from '../../../kernel/log/index.js';
import { readPlans, upsertPlans } from './catalog.repository.js';
import { type CatalogProblem, FREE_PLAN, type Plan, validateCatalogFile } from './catalog.schema.js';
import { type WatchMode, watchPath } from './file-watch.js';

/** The plans in force, in plan order. Immutable: a reload swaps in a new one. */
export interface Catalog {
  readonly plans: readonly Plan[];
  get(planKey: string): Plan | undefined;
  /** 'file' when the last load applied the catalog file; 'database' when it came from the table. */
  readonly source: 'file' | 'database';
  readonly loadedAt: Date;
}

export type ReloadOutcome =
  | { status: 'applied'; plans: number }
  | { status: 'unchanged' }
  | { status: 'missing' }
  | { status: 'rejected'; problem: CatalogProblem };

/**
 * Seed P-7 "config as runtime": the catalog file is read at start and again whenever it changes.
 *
 * @example
 * const store = createCatalogStore({ db, log, path: 'config/plan_catalog.yml' });
 * await store.start();
 * store.current().get('basic')?.max_commits_per_day; // 100
 * await store.close();
 */
export interface CatalogStore {
  current(): Catalog;
  /** Loads the catalog (file when present and valid, else the table) and starts watching. */
  start(): Promise<void>;
  /** Reads the file again now; the watcher calls this. Reloads never overlap. */
  reload(): Promise<ReloadOutcome>;
  /** Stops watching and waits for a reload in progress. */
  close(): Promise<void>;
}

export interface CatalogStoreOptions {
  db: Database;
  log: Log;
  /** The YAML catalog; absent → the table's plans (as seeded by the migration) are used. */
  path: string;
  /** 'off' reads the file once at start. Default 'auto' (inotify, else polling). */
  watch?: WatchMode | 'off';
  debounceMs?: number;
  pollMs?: number;
}

/** Files larger than this are refused unread: a catalog is a few kilobytes. */
const MAX_FILE_BYTES = 1_048_576;
/** `settledHash` of an absent file (reported once, not on every poll). */
const MISSING = 'missing';

export function createCatalogStore(options: CatalogStoreOptions): CatalogStore {
  const { db, log, path } = options;
  let catalog: Catalog | undefined;
  /** Hash of the last file content that was applied or rejected (not retried, not warned twice). */
  let settledHash: string | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let stopWatching: (() => void) | undefined;
  let closed = false;

  async function reloadOnce(): Promise<ReloadOutcome> {
    const file = await readCatalogFile(path, settledHash);
    if (file.kind === 'unchanged') return { status: 'unchanged' };
    if (file.kind === 'missing') {
      if (settledHash !== MISSING)
        log.info({ path }, 'plan catalog file is absent; keeping the current catalog');
      settledHash = MISSING;
      return { status: 'missing' };
    }
    if (file.kind === 'invalid') {
      settledHash = file.hash;
      return reject(file.problem);
    }
    try {
      await upsertPlans(db, file.plans);
    } catch (error) {
      // A constraint or value the table refused (a plan_order taken by a plan the file omits) is
      // the file's fault: settled like an invalid file, tried again on its next change or start.
      // Anything else (no table yet, database away) is thrown, unsettled, so a poll retries it.
      const sqlState = (error as { code?: unknown }).code;
      if (typeof sqlState !== 'string' || !/^2[23]/.test(sqlState)) throw error;
      settledHash = file.hash;
      return reject({ field: 'file', reason: `the database refused it: ${(error as Error).message}` });
    }
    settledHash = file.hash;
    const next = makeCatalog(await readPlans(db), 'file');
    catalog = next;
    log.info({ path, plans: next.plans.length }, 'plan catalog loaded');
    return { status: 'applied', plans: next.plans.length };
  }

  function reject(problem: CatalogProblem): ReloadOutcome {
    log.warn(
      { path, field: problem.field, reason: problem.reason },
      `plan catalog rejected: ${problem.field}: ${problem.reason}; keeping the last good catalog`,
    );
    return { status: 'rejected', problem };
  }

  function reload(): Promise<ReloadOutcome> {
    const run = inFlight.then(reloadOnce);
    inFlight = run.catch(() => undefined);
    return run;
  }

  // At most one reload waits behind the running one: polling while the database is slow must not
  // pile them up, and an event during a reload still gets a reload that reads the file after it.
  let waiting = false;
  let lastFailure: string | undefined;
  function onFileEvent(): void {
    if (closed || waiting) return;
    waiting = true;
    const run = inFlight.then(() => {
      waiting = false;
      return reloadOnce();
    });
    inFlight = run.catch(() => undefined);
    run.then(
      () => {
        lastFailure = undefined;
      },
      (error: unknown) => {
        // Polling retries every few seconds: say it once per distinct failure, not every time.
        const message = String((error as Error).message ?? error);
        if (message !== lastFailure)
          log.warn({ err: error, path }, 'plan catalog reload failed; keeping the last good catalog');
        lastFailure = message;
      },
    );
  }

  /**
   * When the table cannot be read (migrations pending): the file's plans, from memory only, so
   * the app still starts and `/ready` can say what is missing.
   */
  async function fallback(error: unknown): Promise<Catalog> {
    const file = await readCatalogFile(path);
    log.warn(
      { err: error, path },
      'the plan catalog table cannot be read (migrations pending?); serving the catalog file from memory',
    );
    return makeCatalog(file.kind === 'valid' ? file.plans : [], 'file');
  }

  return {
    current() {
      if (!catalog) throw new Error('the plan catalog is not loaded yet: call start() first');
      return catalog;
    },
    async start() {
      // Watch before the first read, so an edit cannot slip in between the two.
      if (options.watch !== 'off') {
        stopWatching = watchPath(path, onFileEvent, {
          mode: options.watch,
          debounceMs: options.debounceMs,
          pollMs: options.pollMs,
          log,
        });
      }
      try {
        const outcome = await reload();
        if (outcome.status !== 'applied') catalog = makeCatalog(await readPlans(db), 'database');
      } catch (error) {
        catalog = await fallback(error);
      }
      if (!catalog?.get(FREE_PLAN)) log.warn({ path }, `the plan catalog has no "${FREE_PLAN}" plan`);
    },
    reload,
    async close() {
      closed = true;
      stopWatching?.();
      await inFlight;
    },
  };
}

export function makeCatalog(plans: readonly Plan[], source: Catalog['source']): Catalog {
  const byKey = new Map(plans.map((p) => [p.plan_key, p]));
  return { plans, get: (key) => byKey.get(key), source, loadedAt: new Date() };
}

type CatalogFile =
  | { kind: 'missing' }
  | { kind: 'unchanged' }
  | { kind: 'invalid'; hash: string; problem: CatalogProblem }
  | { kind: 'valid'; hash: string; plans: Plan[] };

/**
 * Reads and validates the catalog file; never throws for a bad or absent file. With `knownHash`,
 * content with that hash is reported `unchanged` without being parsed (polling reads it often).
 */
export async function readCatalogFile(path: string, knownHash?: string): Promise<CatalogFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'invalid', hash: `error:${code}`, problem: { field: 'file', reason: String(error) } };
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (hash === knownHash) return { kind: 'unchanged' };
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      kind: 'invalid',
      hash,
      problem: { field: 'file', reason: `is larger than ${MAX_FILE_BYTES} bytes` },
    };
  }
  let data: unknown;
  try {
    data = parseYaml(bytes.toString('utf8'));
  } catch (error) {
    const reason = `is not valid YAML: ${(error as Error).message.split('\n')[0]}`;
    return { kind: 'invalid', hash, problem: { field: 'file', reason } };
  }
  const result = validateCatalogFile(data);
  if ('problem' in result) return { kind: 'invalid', hash, problem: result.problem };
  return { kind: 'valid', hash, plans: result.plans };
}
