export { createIdentityModule, identityModule } from './identity.module.js';
export { findOrganization, type OrganizationRow } from './orgs/orgs.repository.js';
export { bootstrapAdmin } from './users/bootstrap-admin.js';
export {
  adminUserIds,
  type NotificationContact,
  notificationContacts,
  orgOfTeam,
  teamIdsOfUser,
} from './users/contact.js';
