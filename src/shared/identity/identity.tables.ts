import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  inet,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAtColumn, updatedAtColumn } from '../../kernel/db/columns.js';

/**
 * One model of people and access for all four products (seeds 000 `01_user`,
 * `06_organization_and_team`; 001 §5; 002 users/organizations/teams/sessions/api_keys; 004
 * users/user_profiles/user_settings/phone_verification_codes/user_sessions/admin_users).
 * Personal data that must be searchable is stored encrypted with an HMAC lookup hash beside it.
 */
export const identitySchema = pgSchema('identity');

const created = createdAtColumn;
const updated = updatedAtColumn;

export const users = identitySchema.table(
  'users',
  {
    id: uuid('id').primaryKey(),
    username: varchar('username', { length: 64 }),
    email: varchar('email', { length: 320 }),
    /** personal | work (seed 000's email type) */
    emailType: varchar('email_type', { length: 16 }),
    fullName: varchar('full_name', { length: 200 }),
    /** kv1 ciphertext of the E.164 phone number (AAD: the user id). */
    phoneEncrypted: text('phone_encrypted'),
    /** HMAC of the normalized phone number: the only way to find a user by phone. */
    phoneHash: varchar('phone_hash', { length: 64 }),
    /** active | inactive | banned */
    status: varchar('status', { length: 16 }).notNull().default('active'),
    /** unverified | verified: whether an email or phone has been proven */
    authStatus: varchar('auth_status', { length: 16 }).notNull().default('unverified'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    /** Set when a deletion request erased this user's personal data. */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(sql`lower(${t.username})`),
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    uniqueIndex('users_phone_hash_key').on(t.phoneHash),
    index('users_created_idx').on(t.createdAt, t.id),
    check('users_status_check', sql`${t.status} in ('active', 'inactive', 'banned')`),
    check('users_auth_status_check', sql`${t.authStatus} in ('unverified', 'verified')`),
    check('users_email_type_check', sql`${t.emailType} in ('personal', 'work')`),
  ],
);

export const profiles = identitySchema.table('profiles', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** kv1 ciphertext (AAD: the user id). */
  nicknameEncrypted: text('nickname_encrypted'),
  /** ISO 3166-1 alpha-3, as seed 004's countries table keys it. */
  countryCode: varchar('country_code', { length: 3 }),
  createdAt: created(),
  updatedAt: updated(),
});

export const userSettings = identitySchema.table(
  'user_settings',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    notificationsEnabled: boolean('notifications_enabled').notNull().default(true),
    language: varchar('language', { length: 8 }).notNull().default('ko'),
    settings: jsonb('settings').notNull().default({}),
    updatedAt: updated(),
  },
  (t) => [check('user_settings_language_check', sql`${t.language} in ('ko', 'en')`)],
);

/** Browsers and devices a user signed in from (seed 000 `06_device_profile`). */
export const deviceProfiles = identitySchema.table(
  'device_profiles',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** HMAC of the user agent: one row per distinct device of a user. */
    fingerprint: varchar('fingerprint', { length: 64 }).notNull(),
    browser: varchar('browser', { length: 64 }),
    os: varchar('os', { length: 64 }),
    deviceType: varchar('device_type', { length: 16 }),
    /** A coarse location (country) when a proxy provides one; never a street address. */
    location: varchar('location', { length: 64 }),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('device_profiles_user_fingerprint_key').on(t.userId, t.fingerprint)],
);

/** Social sign-in links (seed 000 `02_oauth`): one row per provider account. */
export const oauthAccounts = identitySchema.table(
  'oauth_accounts',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: varchar('provider', { length: 32 }).notNull(),
    /** The provider's stable subject id (`sub`). */
    subject: varchar('subject', { length: 255 }).notNull(),
    email: varchar('email', { length: 320 }),
    createdAt: created(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('oauth_accounts_provider_subject_key').on(t.provider, t.subject),
    index('oauth_accounts_user_idx').on(t.userId),
  ],
);

