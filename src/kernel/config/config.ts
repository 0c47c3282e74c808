import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * Keel's configuration: environment variables, optionally preset by `keel.config.yml`
 * (environment wins). Parsing is pure; side effects (creating `.keel/`, key files) happen later.
 */
export interface KeelConfig {
  port: number;
  host: string;
  publicUrl: string;
  database: EmbeddedDatabaseConfig | ServerDatabaseConfig;
  redisUrl: string | undefined;
  /** `KEEL_SECRET_KEYS` as given (parsed by the crypto key ring); undefined → generated in embedded mode. */
  secretKeys: string | undefined;
  hmacKey: string | undefined;
  dataDir: string;
  logLevel: LogLevel;
  bodyLimit: number;
  shutdownGraceMs: number;
  /**
   * Fastify's `trustProxy`: false (default: the socket address is the client), a hop count, or a
   * list of proxy addresses. Per-IP limits (sign-in codes, rate limits) need it behind a proxy.
   */
  trustProxy: boolean | number | string;
  /** Days between a deletion request and the erasure of the user's data (they may cancel). */
  deletionGraceDays: number;
  /**
   * Every setting as given (the YAML file overlaid by the environment), for modules that parse
   * their own (`SMS_PROVIDER`, `GOOGLE_CLIENT_ID`, ...) with the same precedence as the kernel's.
   */
  settings: Readonly<Record<string, string | undefined>>;
}

export interface EmbeddedDatabaseConfig {
  kind: 'embedded';
  /** null → in-memory (`DATABASE_URL=memory://`). */
  dataDir: string | null;
}

export interface ServerDatabaseConfig {
  kind: 'server';
  url: string;
  poolMax: number;
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** One line, naming the variable and what is expected; the CLI prints it and exits 2. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`${variable}: ${expected}`);
    this.name = 'ConfigError';
  }
}

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** Every variable Keel reads, with its default. README.md's configuration table mirrors this. */
export const envSchema = z.object({
  PORT: port.default(8080).describe('an integer port between 0 and 65535'),
  HOST: z.string().min(1).default('127.0.0.1').describe('a host name or IP address to listen on'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('an http(s) URL, e.g. https://keel.example.com'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|memory:\/\/$|file:)/)
    .optional()
    .describe('postgres://user@host:5432/db, memory://, or file:PATH (embedded, persisted)'),
  // At least 2: installing the job queue holds one connection (its lock) while pg-boss uses another.
  DATABASE_POOL_MAX: positiveInt.min(2).max(1000).default(10).describe('a pool size between 2 and 1000'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .optional()
    .describe('a redis:// or rediss:// URL'),
  KEEL_SECRET_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]+(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]+)*$/)
    .optional()
    .describe('a comma-separated key ring "id:base64key,..." (newest first, 32-byte keys)'),
  KEEL_HMAC_KEY: z.string().min(1).optional().describe('a base64 key of at least 32 bytes'),
  KEEL_DATA_DIR: z.string().min(1).default('.keel').describe('a directory path'),
  LOG_LEVEL: z
    .enum(logLevels)
    .default('info')
    .describe(`one of ${logLevels.join(', ')}`),
  BODY_LIMIT: positiveInt.default(1_048_576).describe('a positive number of bytes'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000).describe('milliseconds (>= 0)'),
  // Settings that modules parse themselves (from KeelConfig.settings); listed here so that
  // keel.config.yml accepts them and so the README's table has one source.
  SMS_PROVIDER: z.string().optional().describe('console or http (phone sign-in codes)'),
  SMS_HTTP_URL: z.string().optional().describe('the SMS gateway URL (with SMS_PROVIDER=http)'),
  SMS_HTTP_TOKEN: z.string().optional().describe('the SMS gateway bearer token'),
  GOOGLE_CLIENT_ID: z.string().optional().describe('the Google OAuth client id'),
  GOOGLE_CLIENT_SECRET: z.string().optional().describe('the Google OAuth client secret'),
  GOOGLE_OAUTH_ISSUER: z.string().optional().describe('an OpenID provider base URL replacing Google'),
  KEEL_PLAN_CATALOG: z.string().optional().describe('the plan catalog YAML file'),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[0-9a-fA-F.:/,\s]+)$/)
    .default('false')
    .describe('false, true, a number of proxy hops, or proxy addresses/CIDRs separated by commas'),
  NOTIFY_ALLOWLIST: z
    .string()
    .optional()
    .describe('hosts or CIDRs notify may call although private, separated by commas (SSRF guard)'),
  NOTIFY_RATES: z.string().optional().describe('sends per second per channel, e.g. slack=5,email=50'),
  NOTIFY_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(8)
    .describe('a whole number from 1 to 50'),
  KNOWLEDGE_STORAGE: z
    .enum(['local', 's3'])
    .default('local')
    .describe('local (files under $KEEL_DATA_DIR/documents) or s3 (S3_BUCKET, S3_ACCESS_KEY_ID, ...)'),
  KNOWLEDGE_PURGE_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3650)
    .default(30)
    .describe('a whole number of days from 0 to 3650'),
  S3_ENDPOINT: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('an http(s) URL of an S3-compatible server (MinIO, R2, ...); unset: AWS S3'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
    .optional()
    .describe('an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)'),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .default('us-east-1')
    .describe('an S3 region such as us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional().describe('the S3 access key id'),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional().describe('the S3 secret access key'),
  DELETION_GRACE_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(365)
    .default(30)
    .describe('a whole number of days from 0 to 365'),
});

