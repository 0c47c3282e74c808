import type { FastifyRequest } from 'fastify';
import { KeelError } from '../../kernel/errors/index.js';
import type { Authorize, Principal } from '../../kernel/http/index.js';

/**
 * Test credentials for the plans routes' tests: `x-test-user` (a user id), `x-test-actions`
 * (comma-separated), optional `x-test-org` and `x-test-api-key`. Stands in for the identity
 * module's access check, which tests of this module do not start.
 */
export const testAuthorize: Authorize = async function testAuthorize(
  request: FastifyRequest,
  action: string,
) {
  const principal = testPrincipal(request);
  if (!principal) throw new KeelError('unauthorized', `Sign-in is required (action ${action}).`);
  request.principal = principal;
  if (!principal.actions.has(action)) throw new KeelError('forbidden', `Action ${action} is required.`);
};

function testPrincipal(request: FastifyRequest): Principal | null {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const userId = header('x-test-user');
  if (!userId) return null;
  const apiKeyId = header('x-test-api-key');
  return {
    kind: apiKeyId ? 'api_key' : 'session',
    userId,
    roles: ['user'],
    actions: new Set((header('x-test-actions') ?? '').split(',').filter(Boolean)),
    orgId: header('x-test-org'),
    sessionId: null,
    apiKeyId,
  };
}

/** Headers of a caller holding `actions`. */
export function as(
  userId: string,
  actions: readonly string[],
  extra: { orgId?: string; apiKeyId?: string } = {},
): Record<string, string> {
  return {
    'x-test-user': userId,
    'x-test-actions': actions.join(','),
    ...(extra.orgId ? { 'x-test-org': extra.orgId } : {}),
    ...(extra.apiKeyId ? { 'x-test-api-key': extra.apiKeyId } : {}),
  };
}
