import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ArcticFetchError,
  CodeChallengeMethod,
  generateCodeVerifier,
  generateState,
  OAuth2Client,
  OAuth2RequestError,
} from 'arctic';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Secrets } from '../../../kernel/crypto/index.js';
import { decryptString, encrypt, lookupHash } from '../../../kernel/crypto/index.js';
import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import type { ClientInfo, SessionsService, SignedIn } from '../sessions/sessions.service.js';
import { findUserByEmail, findUserById, insertUser, type UserStatus } from '../users/users.repository.js';
import type { GoogleConfig } from './google.config.js';
import {
  consumeOAuthState,
  deleteExpiredStates,
  findOAuthAccount,
  insertOAuthAccount,
  insertOAuthState,
  touchOAuthAccount,
} from './oauth.repository.js';

export const GOOGLE_STATE_TTL_MS = 10 * 60_000;
const provider = 'google';
const statePurpose = 'identity.oauth_state';
const scopes = ['openid', 'email', 'profile'];

/** The AAD of the two ciphertexts of an oauth_states row (key rotation re-wraps them with it). */
export const oauthStateAad = {
  codeVerifier: (stateHash: string) => `identity.oauth_states.code_verifier:${stateHash}`,
  nonce: (stateHash: string) => `identity.oauth_states.nonce:${stateHash}`,
};

/** The columns key rotation must walk; the identity module registers them. */
export const oauthEncryptedColumns = [
  {
    schema: 'identity',
    table: 'oauth_states',
    column: 'code_verifier_encrypted',
    idColumn: 'state_hash',
    aad: oauthStateAad.codeVerifier,
  },
  {
    schema: 'identity',
    table: 'oauth_states',
    column: 'nonce_encrypted',
    idColumn: 'state_hash',
    aad: oauthStateAad.nonce,
  },
] as const;

export interface GoogleSignInDeps {
  db: Database;
  secrets: Secrets;
  sessions: SessionsService;
  config: GoogleConfig;
  /** `${PUBLIC_URL}/auth/google/callback`, registered with Google as an authorized redirect URI. */
  redirectUri: string;
  now?: () => Date;
}

export interface GoogleSignInStarted {
  /** Where to send the browser. */
  authorizationUrl: URL;
  /** Also set as a cookie: the callback must come back to the browser that started. */
  state: string;
}

export interface GoogleCallback {
  code: string;
  state: string;
}

/**
 * Google sign-in (seed 001 §5-1): OAuth 2.0 authorization code with PKCE (S256) and an OIDC
 * nonce. The state is stored as an HMAC, the verifier and nonce encrypted, for 10 minutes and
 * one use. The ID token is checked against Google's keys, issuer, audience, expiry and nonce.
 *
 * @example
 * const { authorizationUrl, state } = await google.start('/chat');
 * // ... Google redirects back to /auth/google/callback?code=...&state=...
 * const { signedIn, redirectTo } = await google.finish({ code, state }, client);
 */
export interface GoogleSignIn {
  start(redirectTo: string): Promise<GoogleSignInStarted>;
  /**
   * Consumes the state, exchanges the code and signs in: the linked user, else the user with
   * the same (Google-verified) email, else a new user. Throws `bad_request` for an unknown,
   * used or expired state, `unauthorized` when Google's answer does not check out, `conflict`
   * when the email belongs to an account whose address was never verified, `forbidden` for a
   * banned or inactive account.
   */
  finish(callback: GoogleCallback, client: ClientInfo): Promise<{ signedIn: SignedIn; redirectTo: string }>;
  /** The user refused at Google (`?error=`): consumes the state so it cannot be used. */
  abandon(state: string): Promise<void>;
}

const booleanClaim = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const idTokenClaims = z.object({
  sub: z.string().min(1).max(255),
  nonce: z.string(),
  email: z.string().max(320).optional(),
  email_verified: booleanClaim.optional(),
  name: z.string().optional(),
});
type IdTokenClaims = z.infer<typeof idTokenClaims>;

export const stateMismatch = 'OAuth state mismatch: start signing in again.';

