import type { FastifyRequest } from 'fastify';

/**
 * One cookie of a request, parsed on demand. Cookies are not parsed for every request (a hook on
 * every probe and public read): only sign-in, refresh and the access check read them.
 */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  return request.server.parseCookie(header)[name];
}
