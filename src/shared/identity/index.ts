export { identityModule } from './identity.module.js';
export { findOrganization, type OrganizationRow } from './orgs/orgs.repository.js';
