import type { SqlConnection } from '../../../kernel/db/index.js';

export interface OrganizationRow {
  id: string;
  name: string;
  domain: string | null;
  contractStatus: 'trial' | 'active' | 'suspended' | 'ended';
  planKey: string;
  active: boolean;
  ownerId: string | null;
  createdAt: Date;
}

const organizationColumns = `id, name, domain, contract_status as "contractStatus", plan_key as "planKey",
  active, owner_id as "ownerId", created_at as "createdAt"`;

/** One organization by id, or null. */
export async function findOrganization(db: SqlConnection, orgId: string): Promise<OrganizationRow | null> {
  const [row] = await db.query<OrganizationRow>(
    `select ${organizationColumns} from identity.organizations where id = $1`,
    [orgId],
  );
  return row ?? null;
}
