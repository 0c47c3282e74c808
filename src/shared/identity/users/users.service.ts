import type { Secrets } from '../../../kernel/crypto/index.js';
import { decryptString, encrypt } from '../../../kernel/crypto/index.js';
import type { Database } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import { isUuid } from '../../../kernel/ids.js';
import type { Rbac } from '../access/rbac.js';
import type { SessionsService } from '../sessions/sessions.service.js';
import {
  findUserById,
  insertUser,
  maskPhone,
  type NewUser,
  phoneOf,
  type UserRow,
  type UserStatus,
  userColumns,
} from './users.repository.js';

/** A user as the API shows it: the phone number masked, never in clear. */
export interface UserView {
  id: string;
  username: string | null;
  email: string | null;
  emailType: 'personal' | 'work' | null;
  fullName: string | null;
  phoneMasked: string | null;
  status: UserStatus;
  authStatus: 'unverified' | 'verified';
  roles: string[];
  lastLoginAt: Date | null;
  createdAt: Date;
}

export interface Account extends UserView {
  profile: { nickname: string | null; countryCode: string | null };
  settings: { notificationsEnabled: boolean; language: 'ko' | 'en'; settings: Record<string, unknown> };
}

export interface UserListQuery {
  limit: number;
  cursor?: string;
  status?: UserStatus;
  role?: string;
  /** Matches username, email or full name (case-insensitive substring). */
  q?: string;
}

export interface UsersService {
  account(userId: string): Promise<Account>;
  updateProfile(
    userId: string,
    input: { nickname?: string | null; countryCode?: string | null; fullName?: string | null },
  ): Promise<Account>;
  updateSettings(
    userId: string,
    input: { notificationsEnabled?: boolean; language?: 'ko' | 'en'; settings?: Record<string, unknown> },
  ): Promise<Account>;
  get(userId: string): Promise<UserView>;
  list(query: UserListQuery): Promise<{ items: UserView[]; nextCursor: string | null; total: number }>;
  create(input: NewUser & { roles?: string[] }, grantedBy: string | null): Promise<UserView>;
  /** Deactivating or banning ends every session of the user. */
  setStatus(userId: string, status: UserStatus): Promise<UserView>;
  grantRole(userId: string, role: string, grantedBy: string | null): Promise<UserView>;
  revokeRole(userId: string, role: string): Promise<UserView>;
}

