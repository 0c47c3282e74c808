import { z } from 'zod';
import type { Account, UserView } from './users/users.service.js';

/** Text limits shared by every identity route: a longer value is a 400, never truncated. */
export const limits = { name: 200, username: 64, email: 320, nickname: 64 } as const;

export const userStatus = z.enum(['active', 'inactive', 'banned']);

export const userSchema = z.object({
  id: z.uuid(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  email_type: z.enum(['personal', 'work']).nullable(),
  full_name: z.string().nullable(),
  phone_masked: z.string().nullable().describe('The phone number with its middle digits hidden'),
  status: userStatus,
  auth_status: z.enum(['unverified', 'verified']),
  roles: z.array(z.string()),
  last_login_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});

export const accountSchema = userSchema.extend({
  profile: z.object({ nickname: z.string().nullable(), country_code: z.string().nullable() }),
  settings: z.object({
    notifications_enabled: z.boolean(),
    language: z.enum(['ko', 'en']),
    settings: z.record(z.string(), z.unknown()),
  }),
});

export function userDto(user: UserView): z.infer<typeof userSchema> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_type: user.emailType,
    full_name: user.fullName,
    phone_masked: user.phoneMasked,
    status: user.status,
    auth_status: user.authStatus,
    roles: user.roles,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
  };
}

export function accountDto(account: Account): z.infer<typeof accountSchema> {
  return {
    ...userDto(account),
    profile: { nickname: account.profile.nickname, country_code: account.profile.countryCode },
    settings: {
      notifications_enabled: account.settings.notificationsEnabled,
      language: account.settings.language,
      settings: account.settings.settings,
    },
  };
}

export const idParams = z.object({ id: z.uuid() });

/** A member of an org or a team, as both list them (`role` is the org or team role). */
export function memberSchemaOf<R extends z.ZodType<string>>(role: R) {
  return z.object({
    user_id: z.uuid(),
    username: z.string().nullable(),
    full_name: z.string().nullable(),
    role,
    joined_at: z.iso.datetime(),
  });
}

export function memberDto<R extends string>(member: {
  userId: string;
  username: string | null;
  fullName: string | null;
  role: R;
  joinedAt: Date;
}) {
  return {
    user_id: member.userId,
    username: member.username,
    full_name: member.fullName,
    role: member.role,
    joined_at: member.joinedAt.toISOString(),
  };
}