export function createGoogleSignIn(deps: GoogleSignInDeps): GoogleSignIn {
  const { db, secrets, sessions, config } = deps;
  const clock = deps.now ?? (() => new Date());
  const client = new OAuth2Client(config.clientId, config.clientSecret, deps.redirectUri);
  // Caches Google's keys and refetches on an unknown key id (rate limited by jose).
  const jwks = createRemoteJWKSet(new URL(config.jwksUri));
  const stateHashOf = (state: string) => lookupHash(secrets.hmacKey, statePurpose, state);

  async function start(redirectTo: string): Promise<GoogleSignInStarted> {
    const now = clock();
    const state = generateState();
    const codeVerifier = generateCodeVerifier();
    const nonce = randomBytes(32).toString('base64url');
    const stateHash = stateHashOf(state);
    await deleteExpiredStates(db, now);
    await insertOAuthState(db, {
      stateHash,
      provider,
      codeVerifierEncrypted: encrypt(secrets.ring, codeVerifier, oauthStateAad.codeVerifier(stateHash)),
      nonceEncrypted: encrypt(secrets.ring, nonce, oauthStateAad.nonce(stateHash)),
      redirectTo,
      expiresAt: new Date(now.getTime() + GOOGLE_STATE_TTL_MS),
      createdAt: now,
    });
    const authorizationUrl = client.createAuthorizationURLWithPKCE(
      config.authorizationEndpoint,
      state,
      CodeChallengeMethod.S256,
      codeVerifier,
      scopes,
    );
    authorizationUrl.searchParams.set('nonce', nonce);
    return { authorizationUrl, state };
  }

  async function finish(callback: GoogleCallback, clientInfo: ClientInfo) {
    const now = clock();
    const row = await consumeOAuthState(db, stateHashOf(callback.state), provider);
    if (!row) throw new KeelError('bad_request', stateMismatch);
    if (row.expiresAt.getTime() <= now.getTime()) {
      throw new KeelError('bad_request', 'OAuth state expired: signing in took too long; start again.');
    }
    const codeVerifier = decryptString(
      secrets.ring,
      row.codeVerifierEncrypted,
      oauthStateAad.codeVerifier(row.stateHash),
    );
    const nonce = decryptString(secrets.ring, row.nonceEncrypted, oauthStateAad.nonce(row.stateHash));

    const idToken = await exchange(callback.code, codeVerifier);
    const claims = await verifyIdToken(idToken, nonce);
    const user = await upsertUser(claims, now);
    if (user.status !== 'active') throw new KeelError('forbidden', `This account is ${user.status}.`);
    const signedIn = await sessions.start(user.id, 'google', clientInfo);
    return { signedIn, redirectTo: row.redirectTo ?? '/' };
  }

  async function abandon(state: string): Promise<void> {
    await consumeOAuthState(db, stateHashOf(state), provider);
  }

  async function exchange(code: string, codeVerifier: string): Promise<string> {
    try {
      const tokens = await client.validateAuthorizationCode(config.tokenEndpoint, code, codeVerifier);
      return tokens.idToken();
    } catch (error) {
      if (error instanceof OAuth2RequestError) {
        throw new KeelError('unauthorized', `Google refused the sign-in (${error.code}); start again.`);
      }
      if (error instanceof ArcticFetchError) {
        throw new KeelError('upstream_failed', 'Google could not be reached; try again in a moment.', {
          cause: error,
        });
      }
      // A 2xx answer without an id_token, or one that is not OAuth JSON.
      throw new KeelError('unauthorized', 'Google did not answer with an ID token.', { cause: error });
    }
  }

  async function verifyIdToken(idToken: string, nonce: string): Promise<IdTokenClaims> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(idToken, jwks, {
        issuer: config.issuers,
        audience: config.clientId,
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) {
        throw new KeelError('unauthorized', `The ID token from Google is not valid (${error.code}).`);
      }
      throw new KeelError('upstream_failed', "Google's signing keys could not be fetched.", { cause: error });
    }
    const parsed = idTokenClaims.safeParse(payload);
    if (!parsed.success)
      throw new KeelError('unauthorized', 'The ID token from Google lacks a subject or a nonce.');
    if (!sameText(parsed.data.nonce, nonce)) {
      throw new KeelError(
        'unauthorized',
        'The ID token from Google was not issued for this sign-in (nonce mismatch).',
      );
    }
    return parsed.data;
  }

  // Two callbacks racing for one new Google account meet on a unique index (provider+subject or
  // email); the loser's transaction fails and its retry finds the winner's rows.
  async function upsertUser(claims: IdTokenClaims, now: Date): Promise<{ id: string; status: UserStatus }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction((tx) => upsertUserIn(tx, claims, now));
      } catch (error) {
        if (attempt >= 3 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  async function upsertUserIn(
    tx: SqlConnection,
    claims: IdTokenClaims,
    now: Date,
  ): Promise<{ id: string; status: UserStatus }> {
    // An address Google has not verified is neither stored nor used to find an account: anyone
    // can put any address on a Google account.
    const email = claims.email && claims.email_verified === true ? claims.email : null;
    const linked = await findOAuthAccount(tx, provider, claims.sub);
    if (linked) {
      await touchOAuthAccount(tx, linked.id, email, now);
      const user = await findUserById(tx, linked.userId);
      if (!user) throw new KeelError('unauthorized', 'This account does not exist.');
      return { id: user.id, status: user.status };
    }
    if (email) {
      const existing = await findUserByEmail(tx, email);
      if (existing) {
        // Linking to an account nobody proved the address of would hand it to whoever created it
        // first (account pre-hijacking): only verified accounts are joined automatically.
        if (existing.authStatus !== 'verified') {
          throw new KeelError(
            'conflict',
            'An account with this email address exists, but its address was never verified, so it cannot be joined to this Google account.',
          );
        }
        await insertOAuthAccount(tx, { userId: existing.id, provider, subject: claims.sub, email, now });
        return { id: existing.id, status: existing.status };
      }
    }
    const id = await insertUser(tx, secrets, {
      email,
      fullName: claims.name?.slice(0, 200) || null,
      authStatus: email ? 'verified' : 'unverified',
    });
    await insertOAuthAccount(tx, { userId: id, provider, subject: claims.sub, email, now });
    return { id, status: 'active' };
  }

  return { start, finish, abandon };
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
