import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { KeelConfig } from '../../../kernel/config/index.js';
import type { ClientInfo, SignedIn } from './sessions.service.js';

export const ACCESS_COOKIE = 'keel_access';
export const REFRESH_COOKIE = 'keel_refresh';
/** The refresh cookie is only ever sent to the endpoints that use it. */
const refreshCookiePath = '/auth';

/** The body every sign-in and refresh answers with (tokens also go out as cookies). */
export const signedInSchema = z.object({
  token_type: z.literal('Bearer'),
  user_id: z.uuid(),
  session_id: z.uuid(),
  access_token: z.string(),
  access_token_expires_at: z.iso.datetime(),
  refresh_token: z.string(),
  refresh_token_expires_at: z.iso.datetime(),
});

export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip || null, userAgent: request.headers['user-agent'] };
}

/**
 * Sets the session cookies: HttpOnly (scripts cannot read them), SameSite=Strict (another site
 * cannot make the browser send them), Secure when Keel is served over HTTPS.
 */
export function sendSignedIn(reply: FastifyReply, config: KeelConfig, signedIn: SignedIn) {
  const secure = config.publicUrl.startsWith('https:');
  reply.setCookie(ACCESS_COOKIE, signedIn.accessToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: signedIn.accessTokenExpiresAt,
  });
  reply.setCookie(REFRESH_COOKIE, signedIn.refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: refreshCookiePath,
    expires: signedIn.refreshTokenExpiresAt,
  });
  return {
    token_type: 'Bearer' as const,
    user_id: signedIn.userId,
    session_id: signedIn.sessionId,
    access_token: signedIn.accessToken,
    access_token_expires_at: signedIn.accessTokenExpiresAt.toISOString(),
    refresh_token: signedIn.refreshToken,
    refresh_token_expires_at: signedIn.refreshTokenExpiresAt.toISOString(),
  };
}

export function clearSessionCookies(reply: FastifyReply, config: KeelConfig): void {
  const secure = config.publicUrl.startsWith('https:');
  reply.clearCookie(ACCESS_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure });
  reply.clearCookie(REFRESH_COOKIE, { path: refreshCookiePath, httpOnly: true, sameSite: 'strict', secure });
}
