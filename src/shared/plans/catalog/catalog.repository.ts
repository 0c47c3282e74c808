import type { SqlConnection } from '../../../kernel/db/index.js';
import type { Plan } from './catalog.schema.js';

/** Column → SQL type of `plans.plan_catalog`, in table order (the file's fields are the same names). */
const columns = {
  plan_key: 'varchar(32)',
  plan_label: 'varchar(64)',
  monthly_price_usd: 'numeric(6,2)',
  max_commits_per_day: 'integer',
  max_commits_per_month: 'integer',
  max_describes_per_month: 'integer',
  max_uploads_per_day: 'integer',
  max_upload_mb: 'integer',
  kakao_noti_remaining: 'integer',
  slack_enabled: 'boolean',
  ad_layer_enabled: 'boolean',
  instant_commit_generation: 'boolean',
  save_commit_message: 'boolean',
  save_describe_enabled: 'boolean',
  commit_report_enabled: 'boolean',
  visualization_report_enabled: 'boolean',
  prompt_personalization_enabled: 'boolean',
  data_retention_days: 'integer',
  team_features_enabled: 'boolean',
  trial_days: 'integer',
  plan_order: 'integer',
  is_team_plan: 'boolean',
} as const satisfies Record<keyof Plan, string>;

const names = Object.keys(columns);
const recordType = Object.entries(columns)
  .map(([name, type]) => `${name} ${type}`)
  .join(', ');
const updates = names
  .filter((n) => n !== 'plan_key')
  .map((n) => `${n} = excluded.${n}`)
  .join(', ');

// One statement whatever the number of plans: the plans travel as one JSON parameter. The
// plan_order constraint is deferred, so plans may swap their order in one reload.
const upsertSql = `insert into plans.plan_catalog (${names.join(', ')})
select ${names.join(', ')} from jsonb_to_recordset($1::jsonb) as p(${recordType})
on conflict (plan_key) do update set ${updates}`;

/** Inserts or updates `plans` (by key); plans not listed are left as they are. */
export async function upsertPlans(conn: SqlConnection, plans: readonly Plan[]): Promise<void> {
  await conn.query(upsertSql, [JSON.stringify(plans)]);
}

/** Every plan of the table, in plan order. */
export async function readPlans(conn: SqlConnection): Promise<Plan[]> {
  const rows = await conn.query<Plan & { monthly_price_usd: string | number }>(
    `select ${names.join(', ')} from plans.plan_catalog order by plan_order, plan_key`,
  );
  // numeric arrives as a string (exact decimal); two decimals fit a double exactly enough.
  return rows.map((row) => ({ ...row, monthly_price_usd: Number(row.monthly_price_usd) }));
}
