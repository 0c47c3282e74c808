import { randomUUID } from 'node:crypto';
import type { Secrets } from '../../../kernel/crypto/index.js';
import { encrypt } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import type { RegistryCache } from './registry.cache.js';
import { keyColumns, modelColumns, providerColumns, ruleColumns } from './registry.repository.js';
import type {
  Capability,
  KeyRow,
  ModelRow,
  ProviderKind,
  ProviderRow,
  RoutingRule,
} from './registry.types.js';

export interface ProviderInput {
  name: string;
  displayName: string;
  kind: ProviderKind;
  baseUrl: string | null;
  priority: number;
}

export interface ModelInput {
  providerId: string;
  name: string;
  displayName: string;
  contextWindow: number | null;
  inputPricePerMtok: number;
  outputPricePerMtok: number;
  cachedInputPricePerMtok: number | null;
  capabilities: Capability[];
  embeddingDims: number | null;
}

export interface RuleInput {
  feature: string;
  planKey: string | null;
  orgId: string | null;
  modelId: string;
  priority: number;
  weight: number;
  experiment: string | null;
}

/** A key as the API shows it: never the key, only its last four characters. */
export type KeyView = Omit<KeyRow, 'keyEncrypted'>;

/** Admin changes to the registry; every change drops the gateway's cached copy. */
export interface RegistryService {
  providers(): Promise<ProviderRow[]>;
  createProvider(input: ProviderInput): Promise<ProviderRow>;
  updateProvider(
    id: string,
    input: Partial<ProviderInput> & { status?: 'active' | 'inactive' },
  ): Promise<ProviderRow>;
  deleteProvider(id: string): Promise<void>;
  keys(providerId: string): Promise<KeyView[]>;
  addKey(
    providerId: string,
    input: { name: string; key: string; priority: number; monthlyBudgetUsd: number | null },
  ): Promise<KeyView>;
  updateKey(
    id: string,
    input: { status?: 'active' | 'inactive'; priority?: number; monthlyBudgetUsd?: number | null },
  ): Promise<KeyView>;
  deleteKey(id: string): Promise<void>;
  key(id: string): Promise<KeyRow>;
  models(): Promise<ModelRow[]>;
  createModel(input: ModelInput): Promise<ModelRow>;
  updateModel(
    id: string,
    input: Partial<Omit<ModelInput, 'providerId'>> & { available?: boolean },
  ): Promise<ModelRow>;
  deleteModel(id: string): Promise<void>;
  rules(): Promise<RoutingRule[]>;
  createRule(input: RuleInput): Promise<RoutingRule>;
  deleteRule(id: string): Promise<void>;
}

const viewOf = ({ keyEncrypted: _hidden, ...view }: KeyRow): KeyView => view;

