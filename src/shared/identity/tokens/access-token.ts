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
  /** The claims of a token verified before and not yet expired, without any work; else undefined. */
  verifiedBefore(token: string): AccessClaims | undefined;
}

/** Verified tokens remembered per process (clients reuse one token for up to 10 minutes). */
const verifiedCacheMax = 10_000;

export function createAccessTokens(ring: KeyRing): AccessTokens {
  // jose verifies through WebCrypto, ~60-180 µs a call here: more than a whole small request.
  // A token string seen before and still unexpired was verified byte for byte, so it is looked up
  // instead (the whole token is the key, signature included).
  const verified = new Map<string, { claims: AccessClaims; expiresAtMs: number }>();
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

  function verifiedBefore(token: string): AccessClaims | undefined {
    const hit = verified.get(token);
    if (!hit) return undefined;
    if (hit.expiresAtMs > Date.now()) return hit.claims;
    verified.delete(token);
    return undefined;
  }

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

    verifiedBefore,

    async verify(token) {
      const hit = verifiedBefore(token);
      if (hit) return hit;
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
        const claims: AccessClaims = {
          userId: sub,
          sessionId: sid,
          roles: roles as string[],
          orgId: typeof org === 'string' ? org : null,
          orgRole: typeof orgRole === 'string' ? orgRole : null,
        };
        if (verified.size >= verifiedCacheMax) {
          // Oldest first (insertion order): drop a tenth at once rather than one per insert.
          let drop = verifiedCacheMax / 10;
          for (const key of verified.keys()) {
            verified.delete(key);
            if (--drop === 0) break;
          }
        }
        verified.set(token, { claims, expiresAtMs: (payload.exp ?? 0) * 1000 });
        return claims;
      } catch (error) {
        if (error instanceof KeelError) throw error;
        if (error instanceof joseErrors.JWTExpired)
          throw new KeelError('unauthorized', 'The access token has expired; refresh it at /auth/refresh.');
        throw new KeelError('unauthorized', 'The access token is not valid.');
      }
    },
  };
}
