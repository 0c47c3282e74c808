import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/app.js';
import { type OpenedTestDatabase, openPgliteTestDatabase } from '../../../test/support/db.js';
import { memoryLog, sleep, waitFor } from '../../../test/support/jobs.js';
import { projectRoot } from '../../kernel/paths.js';
import { catalogPathFrom, createPlansModule } from './plans.module.js';
import { testAuthorize } from './plans.test-app.js';

describe('plans app hooks', () => {
  let t: OpenedTestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await openPgliteTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'keel-plans-app-'));
  });
  afterAll(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the catalog from the option, then the KEEL_PLAN_CATALOG setting, then config/plan_catalog.yml', () => {
    expect(catalogPathFrom({ catalogPath: 'a.yml' }, { KEEL_PLAN_CATALOG: 'b.yml' })).toBe(resolve('a.yml'));
    expect(catalogPathFrom({}, { KEEL_PLAN_CATALOG: 'b.yml' })).toBe(resolve('b.yml'));
    expect(catalogPathFrom({}, {})).toBe(join(projectRoot, 'config', 'plan_catalog.yml'));
  });

  it('serves catalog changes without a restart and stops watching when the app closes', async () => {
    const path = join(dir, 'plan_catalog.yml');
    const shipped = readFileSync(join(projectRoot, 'config', 'plan_catalog.yml'), 'utf8');
    writeFileSync(path, shipped);
    const { log, lines } = memoryLog('info');
    const app = await buildTestApp({
      db: t.db,
      log,
      modules: [createPlansModule({ catalogPath: path })],
      authorize: testAuthorize,
    });
    try {
      const label = async () => {
        const res = await app.inject({ method: 'GET', url: '/plans', remoteAddress: '10.1.1.1' });
        return (res.json() as { plans: Array<{ plan_key: string; plan_label: string }> }).plans.find(
          (p) => p.plan_key === 'basic',
        )?.plan_label;
      };
      expect(await label()).toBe('Basic');
      writeFileSync(path, shipped.replace('plan_label: Basic', 'plan_label: Basic (2026)'));
      await waitFor('the new label', async () => (await label()) === 'Basic (2026)');
      writeFileSync(path, shipped.replace('plan_label: Basic', 'plan_label: ""'));
      await waitFor('the warning', () =>
        lines.some((l) => l.lvl === 'warn' && l.field === 'plans.basic.plan_label'),
      );
      expect(await label()).toBe('Basic (2026)');
      writeFileSync(path, shipped);
      await waitFor('the seed label', async () => (await label()) === 'Basic');
    } finally {
      await app.close();
    }
    const warnings = lines.filter((l) => l.lvl === 'warn').length;
    writeFileSync(path, shipped.replace('plan_order: 1', 'plan_order: x'));
    await sleep(400);
    expect(lines.filter((l) => l.lvl === 'warn')).toHaveLength(warnings);
  });
});
