import { join } from 'node:path';
import type { ActionDefinition } from '../../kernel/http/index.js';
import type { KeelModule } from '../../kernel/module/index.js';
import { projectRoot } from '../../kernel/paths.js';
import { purgeJob, purgeSchedule } from './jobs/purge.job.js';
import { type NotifyOptions, notifyServices } from './notify.context.js';
import { actions } from './notify.http.js';
import { notifyRoutes } from './notify.routes.js';

const everyone = ['user', 'admin', 'org_admin', 'enterprise'];

export const notifyActions: readonly ActionDefinition[] = [
  {
    code: actions.self,
    description: 'Read your in-app notifications; set your preferences and contacts',
    roles: everyone,
  },
  { code: actions.send, description: 'Send notifications to any user or address', roles: ['admin'] },
  {
    code: actions.admin,
    description: 'Read the delivery log, queue and counters; manage templates, notices and the allowlist',
    roles: ['admin'],
  },
  {
    code: actions.channels,
    description: "Set up notification channels (org admins: their org's)",
    roles: ['admin', 'org_admin'],
  },
];

/** Notify: one delivery service for Slack, e-mail, SMS, Kakao, webhooks, Web Push and in-app. */
export function createNotifyModule(options: NotifyOptions = {}): KeelModule {
  return {
    name: 'notify',
    layer: 'shared',
    dependsOn: ['kernel', 'identity', 'plans'],
    migrations: join(projectRoot, 'src', 'shared', 'notify', 'migrations'),
    actions: notifyActions,
    routes: { prefix: '/notify', plugin: (ctx) => notifyRoutes(ctx, notifyServices(ctx, options)) },
    workers: (ctx) => [notifyServices(ctx, options).worker],
    jobs: (ctx) => [purgeJob(ctx.db, notifyServices(ctx, options).links)],
    schedules: [purgeSchedule],
    eraseUser: async (tx, userId) => {
      const count = async (sql: string) => {
        const [row] = await tx.query<{ n: number }>(
          `with gone as (${sql} returning 1) select count(*)::int as n from gone`,
          [userId],
        );
        return row?.n ?? 0;
      };
      return {
        // Deliveries hold the address (encrypted); the log keeps the fact, masked, without the user.
        deliveries: await count(`delete from notify.deliveries where user_id = $1`),
        delivery_logs: await count(
          `update notify.notification_delivery_logs set user_id = null, recipient = 'erased' where user_id = $1`,
        ),
        inbox: await count('delete from notify.inbox where user_id = $1'),
        preferences: await count('delete from notify.preferences where user_id = $1'),
        quiet_hours: await count('delete from notify.quiet_hours where user_id = $1'),
        contact_points: await count('delete from notify.contact_points where user_id = $1'),
        push_subscriptions: await count('delete from notify.push_subscriptions where user_id = $1'),
        stats: await count('delete from notify.stats where user_id = $1'),
        signed_links: await count('delete from notify.signed_links where user_id = $1'),
      };
    },
    encryptedColumns: [
      {
        schema: 'notify',
        table: 'channel_configs',
        column: 'secrets_encrypted',
        idColumn: 'id',
        aad: (id) => id,
      },
      {
        schema: 'notify',
        table: 'contact_points',
        column: 'destination_encrypted',
        idColumn: 'id',
        aad: (id) => id,
      },
      {
        schema: 'notify',
        table: 'push_subscriptions',
        column: 'keys_encrypted',
        idColumn: 'id',
        aad: (id) => id,
      },
      {
        schema: 'notify',
        table: 'deliveries',
        column: 'destination_encrypted',
        idColumn: 'id',
        aad: (id) => id,
      },
    ],
  };
}

export const notifyModule: KeelModule = createNotifyModule();
