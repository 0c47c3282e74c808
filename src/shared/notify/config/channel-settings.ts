import { decryptString, encrypt, type Secrets } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { ChannelAdapter, ChannelKind } from '../channels/channel.types.js';
import { channelSettingsSchemas, createChannel } from '../channels/index.js';
import { allowlistFrom, checkDestination, createOutbound, type Outbound } from '../outbound/index.js';
import {
  type AllowlistRow,
  type ChannelConfigRow,
  deleteAllowlistEntry,
  deleteChannelConfig,
  insertAllowlistEntry,
  readAllowlist,
  readChannelConfigs,
  upsertChannelConfig,
} from './channel-configs.repository.js';
import { prepareChannelSecrets } from './generated-secrets.js';

/** A channel's settings as the API shows them: secrets never leave, only which are set. */
export interface ChannelConfigView {
  orgId: string | null;
  channel: ChannelKind;
  enabled: boolean;
  config: Record<string, unknown>;
  secretsSet: string[];
  updatedAt: Date;
}

/**
 * Channel settings per org (the instance's row applies where an org has none), the SSRF
 * allowlist, and the adapters built from them.
 *
 * @example
 * await settings.set(null, 'slack', { enabled: true, config: { mode: 'bot' }, secrets: { botToken } });
 * const adapter = await settings.adapterFor(orgId, 'slack'); // ChannelAdapter | { unavailable }
 */
export interface ChannelSettings {
  adapterFor(orgId: string | null, channel: ChannelKind): Promise<ChannelAdapter | { unavailable: string }>;
  isConfigured(orgId: string | null, channel: ChannelKind): Promise<boolean>;
  list(orgId?: string | null): Promise<ChannelConfigView[]>;
  /**
   * Validates and stores a channel's settings. Secrets not given keep their stored values; the
   * answer carries secrets Keel generated (a webhook signing secret, VAPID keys) once.
   */
  set(
    orgId: string | null,
    channel: ChannelKind,
    input: { enabled: boolean; config: Record<string, unknown>; secrets?: Record<string, unknown> },
  ): Promise<{ view: ChannelConfigView; generated: Record<string, string> }>;
  remove(orgId: string | null, channel: ChannelKind): Promise<boolean>;
  /** The public config of a channel (the VAPID public key browsers subscribe with). */
  publicConfig(orgId: string | null, channel: ChannelKind): Promise<Record<string, unknown> | null>;
  allowlist: {
    list(): Promise<AllowlistRow[]>;
    add(entry: string, note: string | null, createdBy: string | null): Promise<AllowlistRow>;
    remove(id: string): Promise<boolean>;
  };
  /** Throws DestinationRefusedError (400, naming the reason) for a URL notify may not call. */
  checkWebhook(url: string): Promise<void>;
  outbound: Outbound;
  close(): Promise<void>;
}

/** Settings and the allowlist change rarely; other processes see a change within this. */
const CACHE_TTL_MS = 5_000;

