/** For tests and tools only: the services behind the identity module's routes. */
export { type IdentityServices, identityServices } from './identity.context.js';
export type { IdentityRouteOptions } from './identity.routes.js';