export function createUsersService(deps: {
  db: Database;
  secrets: Secrets;
  sessions: SessionsService;
  rbac: Rbac;
}): UsersService {
  const { db, secrets, sessions, rbac } = deps;

  async function rolesOf(userIds: string[]): Promise<Map<string, string[]>> {
    const rows = await db.query<{ userId: string; name: string }>(
      `select ur.user_id as "userId", r.name from identity.user_roles ur join identity.roles r on r.id = ur.role_id
       where ur.user_id = any($1::uuid[]) order by r.name`,
      [userIds],
    );
    const byUser = new Map<string, string[]>();
    for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.name]);
    return byUser;
  }

  function viewOf(row: UserRow, roles: string[]): UserView {
    const phone = phoneOf(secrets, row);
    return {
      id: row.id,
      username: row.username,
      email: row.email,
      emailType: row.emailType,
      fullName: row.fullName,
      phoneMasked: phone ? maskPhone(phone) : null,
      status: row.status,
      authStatus: row.authStatus,
      roles: ['user', ...roles.filter((r) => r !== 'user')],
      lastLoginAt: row.lastLoginAt,
      createdAt: row.createdAt,
    };
  }

  async function get(userId: string): Promise<UserView> {
    const row = await findUserById(db, userId);
    if (!row) throw new KeelError('not_found', 'No such user.');
    return viewOf(row, (await rolesOf([userId])).get(userId) ?? []);
  }

  async function account(userId: string): Promise<Account> {
    const view = await get(userId);
    const [extra] = await db.query<{
      nicknameEncrypted: string | null;
      countryCode: string | null;
      notificationsEnabled: boolean;
      language: 'ko' | 'en';
      settings: Record<string, unknown>;
    }>(
      `select p.nickname_encrypted as "nicknameEncrypted", p.country_code as "countryCode",
              s.notifications_enabled as "notificationsEnabled", s.language, s.settings
       from identity.profiles p join identity.user_settings s on s.user_id = p.user_id where p.user_id = $1`,
      [userId],
    );
    return {
      ...view,
      profile: {
        nickname: extra?.nicknameEncrypted
          ? decryptString(secrets.ring, extra.nicknameEncrypted, userId)
          : null,
        countryCode: extra?.countryCode ?? null,
      },
      settings: {
        notificationsEnabled: extra?.notificationsEnabled ?? true,
        language: extra?.language ?? 'ko',
        settings: extra?.settings ?? {},
      },
    };
  }

  async function roleId(role: string): Promise<string> {
    const [row] = await db.query<{ id: string }>('select id from identity.roles where name = $1', [role]);
    if (!row) {
      throw new KeelError('validation_failed', `No role named ${role}.`, {
        details: { errors: [{ field: 'params.role', message: 'is not a known role' }] },
      });
    }
    return row.id;
  }

  return {
    account,
    get,

    async updateProfile(userId, input) {
      await db.transaction(async (tx) => {
        if (input.nickname !== undefined || input.countryCode !== undefined) {
          await tx.query(
            `update identity.profiles set
               nickname_encrypted = case when $2 then $3 else nickname_encrypted end,
               country_code = case when $4 then $5 else country_code end,
               updated_at = now()
             where user_id = $1`,
            [
              userId,
              input.nickname !== undefined,
              input.nickname ? encrypt(secrets.ring, input.nickname, userId) : null,
              input.countryCode !== undefined,
              input.countryCode ?? null,
            ],
          );
        }
        if (input.fullName !== undefined) {
          await tx.query('update identity.users set full_name = $2, updated_at = now() where id = $1', [
            userId,
            input.fullName,
          ]);
        }
      });
      return account(userId);
    },

    async updateSettings(userId, input) {
      await db.query(
        `update identity.user_settings set
           notifications_enabled = coalesce($2, notifications_enabled),
           language = coalesce($3, language),
           settings = coalesce($4::jsonb, settings),
           updated_at = now()
         where user_id = $1`,
        [
          userId,
          input.notificationsEnabled ?? null,
          input.language ?? null,
          input.settings === undefined ? null : JSON.stringify(input.settings),
        ],
      );
      return account(userId);
    },

    async list(query) {
      const where: string[] = [];
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (query.status) where.push(`u.status = ${param(query.status)}`);
      if (query.role && query.role !== 'user') {
        where.push(`exists (select 1 from identity.user_roles ur join identity.roles r on r.id = ur.role_id
          where ur.user_id = u.id and r.name = ${param(query.role)})`);
      }
      if (query.q) {
        const pattern = param(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        where.push(
          `(u.username ilike ${pattern} or u.email ilike ${pattern} or u.full_name ilike ${pattern})`,
        );
      }
      const filter = where.length > 0 ? `where ${where.join(' and ')}` : '';
      const [count] = await db.query<{ total: string }>(
        `select count(*) as total from identity.users u ${filter}`,
        params,
      );
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      // The cursor names the last row seen; comparing against that row keeps PostgreSQL's
      // microsecond timestamps exact (a JavaScript Date would round them to milliseconds).
      if (cursor) {
        where.push(
          `(u.created_at, u.id) < (select c.created_at, c.id from identity.users c where c.id = ${param(cursor)})`,
        );
      }
      const rows = await db.query<UserRow>(
        `select ${userColumns} from identity.users u ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
         order by u.created_at desc, u.id desc limit ${param(query.limit + 1)}`,
        params,
      );
      const page = rows.slice(0, query.limit);
      const roles = await rolesOf(page.map((r) => r.id));
      const last = page.at(-1);
      return {
        items: page.map((row) => viewOf(row, roles.get(row.id) ?? [])),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
        total: Number(count?.total ?? 0),
      };
    },

    async create(input, grantedBy) {
      const roleIds = await Promise.all((input.roles ?? []).filter((r) => r !== 'user').map(roleId));
      const id = await db.transaction(async (tx) => {
        const userId = await insertUser(tx, secrets, input).catch((error: unknown) => {
          throw uniqueViolation(error) ?? error;
        });
        for (const rid of roleIds) {
          await tx.query(
            'insert into identity.user_roles (user_id, role_id, granted_by) values ($1, $2, $3)',
            [userId, rid, grantedBy],
          );
        }
        return userId;
      });
      return get(id);
    },

    async setStatus(userId, status) {
      const rows = await db.query(
        'update identity.users set status = $2, updated_at = now() where id = $1 returning id',
        [userId, status],
      );
      if (rows.length === 0) throw new KeelError('not_found', 'No such user.');
      if (status !== 'active') await sessions.revokeAll(userId, 'user_disabled');
      return get(userId);
    },

    async grantRole(userId, role, grantedBy) {
      if (role === 'user') return get(userId);
      const rid = await roleId(role);
      await get(userId);
      await db.query(
        `insert into identity.user_roles (user_id, role_id, granted_by) values ($1, $2, $3) on conflict do nothing`,
        [userId, rid, grantedBy],
      );
      rbac.invalidate();
      return get(userId);
    },

    async revokeRole(userId, role) {
      if (role === 'user') {
        throw new KeelError('validation_failed', 'Every user holds the user role.', {
          details: { errors: [{ field: 'params.role', message: 'cannot be revoked' }] },
        });
      }
      const rid = await roleId(role);
      await get(userId);
      await db.query('delete from identity.user_roles where user_id = $1 and role_id = $2', [userId, rid]);
      rbac.invalidate();
      return get(userId);
    },
  };
}

function encodeCursor(row: Pick<UserRow, 'id'>): string {
  return Buffer.from(row.id).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) {
    throw new KeelError('validation_failed', 'The cursor is not one this API gave out.', {
      details: { errors: [{ field: 'query.cursor', message: 'is not a valid cursor' }] },
    });
  }
  return id;
}

/** A unique-constraint violation on users as a 409 naming the field. */
export function uniqueViolation(error: unknown): KeelError | null {
  if (!isUniqueViolation(error)) return null;
  const e = error as { constraint?: string };
  const field = e.constraint?.includes('username')
    ? 'username'
    : e.constraint?.includes('email')
      ? 'email'
      : e.constraint?.includes('phone')
        ? 'phone'
        : 'body';
  return new KeelError('conflict', `A user with this ${field} already exists.`, {
    details: { errors: [{ field: `body.${field}`, message: 'is already taken' }] },
  });
}
