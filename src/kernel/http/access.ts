import type { FastifyRequest } from 'fastify';
import { KeelError } from '../errors/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The RBAC action a caller must hold for this route (seed 001 §5-2's `require(action)`), or
     * `'public'`. A route that declares none is refused: access is denied by default.
     */
    action?: string;
  }
}

export const PUBLIC = 'public';

/** Decides whether the request may perform `action`; throws KeelError (401/403) when not. */
export type Authorize = (request: FastifyRequest, action: string) => Promise<void>;

/**
 * Until the identity module provides its own, nobody is signed in: public routes are open and
 * every other action asks for credentials.
 */
export const noIdentity: Authorize = async function noIdentity(_request, action) {
  throw new KeelError('unauthorized', `Sign-in is required (action ${action}).`);
};

/** The access check every request passes before its handler. */
export async function checkAccess(request: FastifyRequest, authorize: Authorize): Promise<void> {
  const action = request.routeOptions.config.action;
  if (action === undefined) {
    // Reaching this is a bug in the route, not the caller's fault, but failing closed matters more.
    throw new KeelError('forbidden', 'This route declares no access rule, so it is closed.');
  }
  if (action !== PUBLIC) await authorize(request, action);
}