/** Short-lived OAuth state between the redirect and the callback (state, nonce, PKCE verifier). */
export const oauthStates = identitySchema.table('oauth_states', {
  /** HMAC of the `state` parameter. */
  stateHash: varchar('state_hash', { length: 64 }).primaryKey(),
  provider: varchar('provider', { length: 32 }).notNull(),
  /** kv1 ciphertexts: the PKCE code verifier and the OIDC nonce. */
  codeVerifierEncrypted: text('code_verifier_encrypted').notNull(),
  nonceEncrypted: text('nonce_encrypted').notNull(),
  redirectTo: text('redirect_to'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: created(),
});

/** One-time SMS codes (seed 004 `phone_verification_codes`); the code itself is stored hashed. */
export const phoneCodes = identitySchema.table(
  'phone_codes',
  {
    id: uuid('id').primaryKey(),
    phoneHash: varchar('phone_hash', { length: 64 }).notNull(),
    codeHash: varchar('code_hash', { length: 64 }).notNull(),
    /** HMAC of the requesting IP, for the per-IP rate limit. */
    ipHash: varchar('ip_hash', { length: 64 }),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /** Set when a fresher code replaced this one. */
    invalidatedAt: timestamp('invalidated_at', { withTimezone: true }),
    createdAt: created(),
  },
  (t) => [
    index('phone_codes_phone_idx').on(t.phoneHash, t.createdAt),
    index('phone_codes_ip_idx').on(t.ipHash, t.createdAt),
  ],
);

/** Username + password sign-in (seed 004 `admin_users`), with lockout state. */
export const passwordCredentials = identitySchema.table('password_credentials', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** argon2id PHC string. */
  passwordHash: text('password_hash').notNull(),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  updatedAt: updated(),
});

export const apiKeys = identitySchema.table(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 100 }).notNull(),
    /** The first characters of the key (`keel_ab12cd`), shown in lists so a key can be recognized. */
    prefix: varchar('prefix', { length: 16 }).notNull(),
    /** HMAC of the whole key; the key itself is shown once and never stored. */
    keyHash: varchar('key_hash', { length: 64 }).notNull(),
    /** The actions this key may perform (never more than its owner holds). */
    actions: text('actions').array().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: created(),
  },
  (t) => [uniqueIndex('api_keys_hash_key').on(t.keyHash), index('api_keys_user_idx').on(t.userId)],
);

/**
 * A signed-in device: one refresh-token family (seed 000 `03_session`, 004 `user_sessions`).
 * Revoking the session ends every token of the family.
 */
export const sessions = identitySchema.table(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceProfileId: uuid('device_profile_id').references(() => deviceProfiles.id, { onDelete: 'set null' }),
    /** google | phone | password */
    method: varchar('method', { length: 16 }).notNull(),
    /** The org this session acts in (chosen at refresh); null: the user's oldest membership. */
    orgId: uuid('org_id'),
    ip: inet('ip'),
    userAgent: varchar('user_agent', { length: 512 }),
    createdAt: created(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** logout | revoked | revoked_all | reuse_detected | user_disabled | erased */
    revokeReason: varchar('revoke_reason', { length: 32 }),
  },
  (t) => [index('sessions_user_idx').on(t.userId, t.createdAt)],
);

/**
 * Secrets kept per user (seed 000 `07_secret`): today the refresh tokens, AES-256-GCM encrypted,
 * found by HMAC. A token that was rotated and comes back is a stolen one: its family dies.
 */
export const userSecrets = identitySchema.table(
  'user_secrets',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    /** refresh_token */
    kind: varchar('kind', { length: 32 }).notNull(),
    valueEncrypted: text('value_encrypted').notNull(),
    lookupHash: varchar('lookup_hash', { length: 64 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set when this token was exchanged for the next one. */
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex('user_secrets_lookup_key').on(t.lookupHash),
    index('user_secrets_session_idx').on(t.sessionId),
  ],
);

/** RBAC (seed 001 §5-2): roles, actions and which role holds which action. */
export const roles = identitySchema.table('roles', {
  id: uuid('id').primaryKey(),
  name: varchar('name', { length: 64 }).notNull().unique(),
  description: text('description').notNull().default(''),
  /** Built-in roles are seeded at startup and cannot be deleted. */
  builtin: boolean('builtin').notNull().default(false),
  createdAt: created(),
});

export const actions = identitySchema.table('actions', {
  id: uuid('id').primaryKey(),
  code: varchar('code', { length: 100 }).notNull().unique(),
  description: text('description').notNull().default(''),
  module: varchar('module', { length: 64 }).notNull(),
  createdAt: created(),
});

export const roleActions = identitySchema.table(
  'role_actions',
  {
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    actionId: uuid('action_id')
      .notNull()
      .references(() => actions.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.actionId] })],
);

/** Global role grants (`admin`, `enterprise`, ...); every user also holds `user` implicitly. */
export const userRoles = identitySchema.table(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    grantedBy: uuid('granted_by'),
    createdAt: created(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] })],
);

export const organizations = identitySchema.table(
  'organizations',
  {
    id: uuid('id').primaryKey(),
    name: varchar('name', { length: 200 }).notNull(),
    /** The email domain that identifies the org's people (`acme.com`). */
    domain: varchar('domain', { length: 253 }),
    /** trial | active | suspended | ended */
    contractStatus: varchar('contract_status', { length: 16 }).notNull().default('trial'),
    /** A plan key of the plans catalog; members are billed and limited by it. */
    planKey: varchar('plan_key', { length: 32 }).notNull().default('org'),
    active: boolean('active').notNull().default(true),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    settings: jsonb('settings').notNull().default({}),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('organizations_domain_key').on(sql`lower(${t.domain})`),
    check(
      'organizations_contract_status_check',
      sql`${t.contractStatus} in ('trial', 'active', 'suspended', 'ended')`,
    ),
  ],
);

