import { hkdfSync } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { KeyRing } from '../../../kernel/crypto/index.js';
import { KeelError } from '../../../kernel/errors/index.js';

/** Seed 001 §5-1: access tokens live 10 minutes. */
export const ACCESS_TOKEN_TTL_S = 600;
const algorithm = 'HS256';
const issuer = 'keel';
const audience = 'keel-api';

/** What an access token says about its bearer. */
export interface AccessClaims {
  userId: string;
  sessionId: string;
  /** Global role names (the implicit `user` role included). */
  roles: string[];
  /** The org the session acts in, and the user's role there. */
  orgId: string | null;
  orgRole: string | null;
}

/**
 * Signs and verifies access tokens with keys derived from the kernel key ring: the token's `kid`
 * is the ring key's id, so rotating KEEL_SECRET_KEYS rotates the signing key too, and tokens
 * signed under the previous key stay valid while that key is still in the ring.
 */
export interface AccessTokens {
  sign(claims: AccessClaims, now?: Date): Promise<{ token: string; expiresAt: Date }>;
  /** The claims of a valid token; KeelError('unauthorized') for anything else. */
  verify(token: string): Promise<AccessClaims>;
}

export function createAccessTokens(ring: KeyRing): AccessTokens {
  // Derived once per process: a JWT key is never the raw data-encryption key.
  const derived = new Map<string, Uint8Array>();
  const keyOf = (kid: string): Uint8Array | undefined => {
    const cached = derived.get(kid);
    if (cached) return cached;
    const ringKey = ring.byId(kid);
    if (!ringKey) return undefined;
    const key = new Uint8Array(
      hkdfSync('sha256', ringKey.key, new Uint8Array(0), 'keel access token v1', 32),
    );
    derived.set(kid, key);
    return key;
  };

  return {
    async sign(claims, now = new Date()) {
      const kid = ring.current.id;
      const issuedAt = Math.floor(now.getTime() / 1000);
      const expiresAt = new Date((issuedAt + ACCESS_TOKEN_TTL_S) * 1000);
      const token = await new SignJWT({
        sid: claims.sessionId,
        roles: claims.roles,
        org: claims.orgId,
        org_role: claims.orgRole,
      })
        .setProtectedHeader({ alg: algorithm, kid, typ: 'JWT' })
        .setSubject(claims.userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(keyOf(kid) as Uint8Array);
      return { token, expiresAt };
    },

    async verify(token) {
      try {
        const { payload } = await jwtVerify(
          token,
          async (header) => {
            const key = header.kid ? keyOf(header.kid) : undefined;
            if (!key) throw new KeelError('unauthorized', 'The access token was signed with an unknown key.');
            return key;
          },
          { algorithms: [algorithm], issuer, audience },
        );
        const { sub, sid, roles, org, org_role: orgRole } = payload;
        if (
          typeof sub !== 'string' ||
          typeof sid !== 'string' ||
          !Array.isArray(roles) ||
          !roles.every((r) => typeof r === 'string')
        )
          throw new KeelError('unauthorized', 'The access token is missing claims.');
        return {
          userId: sub,
          sessionId: sid,
          roles: roles as string[],
          orgId: typeof org === 'string' ? org : null,
          orgRole: typeof orgRole === 'string' ? orgRole : null,
        };
      } catch (error) {
        if (error instanceof KeelError) throw error;
        if (error instanceof joseErrors.JWTExpired)
          throw new KeelError('unauthorized', 'The access token has expired; refresh it at /auth/refresh.');
        throw new KeelError('unauthorized', 'The access token is not valid.');
      }
    },
  };
}
