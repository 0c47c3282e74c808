import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Secrets } from '../../../kernel/crypto/index.js';
import { lookupHash } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import type { ClientInfo, SessionsService, SignedIn } from '../sessions/sessions.service.js';
import { findUserByPhone, insertUser, phoneHashOf, type UserStatus } from '../users/users.repository.js';
import {
  insertPhoneCode,
  invalidateCode,
  invalidateLiveCodes,
  latestCodeForUpdate,
  lockPhone,
  markVerified,
  recordWrongAttempt,
  sendHistory,
} from './phone-codes.repository.js';
import type { SmsProvider } from './sms.js';

const codePurpose = 'identity.phone_code';
const ipPurpose = 'identity.phone_code.ip';
const hourMs = 3_600_000;

/** How long codes live and how often they may be sent; the defaults are the documented ones. */
export interface PhoneSignInLimits {
  codeTtlMs: number;
  /** Minimum time between two codes to the same number. */
  resendIntervalMs: number;
  /** Codes per number per rolling hour. */
  perPhonePerHour: number;
  /** Codes per client IP per rolling hour (any numbers). */
  perIpPerHour: number;
  /** Wrong codes tried before a code dies. */
  maxAttempts: number;
}

export const defaultPhoneLimits: PhoneSignInLimits = {
  codeTtlMs: 5 * 60_000,
  resendIntervalMs: 30_000,
  perPhonePerHour: 5,
  perIpPerHour: 20,
  maxAttempts: 5,
};

export interface PhoneSignInDeps {
  db: Database;
  secrets: Secrets;
  sessions: SessionsService;
  sms: SmsProvider;
  limits?: Partial<PhoneSignInLimits>;
  /** The clock; tests move it instead of waiting. */
  now?: () => Date;
}

export interface PhoneCodeSent {
  expiresInS: number;
  /** When the next code to this number may be asked for. */
  resendAfterS: number;
}

/** Which limit refused a send (`details.limit` of the 429 problem). */
export type PhoneRateLimit = 'phone_resend_interval' | 'phone_per_hour' | 'ip_per_hour';

/**
 * Sign-in with a one-time code sent by SMS (seed 004 `phone_verification_codes`). Only an HMAC of
 * each code is stored; only the newest code of a number works, for 5 minutes and 5 tries.
 *
 * @example
 * await phone.sendCode('+821012345678', client); // 202: the SMS is on its way
 * const signedIn = await phone.verify('+821012345678', '123456', client);
 */
export interface PhoneSignIn {
  /**
   * Sends a fresh code, retiring older ones. Says nothing about whether the number has an
   * account. Throws KeelError `rate_limited` with details `{ limit, retry_after_s }`.
   */
  sendCode(e164: string, client: ClientInfo): Promise<PhoneCodeSent>;
  /**
   * Checks a code and starts a session, creating the user at the first sign-in. Throws
   * `unauthorized` for a wrong, used, replaced, expired or exhausted code, `forbidden` for an
   * account that is banned or inactive.
   */
  verify(e164: string, code: string, client: ClientInfo): Promise<SignedIn>;
}