export function createRegistryService(deps: {
  db: Database;
  secrets: Secrets;
  cache: RegistryCache;
}): RegistryService {
  const { db, secrets, cache } = deps;
  const changed = <T>(value: T): T => {
    cache.invalidate();
    return value;
  };
  const one = <T>(rows: T[], what: string): T => {
    const [row] = rows;
    if (!row) throw new KeelError('not_found', `No such ${what}.`);
    return row;
  };
  const taken = (error: unknown, field: string, what: string): never => {
    if (isUniqueViolation(error))
      throw new KeelError('conflict', `${what} already exists.`, {
        details: { errors: [{ field, message: 'is already taken' }] },
      });
    if ((error as { code?: string }).code === '23503')
      throw new KeelError('validation_failed', `The referenced ${what.toLowerCase()} does not exist.`, {
        details: { errors: [{ field, message: 'does not exist' }] },
      });
    throw error;
  };

  return {
    providers: () =>
      db.query<ProviderRow>(`select ${providerColumns} from llm.providers order by priority, name`),

    async createProvider(input) {
      const rows = await db
        .query<ProviderRow>(
          `insert into llm.providers (id, name, display_name, kind, base_url, priority) values ($1, $2, $3, $4, $5, $6)
           returning ${providerColumns}`,
          [randomUUID(), input.name, input.displayName, input.kind, input.baseUrl, input.priority],
        )
        .catch((error: unknown) => taken(error, 'body.name', 'A provider with this name'));
      return changed(one(rows, 'provider'));
    },

    async updateProvider(id, input) {
      const rows = await db.query<ProviderRow>(
        `update llm.providers set
           display_name = coalesce($2, display_name), base_url = case when $3 then $4 else base_url end,
           priority = coalesce($5, priority), status = coalesce($6, status), updated_at = now()
         where id = $1 returning ${providerColumns}`,
        [
          id,
          input.displayName ?? null,
          input.baseUrl !== undefined,
          input.baseUrl ?? null,
          input.priority ?? null,
          input.status ?? null,
        ],
      );
      return changed(one(rows, 'provider'));
    },

    async deleteProvider(id) {
      one(
        await db.query('delete from llm.providers where id = $1 and kind <> $2 returning id', [
          id,
          'offline',
        ]),
        'provider (the offline provider stays)',
      );
      changed(undefined);
    },

    async keys(providerId) {
      return (
        await db.query<KeyRow>(
          `select ${keyColumns} from llm.api_keys where provider_id = $1 order by priority`,
          [providerId],
        )
      ).map(viewOf);
    },

    async addKey(providerId, input) {
      const id = randomUUID();
      const rows = await db
        .query<KeyRow>(
          `insert into llm.api_keys (id, provider_id, name, key_encrypted, last4, priority, monthly_budget_usd)
           values ($1, $2, $3, $4, $5, $6, $7) returning ${keyColumns}`,
          [
            id,
            providerId,
            input.name,
            encrypt(secrets.ring, input.key, id),
            input.key.slice(-4),
            input.priority,
            input.monthlyBudgetUsd,
          ],
        )
        .catch((error: unknown) => taken(error, 'params.id', 'Provider'));
      return changed(viewOf(one(rows, 'key')));
    },

    async updateKey(id, input) {
      const rows = await db.query<KeyRow>(
        `update llm.api_keys set status = coalesce($2, status), priority = coalesce($3, priority),
           monthly_budget_usd = case when $4 then $5 else monthly_budget_usd end, updated_at = now()
         where id = $1 returning ${keyColumns}`,
        [
          id,
          input.status ?? null,
          input.priority ?? null,
          input.monthlyBudgetUsd !== undefined,
          input.monthlyBudgetUsd ?? null,
        ],
      );
      return changed(viewOf(one(rows, 'key')));
    },

    async deleteKey(id) {
      one(await db.query('delete from llm.api_keys where id = $1 returning id', [id]), 'key');
      changed(undefined);
    },

    async key(id) {
      return one(await db.query<KeyRow>(`select ${keyColumns} from llm.api_keys where id = $1`, [id]), 'key');
    },

    models: () => db.query<ModelRow>(`select ${modelColumns} from llm.models order by name`),

    async createModel(input) {
      const rows = await db
        .query<ModelRow>(
          `insert into llm.models (id, provider_id, name, display_name, context_window, input_price_per_mtok,
             output_price_per_mtok, cached_input_price_per_mtok, capabilities, embedding_dims)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${modelColumns}`,
          [
            randomUUID(),
            input.providerId,
            input.name,
            input.displayName,
            input.contextWindow,
            input.inputPricePerMtok,
            input.outputPricePerMtok,
            input.cachedInputPricePerMtok,
            input.capabilities,
            input.embeddingDims,
          ],
        )
        .catch((error: unknown) => taken(error, 'body.name', 'This provider model'));
      return changed(one(rows, 'model'));
    },

    async updateModel(id, input) {
      const rows = await db.query<ModelRow>(
        `update llm.models set display_name = coalesce($2, display_name),
           input_price_per_mtok = coalesce($3, input_price_per_mtok),
           output_price_per_mtok = coalesce($4, output_price_per_mtok),
           available = coalesce($5, available), capabilities = coalesce($6, capabilities), updated_at = now()
         where id = $1 returning ${modelColumns}`,
        [
          id,
          input.displayName ?? null,
          input.inputPricePerMtok ?? null,
          input.outputPricePerMtok ?? null,
          input.available ?? null,
          input.capabilities ?? null,
        ],
      );
      return changed(one(rows, 'model'));
    },

    async deleteModel(id) {
      one(await db.query('delete from llm.models where id = $1 returning id', [id]), 'model');
      changed(undefined);
    },

    rules: () =>
      db.query<RoutingRule>(`select ${ruleColumns} from llm.routing_rules order by feature, priority`),

    async createRule(input) {
      const rows = await db
        .query<RoutingRule>(
          `insert into llm.routing_rules (id, feature, plan_key, org_id, model_id, priority, weight, experiment)
           values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${ruleColumns}`,
          [
            randomUUID(),
            input.feature,
            input.planKey,
            input.orgId,
            input.modelId,
            input.priority,
            input.weight,
            input.experiment,
          ],
        )
        .catch((error: unknown) => taken(error, 'body.model_id', 'Model'));
      return changed(one(rows, 'routing rule'));
    },

    async deleteRule(id) {
      one(await db.query('delete from llm.routing_rules where id = $1 returning id', [id]), 'routing rule');
      changed(undefined);
    },
  };
}