export function createChannelSettings(deps: {
  db: Database;
  secrets: Secrets;
  /** Entries from the environment (NOTIFY_ALLOWLIST), added to the stored ones. */
  allowlist?: readonly string[];
}): ChannelSettings {
  const { db, secrets } = deps;
  let rows: { at: number; rows: ChannelConfigRow[] } | null = null;
  let allowed: { at: number; isAllowed: (host: string, address: string) => boolean } | null = null;
  const adapters = new Map<string, { stamp: string; adapter: ChannelAdapter }>();

  const isAllowed = (host: string, address: string) => allowed?.isAllowed(host, address) ?? false;
  async function refreshAllowlist(): Promise<void> {
    if (allowed && performance.now() - allowed.at < CACHE_TTL_MS) return;
    const stored = await readAllowlist(db);
    allowed = {
      at: performance.now(),
      isAllowed: allowlistFrom([...(deps.allowlist ?? []), ...stored.map((r) => r.entry)]),
    };
  }
  const outboundClient = createOutbound({ isAllowed });
  // Every request re-reads the allowlist cache first, so an admin's change applies within the TTL.
  const outbound: Outbound = {
    async request(url, init) {
      await refreshAllowlist();
      return outboundClient.request(url, init);
    },
    async checkHost(hostname, what) {
      await refreshAllowlist();
      return outboundClient.checkHost(hostname, what);
    },
    close: () => outboundClient.close(),
  };

  async function configs(): Promise<ChannelConfigRow[]> {
    if (rows && performance.now() - rows.at < CACHE_TTL_MS) return rows.rows;
    rows = { at: performance.now(), rows: await readChannelConfigs(db) };
    return rows.rows;
  }

  async function effective(orgId: string | null, channel: ChannelKind): Promise<ChannelConfigRow | null> {
    const all = await configs();
    const own = orgId ? all.find((r) => r.orgId === orgId && r.channel === channel) : undefined;
    return own ?? all.find((r) => r.orgId === null && r.channel === channel) ?? null;
  }

  function secretsOf(row: ChannelConfigRow): Record<string, unknown> {
    return row.secretsEncrypted
      ? (JSON.parse(decryptString(secrets.ring, row.secretsEncrypted, row.id)) as Record<string, unknown>)
      : {};
  }

  function viewOf(row: ChannelConfigRow): ChannelConfigView {
    return {
      orgId: row.orgId,
      channel: row.channel,
      enabled: row.enabled,
      config: row.config,
      secretsSet: Object.keys(secretsOf(row)).sort(),
      updatedAt: row.updatedAt,
    };
  }

  return {
    async adapterFor(orgId, channel) {
      if (channel === 'inapp') return { unavailable: 'in-app is delivered by the dispatcher itself' };
      const row = await effective(orgId, channel);
      if (!row?.enabled) return { unavailable: `${channel} is not configured for this org or the instance` };
      const stamp = `${row.id}/${row.updatedAt.getTime()}`;
      const cached = adapters.get(row.id);
      if (cached?.stamp === stamp) return cached.adapter;
      await cached?.adapter.close?.();
      let adapter: ChannelAdapter;
      try {
        adapter = createChannel(channel, row.config, secretsOf(row), { outbound });
      } catch (error) {
        // Settings saved before a rule tightened, or edited in the table: say so on the delivery.
        return {
          unavailable: `${channel} settings are invalid: ${error instanceof Error ? error.message : error}`,
        };
      }
      adapters.set(row.id, { stamp, adapter });
      return adapter;
    },

    async isConfigured(orgId, channel) {
      if (channel === 'inapp') return true;
      const row = await effective(orgId, channel);
      return row?.enabled === true;
    },

    async list(orgId) {
      const all = await readChannelConfigs(db, orgId);
      return all.map(viewOf);
    },

    async set(orgId, channel, input) {
      if (channel === 'inapp') {
        throw invalid('channel', 'in-app notifications need no settings');
      }
      const schemas = channelSettingsSchemas[channel];
      const stored = await db.transaction(async (tx) => {
        const [current] = (await readChannelConfigs(tx, orgId)).filter((r) => r.channel === channel);
        const merged = { ...(current ? secretsOf(current) : {}), ...(input.secrets ?? {}) };
        const { secrets: completed, generated } = prepareChannelSecrets(channel, input.config, merged);
        const config = schemas.config.safeParse({ ...input.config, ...generated.publicConfig });
        if (!config.success) throw fieldErrors('config', config.error.issues);
        const parsed = schemas.secrets.safeParse(completed);
        if (!parsed.success) throw fieldErrors('secrets', parsed.error.issues);
        // Rules across both halves (a Slack bot needs its token) are checked by building the adapter.
        await createChannel(channel, config.data, parsed.data, { outbound }).close?.();
        const row = await upsertChannelConfig(
          tx,
          { orgId, channel, enabled: input.enabled, config: config.data as Record<string, unknown> },
          (id) => encrypt(secrets.ring, JSON.stringify(parsed.data), id),
        );
        return { row, generated: generated.secrets };
      });
      rows = null;
      return { view: viewOf(stored.row), generated: stored.generated };
    },

    async remove(orgId, channel) {
      const removed = await deleteChannelConfig(db, orgId, channel);
      rows = null;
      return removed;
    },

    async publicConfig(orgId, channel) {
      const row = await effective(orgId, channel);
      return row?.enabled ? row.config : null;
    },

    allowlist: {
      list: () => readAllowlist(db),
      async add(entry, note, createdBy) {
        try {
          allowlistFrom([entry]);
        } catch (error) {
          throw invalid('entry', error instanceof Error ? error.message : String(error));
        }
        const row = await insertAllowlistEntry(db, { entry, note, createdBy });
        if (!row) throw new KeelError('conflict', `entry: "${entry}" is already on the allowlist`);
        allowed = null;
        return row;
      },
      async remove(id) {
        const removed = await deleteAllowlistEntry(db, id);
        allowed = null;
        return removed;
      },
    },

    async checkWebhook(url) {
      await refreshAllowlist();
      await checkDestination(url, isAllowed, { what: 'webhook URL' });
    },

    outbound,

    async close() {
      for (const { adapter } of adapters.values()) await adapter.close?.();
      adapters.clear();
      outboundClient.close();
    },
  };
}

function invalid(field: string, message: string): KeelError {
  return new KeelError('validation_failed', `${field}: ${message}`, {
    details: { errors: [{ field, message }] },
  });
}

function fieldErrors(
  prefix: string,
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
): KeelError {
  const errors = issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = errors[0] as { field: string; message: string };
  return new KeelError('validation_failed', `${first.field}: ${first.message}`, { details: { errors } });
}
