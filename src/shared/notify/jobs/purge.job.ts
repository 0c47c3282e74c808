import type { Database } from '../../../kernel/db/index.js';
import type { JobDefinition, ScheduleDefinition } from '../../../kernel/jobs/index.js';
import type { SignedLinks } from '../links/signed-links.js';

declare module '../../../kernel/jobs/index.js' {
  interface JobPayloads {
    /** Daily: drop finished notifications, log rows and read in-app items past the retention. */
    'notify.purge': { retentionDays: number };
  }
}

/**
 * Daily: finished notifications older than the retention (their deliveries go with them), the
 * delivery log of the same age, read in-app items, and links that expired over a day ago.
 * Counters (`stats`) are kept: they are small and hold no personal data beyond the user id.
 */
export function purgeJob(db: Database, links: SignedLinks): JobDefinition<'notify.purge'> {
  return {
    name: 'notify.purge',
    async handler({ retentionDays }) {
      const cutoff = `now() - ${Math.max(1, Math.floor(retentionDays))} * interval '1 day'`;
      const count = async (deleteSql: string) => {
        const [row] = await db.query<{ n: number }>(
          `with gone as (${deleteSql} returning 1) select count(*)::int as n from gone`,
        );
        return row?.n ?? 0;
      };
      const notifications = await count(
        `delete from notify.notifications n where n.created_at < ${cutoff}
           and not exists (select 1 from notify.deliveries d where d.notification_id = n.id and d.state in ('pending', 'sending'))`,
      );
      const logs = await count(`delete from notify.notification_delivery_logs where sent_at < ${cutoff}`);
      const inbox = await count(
        `delete from notify.inbox where read_at is not null and created_at < ${cutoff}`,
      );
      const expiredLinks = await links.purge();
      return {
        status: 'done',
        notifications,
        logs,
        inbox,
        links: expiredLinks,
      };
    },
  };
}

export const purgeSchedule: ScheduleDefinition<'notify.purge'> = {
  name: 'notify.purge',
  cron: '17 4 * * *',
  job: 'notify.purge',
  payload: { retentionDays: 90 },
};
