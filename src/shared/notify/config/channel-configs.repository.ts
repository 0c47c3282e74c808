import { randomUUID } from 'node:crypto';
import type { SqlConnection } from '../../../kernel/db/index.js';
import type { ChannelKind } from '../channels/channel.types.js';

export interface ChannelConfigRow {
  id: string;
  orgId: string | null;
  channel: ChannelKind;
  config: Record<string, unknown>;
  secretsEncrypted: string | null;
  enabled: boolean;
  updatedAt: Date;
}

const columns = `id, org_id as "orgId", channel, config, secrets_encrypted as "secretsEncrypted", enabled,
  updated_at as "updatedAt"`;

/** Every stored channel configuration (a few rows per org at most). */
export async function readChannelConfigs(
  conn: SqlConnection,
  orgId?: string | null,
): Promise<ChannelConfigRow[]> {
  return conn.query<ChannelConfigRow>(
    `select ${columns} from notify.channel_configs
      where $1::boolean or org_id is not distinct from $2::uuid order by org_id nulls first, channel`,
    [orgId === undefined, orgId ?? null],
  );
}

/** Inserts or replaces the org's (or the instance's) configuration of a channel. */
export async function upsertChannelConfig(
  tx: SqlConnection,
  input: { orgId: string | null; channel: ChannelKind; enabled: boolean; config: Record<string, unknown> },
  encryptSecrets: (id: string) => string | null,
): Promise<ChannelConfigRow> {
  const [existing] = await tx.query<{ id: string }>(
    'select id from notify.channel_configs where org_id is not distinct from $1::uuid and channel = $2 for update',
    [input.orgId, input.channel],
  );
  const id = existing?.id ?? randomUUID();
  const secrets = encryptSecrets(id);
  const [row] = existing
    ? await tx.query<ChannelConfigRow>(
        `update notify.channel_configs set config = $2::jsonb, secrets_encrypted = $3, enabled = $4, updated_at = now()
          where id = $1 returning ${columns}`,
        [id, JSON.stringify(input.config), secrets, input.enabled],
      )
    : await tx.query<ChannelConfigRow>(
        `insert into notify.channel_configs (id, org_id, channel, config, secrets_encrypted, enabled)
         values ($1, $2, $3, $4::jsonb, $5, $6) returning ${columns}`,
        [id, input.orgId, input.channel, JSON.stringify(input.config), secrets, input.enabled],
      );
  return row as ChannelConfigRow;
}

export async function deleteChannelConfig(
  conn: SqlConnection,
  orgId: string | null,
  channel: ChannelKind,
): Promise<boolean> {
  const rows = await conn.query(
    'delete from notify.channel_configs where org_id is not distinct from $1::uuid and channel = $2 returning id',
    [orgId, channel],
  );
  return rows.length > 0;
}

export interface AllowlistRow {
  id: string;
  entry: string;
  note: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export async function readAllowlist(conn: SqlConnection): Promise<AllowlistRow[]> {
  return conn.query<AllowlistRow>(
    `select id, entry, note, created_by as "createdBy", created_at as "createdAt"
       from notify.destination_allowlist order by created_at, id`,
  );
}

export async function insertAllowlistEntry(
  conn: SqlConnection,
  input: { entry: string; note: string | null; createdBy: string | null },
): Promise<AllowlistRow | null> {
  const [row] = await conn.query<AllowlistRow>(
    `insert into notify.destination_allowlist (id, entry, note, created_by) values ($1, $2, $3, $4)
     on conflict do nothing
     returning id, entry, note, created_by as "createdBy", created_at as "createdAt"`,
    [randomUUID(), input.entry, input.note, input.createdBy],
  );
  return row ?? null;
}

export async function deleteAllowlistEntry(conn: SqlConnection, id: string): Promise<boolean> {
  const rows = await conn.query('delete from notify.destination_allowlist where id = $1 returning id', [id]);
  return rows.length > 0;
}