export type EnvInput = Partial<Record<keyof z.infer<typeof envSchema>, string | number>> &
  Record<string, unknown>;

/**
 * Builds the configuration from `env` and, when present, a YAML file whose keys are the same
 * variable names. Throws ConfigError on the first bad value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): KeelConfig {
  const file = readConfigFile(env, cwd);
  const merged: Record<string, unknown> = { ...file };
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') merged[key] = value;
  }
  return parseConfig(merged, cwd);
}

export function parseConfig(input: Record<string, unknown>, cwd = process.cwd()): KeelConfig {
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'configuration');
    const field = envSchema.shape[variable as keyof typeof envSchema.shape];
    const got = input[variable];
    const shown = variable.includes('KEY') ? '' : ` (got ${JSON.stringify(got)})`;
    throw new ConfigError(variable, `expected ${field?.description ?? issue?.message}${shown}`);
  }
  const env = parsed.data;
  const dataDir = resolve(cwd, env.KEEL_DATA_DIR);
  const database = databaseConfig(env.DATABASE_URL, dataDir, env.DATABASE_POOL_MAX, cwd);
  if (database.kind === 'server' && !env.KEEL_SECRET_KEYS) {
    throw new ConfigError(
      'KEEL_SECRET_KEYS',
      'required with a PostgreSQL server DATABASE_URL ("id:base64key,...")',
    );
  }
  if (database.kind === 'server' && !env.KEEL_HMAC_KEY) {
    throw new ConfigError(
      'KEEL_HMAC_KEY',
      'required with a PostgreSQL server DATABASE_URL (base64, >= 32 bytes)',
    );
  }
  if (env.KNOWLEDGE_STORAGE === 's3') {
    for (const variable of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      if (!env[variable]) throw new ConfigError(variable, 'required with KNOWLEDGE_STORAGE=s3');
    }
  }
  return {
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    database,
    redisUrl: env.REDIS_URL,
    secretKeys: env.KEEL_SECRET_KEYS,
    hmacKey: env.KEEL_HMAC_KEY,
    dataDir,
    logLevel: env.LOG_LEVEL,
    bodyLimit: env.BODY_LIMIT,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    deletionGraceDays: env.DELETION_GRACE_DAYS,
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    settings: Object.fromEntries(
      Object.entries(input).map(([key, value]) => [key, value === undefined ? undefined : String(value)]),
    ),
  };
}

function databaseConfig(
  url: string | undefined,
  dataDir: string,
  poolMax: number,
  cwd: string,
): KeelConfig['database'] {
  if (url === undefined) return { kind: 'embedded', dataDir: resolve(dataDir, 'data') };
  if (url === 'memory://') return { kind: 'embedded', dataDir: null };
  if (url.startsWith('file:')) return { kind: 'embedded', dataDir: resolve(cwd, url.slice('file:'.length)) };
  return { kind: 'server', url, poolMax };
}

function trustProxyOf(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function readConfigFile(env: NodeJS.ProcessEnv, cwd: string): Record<string, unknown> {
  const explicit = env.KEEL_CONFIG;
  const path = resolve(cwd, explicit ?? 'keel.config.yml');
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError('KEEL_CONFIG', `expected a readable YAML file (not found: ${path})`);
    return {};
  }
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError('KEEL_CONFIG', `expected valid YAML in ${path} (${reason})`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError('KEEL_CONFIG', `expected a mapping of variable names to values in ${path}`);
  }
  const known = new Set(Object.keys(envSchema.shape));
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) throw new ConfigError(key, `is not a Keel setting (in ${path})`);
  }
  return doc as Record<string, unknown>;
}
