import { randomBytes, randomUUID } from 'node:crypto';
import type { Secrets } from '../../../kernel/crypto/index.js';
import { encrypt, lookupHash } from '../../../kernel/crypto/index.js';
import type { Database, SqlConnection } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';
import type { AccessClaims, AccessTokens } from '../tokens/access-token.js';
import { parseUserAgent } from './device.js';

/** Seed 001 §5-1: refresh tokens live 30 days; each refresh issues a new one. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
const refreshPurpose = 'identity.refresh_token';
const devicePurpose = 'identity.device';

export type SignInMethod = 'google' | 'phone' | 'password';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | undefined;
}

/** What a successful sign-in or refresh hands the client. */
export interface SignedIn {
  userId: string;
  sessionId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface SessionView {
  id: string;
  method: SignInMethod;
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export type RevokeReason =
  | 'logout'
  | 'revoked'
  | 'revoked_all'
  | 'reuse_detected'
  | 'user_disabled'
  | 'erased';

export interface SessionsDeps {
  db: Database;
  secrets: Secrets;
  tokens: AccessTokens;
}

/**
 * Sessions are refresh-token families (seed 001 §5): sign-in starts one, each refresh rotates its
 * token, and a rotated token presented again means it was copied, so the whole family is revoked.
 *
 * @example
 * const signedIn = await sessions.start(userId, 'password', { ip, userAgent });
 * const next = await sessions.refresh(signedIn.refreshToken, { ip, userAgent });
 */
export interface SessionsService {
  start(userId: string, method: SignInMethod, client: ClientInfo): Promise<SignedIn>;
  /** Rotates the refresh token; with `orgId`, the session acts in that org from now on. */
  refresh(refreshToken: string, client: ClientInfo, options?: { orgId?: string }): Promise<SignedIn>;
  /** Revokes the session of this refresh token (logout); unknown tokens are ignored. */
  logout(refreshToken: string): Promise<void>;
  list(userId: string): Promise<SessionView[]>;
  /** Revokes one of the user's sessions; false when it is not theirs or not active. */
  revoke(userId: string, sessionId: string, reason?: RevokeReason): Promise<boolean>;
  /** Revokes every active session of the user (optionally but one); returns how many. */
  revokeAll(userId: string, reason: RevokeReason, exceptSessionId?: string): Promise<number>;
}

export function createSessionsService(deps: SessionsDeps): SessionsService {
  const { db, secrets, tokens } = deps;
  const hashOf = (token: string) => lookupHash(secrets.hmacKey, refreshPurpose, token);

  async function issue(
    tx: SqlConnection,
    userId: string,
    sessionId: string,
    now: Date,
  ): Promise<Omit<SignedIn, 'accessToken' | 'accessTokenExpiresAt'>> {
    const refreshToken = `keelr_${randomBytes(32).toString('base64url')}`;
    const refreshTokenExpiresAt = new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);
    const secretId = randomUUID();
    await tx.query(
      `insert into identity.user_secrets (id, user_id, session_id, kind, value_encrypted, lookup_hash, expires_at)
       values ($1, $2, $3, 'refresh_token', $4, $5, $6)`,
      [
        secretId,
        userId,
        sessionId,
        encrypt(secrets.ring, refreshToken, secretId),
        hashOf(refreshToken),
        refreshTokenExpiresAt,
      ],
    );
    await tx.query('update identity.sessions set expires_at = $2, last_seen_at = $3 where id = $1', [
      sessionId,
      refreshTokenExpiresAt,
      now,
    ]);
    return { userId, sessionId, refreshToken, refreshTokenExpiresAt };
  }

  async function withAccessToken(
    issued: Omit<SignedIn, 'accessToken' | 'accessTokenExpiresAt'>,
    claims: AccessClaims,
  ): Promise<SignedIn> {
    const { token, expiresAt } = await tokens.sign(claims);
    return { ...issued, accessToken: token, accessTokenExpiresAt: expiresAt };
  }

  async function revokeSessions(
    conn: SqlConnection,
    where: string,
    params: unknown[],
    reason: RevokeReason,
  ): Promise<number> {
    const rows = await conn.query(
      `update identity.sessions set revoked_at = now(), revoke_reason = $${params.length + 1}
       where ${where} and revoked_at is null returning id`,
      [...params, reason],
    );
    return rows.length;
  }

  return {
    async start(userId, method, client) {
      const now = new Date();
      const sessionId = randomUUID();
      const { issued, claims } = await db.transaction(async (tx) => {
        const [user] = await tx.query<{ status: string }>(
          'select status from identity.users where id = $1 for update',
          [userId],
        );
        if (!user) throw new KeelError('unauthorized', 'This account does not exist.');
        if (user.status !== 'active') throw new KeelError('forbidden', `This account is ${user.status}.`);
        const deviceProfileId = await upsertDevice(tx, userId, client.userAgent);
        await tx.query(
          `insert into identity.sessions (id, user_id, device_profile_id, method, ip, user_agent, expires_at)
           values ($1, $2, $3, $4, $5, $6, $7)`,
          [
            sessionId,
            userId,
            deviceProfileId,
            method,
            client.ip,
            client.userAgent?.slice(0, 512) ?? null,
            new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
          ],
        );
        await tx.query('update identity.users set last_login_at = $2 where id = $1', [userId, now]);
        return {
          issued: await issue(tx, userId, sessionId, now),
          claims: await claimsOf(tx, userId, sessionId),
        };
      });
      return withAccessToken(issued, claims);
    },

    async refresh(refreshToken, client, options = {}) {
      const now = new Date();
      const outcome = await db.transaction(async (tx) => {
        const [row] = await tx.query<{
          id: string;
          userId: string;
          sessionId: string;
          expiresAt: Date;
          rotatedAt: Date | null;
          sessionRevokedAt: Date | null;
          userStatus: string;
        }>(
          `select s.id, s.user_id as "userId", s.session_id as "sessionId", s.expires_at as "expiresAt",
                  s.rotated_at as "rotatedAt", se.revoked_at as "sessionRevokedAt", u.status as "userStatus"
           from identity.user_secrets s
           join identity.sessions se on se.id = s.session_id
           join identity.users u on u.id = s.user_id
           where s.lookup_hash = $1 and s.kind = 'refresh_token'
           for update of s, se`,
          [hashOf(refreshToken)],
        );
        if (!row) return { refused: 'The refresh token is not valid.' } as const;
        if (row.sessionRevokedAt) return { refused: 'This session was signed out.' } as const;
        if (row.rotatedAt) {
          // A token that was already exchanged came back: someone holds a copy. End the family.
          await revokeSessions(tx, 'id = $1', [row.sessionId], 'reuse_detected');
          return { refused: 'This refresh token was already used; the session has been revoked.' } as const;
        }
        if (row.expiresAt <= now)
          return { refused: 'The refresh token has expired; sign in again.' } as const;
        if (row.userStatus !== 'active') {
          await revokeSessions(tx, 'id = $1', [row.sessionId], 'user_disabled');
          return { refused: `This account is ${row.userStatus}.` } as const;
        }
        if (options.orgId) {
          const [member] = await tx.query(
            `select 1 from identity.org_memberships m join identity.organizations o on o.id = m.org_id
             where m.user_id = $1 and m.org_id = $2 and o.active`,
            [row.userId, options.orgId],
          );
          // Nothing rotated: the client keeps its token and may retry without org_id.
          if (!member) return { refused: undefined, notMember: true } as const;
          await tx.query('update identity.sessions set org_id = $2 where id = $1', [
            row.sessionId,
            options.orgId,
          ]);
        }
        await tx.query('update identity.user_secrets set rotated_at = $2 where id = $1', [row.id, now]);
        if (client.ip)
          await tx.query('update identity.sessions set ip = $2 where id = $1', [row.sessionId, client.ip]);
        return {
          refused: undefined,
          issued: await issue(tx, row.userId, row.sessionId, now),
          claims: await claimsOf(tx, row.userId, row.sessionId),
        } as const;
      });
      if (outcome.refused !== undefined) throw new KeelError('unauthorized', outcome.refused);
      if ('notMember' in outcome)
        throw new KeelError('not_found', 'You are not a member of an active organization with that id.');
      return withAccessToken(outcome.issued, outcome.claims);
    },

    async logout(refreshToken) {
      await revokeSessions(
        db,
        `id = (select session_id from identity.user_secrets where lookup_hash = $1 and kind = 'refresh_token')`,
        [hashOf(refreshToken)],
        'logout',
      );
    },

    async list(userId) {
      return db.query<SessionView>(
        `select s.id, s.method, host(s.ip) as ip, s.user_agent as "userAgent", d.browser, d.os,
                d.device_type as "deviceType", s.created_at as "createdAt", s.last_seen_at as "lastSeenAt",
                s.expires_at as "expiresAt"
         from identity.sessions s left join identity.device_profiles d on d.id = s.device_profile_id
         where s.user_id = $1 and s.revoked_at is null and s.expires_at > now()
         order by s.last_seen_at desc`,
        [userId],
      );
    },

    async revoke(userId, sessionId, reason = 'revoked') {
      return (await revokeSessions(db, 'id = $1 and user_id = $2', [sessionId, userId], reason)) > 0;
    },

    async revokeAll(userId, reason, exceptSessionId) {
      return exceptSessionId
        ? revokeSessions(db, 'user_id = $1 and id <> $2', [userId, exceptSessionId], reason)
        : revokeSessions(db, 'user_id = $1', [userId], reason);
    },
  };

  async function upsertDevice(tx: SqlConnection, userId: string, userAgent: string | undefined) {
    if (!userAgent) return null;
    const info = parseUserAgent(userAgent);
    const [row] = await tx.query<{ id: string }>(
      `insert into identity.device_profiles (id, user_id, fingerprint, browser, os, device_type)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (user_id, fingerprint) do update set last_seen_at = now()
       returning id`,
      [
        randomUUID(),
        userId,
        lookupHash(secrets.hmacKey, devicePurpose, userAgent),
        info.browser,
        info.os,
        info.deviceType,
      ],
    );
    return row?.id ?? null;
  }
}

/**
 * The claims an access token carries: global roles (every user holds `user`) and the org the
 * user acts in with their role there.
 */
export async function claimsOf(
  conn: SqlConnection,
  userId: string,
  sessionId: string,
): Promise<AccessClaims> {
  const roleRows = await conn.query<{ name: string }>(
    `select r.name from identity.user_roles ur join identity.roles r on r.id = ur.role_id
     where ur.user_id = $1 order by r.name`,
    [userId],
  );
  // The org the session chose (POST /auth/refresh with org_id) while the user is still in it,
  // else the oldest membership.
  const [org] = await conn.query<{ orgId: string; role: string }>(
    `select m.org_id as "orgId", m.role from identity.org_memberships m
     join identity.organizations o on o.id = m.org_id
     left join identity.sessions s on s.id = $2
     where m.user_id = $1 and o.active
     order by (m.org_id = s.org_id) desc nulls last, m.created_at, m.org_id limit 1`,
    [userId, sessionId],
  );
  const roles = ['user', ...roleRows.map((r) => r.name).filter((name) => name !== 'user')];
  return { userId, sessionId, roles, orgId: org?.orgId ?? null, orgRole: org?.role ?? null };
}
