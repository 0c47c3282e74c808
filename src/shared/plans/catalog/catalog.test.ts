import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { type OpenedTestDatabase, testDatabases } from '../../../../test/support/db.js';
import { memoryLog, sleep, waitFor } from '../../../../test/support/jobs.js';
import { projectRoot } from '../../../kernel/paths.js';
import { readPlans } from './catalog.repository.js';
import { validateCatalogFile } from './catalog.schema.js';
import { type CatalogStore, createCatalogStore, readCatalogFile } from './catalog.store.js';

const shippedPath = join(projectRoot, 'config', 'plan_catalog.yml');
const shipped = parseYaml(readFileSync(shippedPath, 'utf8')) as {
  plans: Record<string, Record<string, unknown>>;
};

/** The shipped catalog with `edit` applied, as YAML text. */
function catalogText(edit: (plans: Record<string, Record<string, unknown>>) => void = () => {}): string {
  const copy = structuredClone(shipped);
  edit(copy.plans);
  return stringifyYaml(copy);
}

describe('catalog file validation', () => {
  const problemOf = (edit: (plans: Record<string, Record<string, unknown>>) => void) => {
    const result = validateCatalogFile(parseYaml(catalogText(edit)));
    return 'problem' in result ? result.problem : null;
  };

  it('accepts the shipped catalog, in plan order', () => {
    const result = validateCatalogFile(shipped);
    expect('plans' in result && result.plans.map((p) => p.plan_key)).toEqual([
      'free',
      'basic',
      'premium',
      'org',
    ]);
  });

  it('names the field and the reason of the first problem', () => {
    expect(problemOf((p) => Object.assign(p.basic ?? {}, { max_commits_per_day: 'lots' }))).toEqual({
      field: 'plans.basic.max_commits_per_day',
      reason: expect.stringMatching(/expected (int|number)/),
    });
    expect(problemOf((p) => Object.assign(p.basic ?? {}, { max_commits_per_day: -1 }))?.field).toBe(
      'plans.basic.max_commits_per_day',
    );
    expect(problemOf((p) => delete p.premium?.slack_enabled)?.field).toBe('plans.premium.slack_enabled');
    expect(problemOf((p) => Object.assign(p.free ?? {}, { max_upload_mb: 2.5 }))?.field).toBe(
      'plans.free.max_upload_mb',
    );
    expect(problemOf((p) => delete p.basic?.max_upload_mb)?.field).toBe('plans.basic.max_upload_mb');
    expect(problemOf((p) => Object.assign(p.free ?? {}, { max_comits_per_day: 5 }))).toMatchObject({
      field: 'plans.free',
      reason: expect.stringContaining('max_comits_per_day'),
    });
    expect(problemOf((p) => Object.assign(p.basic ?? {}, { monthly_price_usd: 9.999 }))).toEqual({
      field: 'plans.basic.monthly_price_usd',
      reason: 'must have at most two decimals',
    });
    expect(problemOf((p) => Object.assign(p.org ?? {}, { plan_order: 2 }))).toEqual({
      field: 'plans.org.plan_order',
      reason: '2 is already the plan_order of basic; each plan needs its own',
    });
    expect(problemOf((p) => delete p.free)?.field).toBe('plans.free');
    expect(problemOf((p) => Object.assign(p, { 'Bad Key': p.basic }))?.field).toBe('plans.Bad Key');
  });

  it('reports YAML syntax errors and absent files without throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-plans-'));
    try {
      writeFileSync(join(dir, 'bad.yml'), 'plans:\n  free: [unclosed\n');
      expect(await readCatalogFile(join(dir, 'bad.yml'))).toMatchObject({
        kind: 'invalid',
        problem: { field: 'file', reason: expect.stringContaining('not valid YAML') },
      });
      expect(await readCatalogFile(join(dir, 'none.yml'))).toEqual({ kind: 'missing' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(testDatabases)('plan catalog on $kind', (target) => {
  let t: OpenedTestDatabase;
  let dir: string;
  let store: CatalogStore | undefined;
  beforeAll(async () => {
    t = await target.open();
  });
  afterAll(async () => {
    await t.drop();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });
  const setup = () => {
    dir = mkdtempSync(join(tmpdir(), 'keel-plans-'));
    return join(dir, 'plan_catalog.yml');
  };

  it('seeds the table with exactly the shipped catalog (seed 001 §6-1)', async () => {
    setup();
    const file = await readCatalogFile(shippedPath);
    if (file.kind !== 'valid') throw new Error(`shipped catalog invalid: ${JSON.stringify(file)}`);
    const rows = await readPlans(t.db);
    expect(rows).toEqual(file.plans);
    const byKey = Object.fromEntries(rows.map((r) => [r.plan_key, r]));
    expect(byKey.free).toMatchObject({
      plan_label: 'Free',
      monthly_price_usd: 0,
      max_commits_per_day: 5,
      max_commits_per_month: 100,
      max_describes_per_month: 100,
      max_uploads_per_day: 10,
      max_upload_mb: 10,
      kakao_noti_remaining: 0,
      slack_enabled: false,
      ad_layer_enabled: true,
      instant_commit_generation: false,
      save_commit_message: true,
      save_describe_enabled: true,
      commit_report_enabled: false,
      data_retention_days: 30,
      trial_days: 0,
      plan_order: 1,
      is_team_plan: false,
    });
    expect(byKey.basic).toMatchObject({ monthly_price_usd: 9, max_commits_per_day: 100, trial_days: 14 });
    expect(byKey.premium).toMatchObject({
      monthly_price_usd: 29,
      max_commits_per_day: 500,
      max_commits_per_month: null,
      max_describes_per_month: null,
      max_uploads_per_day: 1000,
      max_upload_mb: 100,
      prompt_personalization_enabled: true,
    });
    expect(byKey.org).toMatchObject({
      plan_label: 'Enterprise',
      max_commits_per_day: null,
      max_commits_per_month: null,
      max_describes_per_month: null,
      max_uploads_per_day: null,
      max_upload_mb: null,
      kakao_noti_remaining: 1000,
      data_retention_days: 1825,
      team_features_enabled: true,
      trial_days: 30,
      is_team_plan: true,
    });
  });

  it.each(['inotify', 'poll'] as const)(
    'hot-reloads the file (%s): good changes apply, bad ones warn once and are ignored',
    async (mode) => {
      const path = setup();
      writeFileSync(path, catalogText());
      const { log, lines } = memoryLog('info');
      store = createCatalogStore({ db: t.db, log, path, watch: mode, debounceMs: 50, pollMs: 100 });
      await store.start();
      expect(store.current().source).toBe('file');
      const before = store.current();

      writeFileSync(
        path,
        catalogText((p) => Object.assign(p.basic ?? {}, { max_commits_per_day: 150 })),
      );
      await waitFor('the new limit', () => store?.current().get('basic')?.max_commits_per_day === 150);
      const [row] = await t.db.query<{ max_commits_per_day: number }>(
        "select max_commits_per_day from plans.plan_catalog where plan_key = 'basic'",
      );
      expect(row?.max_commits_per_day).toBe(150);
      expect(before.get('basic')?.max_commits_per_day).toBe(100);

      const good = store.current();
      writeFileSync(
        path,
        catalogText((p) => Object.assign(p.basic ?? {}, { max_commits_per_day: 'lots' })),
      );
      const warning = await waitFor('the warning', () => lines.find((l) => l.lvl === 'warn'));
      expect(warning).toMatchObject({ field: 'plans.basic.max_commits_per_day', path });
      expect(String(warning.msg)).toMatch(
        /plans\.basic\.max_commits_per_day: .*keeping the last good catalog/,
      );
      // Touching the same bad content again does not warn again.
      writeFileSync(
        path,
        catalogText((p) => Object.assign(p.basic ?? {}, { max_commits_per_day: 'lots' })),
      );
      await sleep(mode === 'poll' ? 400 : 200);
      expect(lines.filter((l) => l.lvl === 'warn')).toHaveLength(1);
      expect(store.current()).toBe(good);

      writeFileSync(
        path,
        catalogText((p) => Object.assign(p.basic ?? {}, { max_commits_per_day: 120 })),
      );
      await waitFor('the fixed file', () => store?.current().get('basic')?.max_commits_per_day === 120);
      // Put the seed values back for the other tests.
      writeFileSync(path, catalogText());
      await waitFor('the seed values', () => store?.current().get('basic')?.max_commits_per_day === 100);
    },
  );

  it('follows a file replaced by rename (editors, ConfigMaps) and lets plans swap their order', async () => {
    const path = setup();
    writeFileSync(path, catalogText());
    const { log } = memoryLog('info');
    store = createCatalogStore({ db: t.db, log, path, debounceMs: 50 });
    await store.start();
    const temp = join(dir, '.plan_catalog.yml.tmp');
    writeFileSync(
      temp,
      catalogText((p) => {
        Object.assign(p.basic ?? {}, { plan_order: 3 });
        Object.assign(p.premium ?? {}, { plan_order: 2 });
      }),
    );
    renameSync(temp, path);
    await waitFor('the swap', () => store?.current().plans[1]?.plan_key === 'premium');
    expect(store.current().plans.map((p) => p.plan_key)).toEqual(['free', 'premium', 'basic', 'org']);
    writeFileSync(path, catalogText());
    await waitFor('the seed order', () => store?.current().plans[1]?.plan_key === 'basic');
  });

  it('keeps the last good catalog when the database refuses a file, and loads the table when there is no file', async () => {
    const path = setup();
    const { log, lines } = memoryLog('info');
    store = createCatalogStore({ db: t.db, log, path, debounceMs: 50 });
    await store.start();
    expect(store.current().source).toBe('database');
    expect(store.current().plans.map((p) => p.plan_key)).toEqual(['free', 'basic', 'premium', 'org']);

    // Valid on its own, but plan_order 4 belongs to 'org', which the file does not mention.
    writeFileSync(
      path,
      catalogText((p) => {
        delete p.org;
        Object.assign(p.basic ?? {}, { plan_order: 4 });
      }),
    );
    expect(await store.reload()).toMatchObject({
      status: 'rejected',
      problem: { field: 'file', reason: expect.stringContaining('database refused') },
    });
    expect(store.current().source).toBe('database');
    expect(lines.filter((l) => l.lvl === 'warn' && l.field === 'file')).toHaveLength(1);
    // The same content is not tried (nor reported) again until it changes.
    expect(await store.reload()).toEqual({ status: 'unchanged' });
    const [row] = await t.db.query<{ plan_order: number }>(
      "select plan_order from plans.plan_catalog where plan_key = 'basic'",
    );
    expect(row?.plan_order).toBe(2);
  });

  it('starts on a database without the plans tables, serving the file from memory', async () => {
    const path = setup();
    writeFileSync(path, catalogText());
    const bare = await target.open({ migrate: false });
    const { log, lines } = memoryLog('info');
    const early = createCatalogStore({ db: bare.db, log, path, watch: 'off' });
    try {
      await early.start();
      expect(early.current().get('basic')?.max_commits_per_day).toBe(100);
      expect(lines.some((l) => l.lvl === 'warn' && String(l.msg).includes('migrations pending'))).toBe(true);
    } finally {
      await early.close();
      await bare.drop();
    }
  });

  it('stops watching when closed', async () => {
    const path = setup();
    writeFileSync(path, catalogText());
    const { log } = memoryLog('info');
    const closing = createCatalogStore({ db: t.db, log, path, debounceMs: 20 });
    await closing.start();
    await closing.close();
    writeFileSync(
      path,
      catalogText((p) => Object.assign(p.free ?? {}, { max_uploads_per_day: 11 })),
    );
    await sleep(200);
    expect(closing.current().get('free')?.max_uploads_per_day).toBe(10);
  });
});