export function createPhoneSignIn(deps: PhoneSignInDeps): PhoneSignIn {
  const { db, secrets, sessions, sms } = deps;
  const limits = { ...defaultPhoneLimits, ...deps.limits };
  const clock = deps.now ?? (() => new Date());
  // The row id is mixed in: equal codes of different rows hash differently, and a code hash
  // copied to another row does not match there.
  const codeHashOf = (id: string, code: string) => lookupHash(secrets.hmacKey, codePurpose, `${id}:${code}`);

  async function sendCode(e164: string, client: ClientInfo): Promise<PhoneCodeSent> {
    const now = clock();
    const phoneHash = phoneHashOf(secrets, e164);
    const ipHash = client.ip ? lookupHash(secrets.hmacKey, ipPurpose, client.ip) : null;
    const id = randomUUID();
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const refusal = await db.transaction(async (tx) => {
      await lockPhone(tx, phoneHash);
      const history = await sendHistory(tx, phoneHash, ipHash, new Date(now.getTime() - hourMs));
      const refused = rateLimitOf(history, now);
      if (refused) return refused;
      await invalidateLiveCodes(tx, phoneHash, now);
      await insertPhoneCode(tx, {
        id,
        phoneHash,
        codeHash: codeHashOf(id, code),
        ipHash,
        expiresAt: new Date(now.getTime() + limits.codeTtlMs),
        createdAt: now,
      });
      return null;
    });
    if (refusal) {
      throw new KeelError('rate_limited', refusal.message, {
        details: { limit: refusal.limit, retry_after_s: refusal.retryAfterS },
      });
    }
    try {
      await sms.send(e164, messageOf(code, limits.codeTtlMs));
    } catch (error) {
      // The code never reached the phone: make sure it can never be used. The row keeps counting
      // towards the rate limits, so a failing gateway is not hammered either.
      await invalidateCode(db, id, clock());
      throw new KeelError('upstream_failed', 'The SMS could not be sent; try again in a moment.', {
        cause: error,
      });
    }
    return {
      expiresInS: Math.round(limits.codeTtlMs / 1000),
      resendAfterS: Math.ceil(limits.resendIntervalMs / 1000),
    };
  }

  function rateLimitOf(
    history: Awaited<ReturnType<typeof sendHistory>>,
    now: Date,
  ): { limit: PhoneRateLimit; retryAfterS: number; message: string } | null {
    const secondsUntil = (at: number) => Math.max(1, Math.ceil((at - now.getTime()) / 1000));
    if (history.phoneLatest && now.getTime() - history.phoneLatest.getTime() < limits.resendIntervalMs) {
      const retryAfterS = secondsUntil(history.phoneLatest.getTime() + limits.resendIntervalMs);
      return {
        limit: 'phone_resend_interval',
        retryAfterS,
        message: `A code was just sent to this number; ask again in ${retryAfterS} s.`,
      };
    }
    if (history.phoneCount >= limits.perPhonePerHour && history.phoneOldest) {
      return {
        limit: 'phone_per_hour',
        retryAfterS: secondsUntil(history.phoneOldest.getTime() + hourMs),
        message: `At most ${limits.perPhonePerHour} codes per hour are sent to one number.`,
      };
    }
    if (history.ipCount >= limits.perIpPerHour && history.ipOldest) {
      return {
        limit: 'ip_per_hour',
        retryAfterS: secondsUntil(history.ipOldest.getTime() + hourMs),
        message: `At most ${limits.perIpPerHour} codes per hour are sent for one network address.`,
      };
    }
    return null;
  }

  async function verify(e164: string, code: string, client: ClientInfo): Promise<SignedIn> {
    const now = clock();
    const phoneHash = phoneHashOf(secrets, e164);
    // The outcome is returned, not thrown: a wrong attempt must be committed before the 401.
    const outcome = await db.transaction(async (tx) => {
      await lockPhone(tx, phoneHash);
      const row = await latestCodeForUpdate(tx, phoneHash);
      if (!row) return refused('No code was sent to this number; ask for one first.');
      if (row.verifiedAt) return refused('This code was already used; ask for a new one.');
      if (row.invalidatedAt) return refused('This code is no longer valid; ask for a new one.');
      if (row.expiresAt.getTime() <= now.getTime())
        return refused('This code has expired; ask for a new one.');
      if (row.attempts >= limits.maxAttempts) {
        return refused('Too many wrong codes were tried; ask for a new one.', { attempts_left: 0 });
      }
      if (!sameHash(codeHashOf(row.id, code), row.codeHash)) {
        const attempts = await recordWrongAttempt(tx, row.id);
        const attemptsLeft = Math.max(0, limits.maxAttempts - attempts);
        return refused(
          attemptsLeft > 0
            ? 'The code is not correct.'
            : 'The code is not correct, and that was the last try; ask for a new one.',
          { attempts_left: attemptsLeft },
        );
      }
      await markVerified(tx, row.id, now);
      return { refused: undefined } as const;
    });
    if (outcome.refused !== undefined) {
      throw new KeelError('unauthorized', outcome.refused, { details: outcome.details });
    }
    const user = await findOrCreatePhoneUser(db, secrets, e164);
    if (user.status !== 'active') throw new KeelError('forbidden', `This account is ${user.status}.`);
    return sessions.start(user.id, 'phone', client);
  }

  return { sendCode, verify };
}

function refused(message: string, details?: Record<string, unknown>) {
  return { refused: message, details } as const;
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function messageOf(code: string, ttlMs: number): string {
  return `Your Keel sign-in code is ${code}. It expires in ${Math.round(ttlMs / 60_000)} minutes. Never share it.`;
}

/**
 * The user with this phone number, created (verified, with an encrypted copy of the number) at
 * the first sign-in. Two first sign-ins racing on one number meet on the unique phone hash: the
 * loser's insert fails and its retry finds the winner's row.
 */
export async function findOrCreatePhoneUser(
  db: Database,
  secrets: Secrets,
  e164: string,
): Promise<{ id: string; status: UserStatus; created: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const existing = await findUserByPhone(tx, secrets, e164);
        if (existing) return { id: existing.id, status: existing.status, created: false };
        const id = await insertUser(tx, secrets, { phone: e164, authStatus: 'verified' });
        return { id, status: 'active' as const, created: true };
      });
    } catch (error) {
      if (attempt >= 3 || !isUniqueViolation(error)) throw error;
    }
  }
}
