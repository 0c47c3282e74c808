import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../../../test/support/db.js';
import { eventually } from '../../../../test/support/eventually.js';
import { useIdentityHarness } from '../../../../test/support/identity.js';
import { notifyServices } from '../../notify/index.js';
import { sendCostAlert } from './cost-alert.js';
import { rollUpUsage } from './usage-rollup.job.js';

describe.each(testDatabases)('LLM cost alerts ($kind)', (target) => {
  const h = useIdentityHarness(target);

  it("tells an org's admins once a month when spending passes the alert threshold", async () => {
    const platformAdmin = await h.user({ roles: ['admin'] });
    const founder = await h.user();
    const org = await h.app.inject({
      method: 'POST',
      url: '/orgs',
      headers: founder.auth,
      payload: { name: 'Alerted Co' },
    });
    expect(org.statusCode).toBe(201);
    const orgId = org.json().id as string;
    const budget = await h.app.inject({
      method: 'PUT',
      url: `/llm/budgets/org/${orgId}`,
      headers: platformAdmin.auth,
      payload: { monthly_limit_usd: 100, alert_threshold_usd: 80 },
    });
    expect(budget.statusCode).toBe(200);
    // What the gateway's metering would have added by now (the subject here is the alert).
    await h.context.db.query(
      `update llm.budgets set spent_usd = 85 where subject_kind = 'org' and subject_id = $1`,
      [orgId],
    );

    const send = (alert: Parameters<typeof sendCostAlert>[1]) => sendCostAlert(h.context, alert);
    expect((await rollUpUsage(h.context.db, h.context.log, 2, send)).alerts).toBe(1);
    // A second run (another node, the next tick) raises nothing new.
    expect((await rollUpUsage(h.context.db, h.context.log, 2, send)).alerts).toBe(0);

    const notify = notifyServices(h.context);
    notify.worker.start();
    try {
      const items = await eventually(async () => {
        const inbox = await h.app.inject({ method: 'GET', url: '/notify/inbox', headers: founder.auth });
        const body = inbox.json() as { items: Array<{ title: string; body: string }> };
        return body.items.length > 0 ? body.items : undefined;
      });
      expect(items).toHaveLength(1);
      expect(items[0]?.title).toMatch(
        /^LLM (spend reached 85% of the \d{4}-\d{2} budget|사용 금액이 .* 85%에 도달했습니다)$/,
      );
      expect(items[0]?.body).toContain('Alerted Co');
    } finally {
      await notify.worker.stop({ graceMs: 1_000 });
    }
  });
});
