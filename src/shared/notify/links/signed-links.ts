import { randomUUID, timingSafeEqual } from 'node:crypto';
import { lookupHash, type Secrets } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { KeelError } from '../../../kernel/errors/index.js';

/**
 * Short-lived, single-use links (seed 001: the commit approval link in a Slack DM). The token is
 * the row id and an HMAC of it and the purpose, so a forged or altered token is refused without
 * a lookup, and one minted for one purpose cannot be used for another. Using it marks the row in
 * the same statement that checks it, so two clicks at once cannot both succeed.
 *
 * @example
 * const { token } = await links.create({ purpose: 'commits.approve', subject: { draftId }, userId, ttlSeconds: 900 });
 * const url = `${publicUrl}/r/${token}`;
 * // later, when the link is opened and the user confirms:
 * const { subject } = await links.consume(token, 'commits.approve');
 */
export interface SignedLinks {
  create(input: {
    purpose: string;
    subject: Record<string, unknown>;
    userId?: string | null;
    ttlSeconds?: number;
  }): Promise<{ token: string; expiresAt: Date }>;
  /** What the link is for, without using it (to render the page); throws like `consume`. */
  peek(token: string, purpose: string): Promise<LinkSubject>;
  /**
   * What a link was for, used or not, until it expires: to show the outcome of what it did (a
   * phone following the push after approving). Throws not_found (unknown) or gone (expired).
   */
  inspect(token: string, purpose: string): Promise<LinkSubject & { usedAt: Date | null }>;
  /** Uses the link: once only. Throws not_found (unknown or forged) or gone (expired or used). */
  consume(token: string, purpose: string): Promise<LinkSubject>;
  /** Removes links that expired more than a day ago; returns how many. */
  purge(): Promise<number>;
}

export interface LinkSubject {
  subject: Record<string, unknown>;
  userId: string | null;
  expiresAt: Date;
}

export const MAX_LINK_TTL_SECONDS = 24 * 3600;
const DEFAULT_TTL_SECONDS = 15 * 60;

export function createSignedLinks(db: Database, secrets: Secrets): SignedLinks {
  const signatureOf = (id: string, purpose: string) =>
    Buffer.from(lookupHash(secrets.hmacKey, 'notify.signed_link', `${purpose}\u0000${id}`), 'hex')
      .subarray(0, 16)
      .toString('base64url');

  function open(token: string, purpose: string): string {
    const [compact, signature] = token.split('.');
    const id = compact && /^[0-9a-f]{32}$/.test(compact) ? uuidOf(compact) : null;
    if (!id || !signature) throw unknownLink();
    const expected = Buffer.from(signatureOf(id, purpose));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw unknownLink();
    return id;
  }

  async function why(id: string): Promise<never> {
    const [row] = await db.query<{ usedAt: Date | null; expiresAt: Date }>(
      'select used_at as "usedAt", expires_at as "expiresAt" from notify.signed_links where id = $1',
      [id],
    );
    if (!row) throw unknownLink();
    if (row.usedAt) throw new KeelError('gone', `the link was already used at ${row.usedAt.toISOString()}`);
    throw new KeelError('gone', `the link expired at ${row.expiresAt.toISOString()}`);
  }

  return {
    async create({ purpose, subject, userId = null, ttlSeconds = DEFAULT_TTL_SECONDS }) {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_LINK_TTL_SECONDS) {
        throw new KeelError(
          'validation_failed',
          `ttlSeconds: must be a whole number from 1 to ${MAX_LINK_TTL_SECONDS}`,
        );
      }
      const id = randomUUID();
      const [row] = await db.query<{ expiresAt: Date }>(
        `insert into notify.signed_links (id, purpose, subject, user_id, expires_at)
         values ($1, $2, $3::jsonb, $4, now() + $5 * interval '1 second') returning expires_at as "expiresAt"`,
        [id, purpose, JSON.stringify(subject), userId, ttlSeconds],
      );
      return {
        token: `${id.replaceAll('-', '')}.${signatureOf(id, purpose)}`,
        expiresAt: (row as { expiresAt: Date }).expiresAt,
      };
    },

    async peek(token, purpose) {
      const id = open(token, purpose);
      const [row] = await db.query<LinkSubject>(
        `select subject, user_id as "userId", expires_at as "expiresAt" from notify.signed_links
          where id = $1 and purpose = $2 and used_at is null and expires_at > now()`,
        [id, purpose],
      );
      return row ?? why(id);
    },

    async inspect(token, purpose) {
      const id = open(token, purpose);
      const [row] = await db.query<LinkSubject & { usedAt: Date | null }>(
        `select subject, user_id as "userId", expires_at as "expiresAt", used_at as "usedAt"
           from notify.signed_links where id = $1 and purpose = $2 and expires_at > now()`,
        [id, purpose],
      );
      if (row) return row;
      const [known] = await db.query('select 1 from notify.signed_links where id = $1', [id]);
      if (!known) throw unknownLink();
      throw new KeelError('gone', 'the link expired; ask for a new one');
    },

    async consume(token, purpose) {
      const id = open(token, purpose);
      const [row] = await db.query<LinkSubject>(
        `update notify.signed_links set used_at = now()
          where id = $1 and purpose = $2 and used_at is null and expires_at > now()
          returning subject, user_id as "userId", expires_at as "expiresAt"`,
        [id, purpose],
      );
      return row ?? why(id);
    },

    async purge() {
      const rows = await db.query(
        `delete from notify.signed_links where expires_at < now() - interval '1 day' returning id`,
      );
      return rows.length;
    },
  };
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function unknownLink(): KeelError {
  return new KeelError('not_found', 'the link is not valid; ask for a new one');
}
