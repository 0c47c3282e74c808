import type { ModuleContext } from '../../../kernel/module/index.js';
import { adminUserIds, findOrganization } from '../../identity/index.js';
import { notifyServices } from '../../notify/index.js';
import type { CostAlert } from './usage-rollup.job.js';

/**
 * Tells whoever answers for a budget that it passed its alert threshold: the user for a personal
 * budget; an org's admins (the platform admins when it has none) for an org's. In-app and e-mail;
 * the dedupe key makes a repeated alert for the same budget and month a no-op.
 */
export async function sendCostAlert(ctx: ModuleContext, alert: CostAlert): Promise<void> {
  let recipients = alert.kind === 'user' ? [alert.id] : await adminUserIds(ctx.db, alert.id);
  if (recipients.length === 0) recipients = await adminUserIds(ctx.db, null);
  if (recipients.length === 0) return;
  const org = alert.kind === 'org' ? await findOrganization(ctx.db, alert.id) : null;
  await notifyServices(ctx).send({
    to: recipients.map((userId) => ({ userId })),
    template: 'llm.cost_alert',
    data: {
      subject_name: org ? org.name : 'Your account',
      spent_usd: alert.spent.toFixed(2),
      limit_usd: alert.limit.toFixed(2),
      percent: Math.round((alert.spent / alert.limit) * 100),
      period: alert.month,
    },
    channels: ['inapp', 'email'],
    priority: 'high',
    orgId: alert.kind === 'org' ? alert.id : null,
    dedupeKey: `llm.cost_alert:${alert.kind}:${alert.id}:${alert.month}`,
  });
}