/** Membership of a user in an org, with the org role (member | org_admin). */
export const orgMemberships = identitySchema.table(
  'org_memberships',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: varchar('role', { length: 32 }).notNull().default('member'),
    createdAt: created(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    index('org_memberships_user_idx').on(t.userId),
    check('org_memberships_role_check', sql`${t.role} in ('member', 'org_admin')`),
  ],
);

export const teams = identitySchema.table(
  'teams',
  {
    id: uuid('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 200 }).notNull(),
    description: text('description'),
    /** org: visible to the whole org | private: members only */
    visibility: varchar('visibility', { length: 16 }).notNull().default('org'),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    uniqueIndex('teams_org_name_key').on(t.orgId, sql`lower(${t.name})`),
    check('teams_visibility_check', sql`${t.visibility} in ('org', 'private')`),
  ],
);

/** Seed 000 `03_team_memberships`: a user in a team, with a team role (viewer | member | maintainer). */
export const teamMemberships = identitySchema.table(
  'team_memberships',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: varchar('role', { length: 32 }).notNull().default('member'),
    createdAt: created(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('team_memberships_user_idx').on(t.userId),
    check('team_memberships_role_check', sql`${t.role} in ('viewer', 'member', 'maintainer')`),
  ],
);

/** Seed 004 `user_feedback` / 000 `08_feedback_log`. */
export const feedback = identitySchema.table(
  'feedback',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** bug | suggestion | complaint */
    feedbackType: varchar('feedback_type', { length: 16 }).notNull(),
    subject: varchar('subject', { length: 200 }),
    content: text('content').notNull(),
    rating: integer('rating'),
    /** pending | resolved | closed */
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    adminResponse: text('admin_response'),
    respondedBy: uuid('responded_by'),
    createdAt: created(),
    updatedAt: updated(),
  },
  (t) => [
    index('feedback_status_idx').on(t.status, t.createdAt),
    check('feedback_type_check', sql`${t.feedbackType} in ('bug', 'suggestion', 'complaint')`),
    check('feedback_status_check', sql`${t.status} in ('pending', 'resolved', 'closed')`),
    check('feedback_rating_check', sql`${t.rating} between 1 and 5`),
  ],
);

/**
 * Seed 000 `09_action_log`: every authenticated mutation and every denied attempt. The user id
 * stays after erasure (it names nobody once the user row is anonymized); the IP does not.
 */
export const actionLog = identitySchema.table(
  'action_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id'),
    apiKeyId: uuid('api_key_id'),
    orgId: uuid('org_id'),
    action: varchar('action', { length: 100 }).notNull(),
    method: varchar('method', { length: 8 }).notNull(),
    /** The route pattern, e.g. `/api-keys/:id`. */
    resource: varchar('resource', { length: 300 }).notNull(),
    resourceId: varchar('resource_id', { length: 100 }),
    /** succeeded | failed | denied */
    result: varchar('result', { length: 16 }).notNull(),
    status: integer('status').notNull(),
    ip: inet('ip'),
    traceUuid: uuid('trace_uuid'),
  },
  (t) => [
    index('action_log_at_idx').on(t.at),
    index('action_log_user_idx').on(t.userId, t.at),
    index('action_log_org_idx').on(t.orgId, t.at),
  ],
);

/** Seed 000 `10_del_req`: GDPR erasure, carried out by a job after a grace period. */
export const deletionRequests = identitySchema.table(
  'deletion_requests',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    /** pending | cancelled | processing | completed | failed */
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    reason: varchar('reason', { length: 500 }),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    executeAfter: timestamp('execute_after', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** Per module: what its erasure hook reported (counts only, never data). */
    report: jsonb('report').notNull().default({}),
    error: text('error'),
  },
  (t) => [
    index('deletion_requests_due_idx').on(t.status, t.executeAfter),
    uniqueIndex('deletion_requests_one_open_key')
      .on(t.userId)
      .where(sql`${t.status} in ('pending', 'processing')`),
  ],
);

/**
 * The first-run setup link: while no active admin exists, each server start issues one token
 * (printed, stored as an HMAC) that lets one person create the first admin account.
 */
export const setupTokens = identitySchema.table('setup_tokens', {
  id: uuid('id').primaryKey(),
  tokenHash: varchar('token_hash', { length: 64 }).notNull().unique(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  usedBy: uuid('used_by'),
  createdAt: created(),
});
