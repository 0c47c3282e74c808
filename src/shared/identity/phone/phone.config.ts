import { z } from 'zod';
import { ConfigError } from '../../../kernel/config/index.js';

/** Settings of phone sign-in, read from the environment (see docs/identity.md). */
export type PhoneConfig =
  | { smsProvider: 'console' }
  | { smsProvider: 'http'; smsHttpUrl: string; smsHttpToken: string | undefined };

const empty = (value: unknown) => (value === '' ? undefined : value);

const phoneEnvSchema = z.object({
  SMS_PROVIDER: z.preprocess(empty, z.enum(['console', 'http']).default('console')),
  SMS_HTTP_URL: z.preprocess(empty, z.url({ protocol: /^https?$/ }).optional()),
  SMS_HTTP_TOKEN: z.preprocess(empty, z.string().optional()),
});

const expected: Record<keyof z.infer<typeof phoneEnvSchema>, string> = {
  SMS_PROVIDER: 'one of console, http',
  SMS_HTTP_URL: 'an http(s) URL of the SMS gateway, e.g. https://sms.example.com/send',
  SMS_HTTP_TOKEN: 'a bearer token for the SMS gateway',
};

/**
 * Reads `SMS_PROVIDER` (console | http, default console), `SMS_HTTP_URL` (required with http) and
 * `SMS_HTTP_TOKEN` (optional). Throws ConfigError naming the variable, as the kernel config does.
 *
 * @example
 * const phone = phoneConfigFrom(process.env); // { smsProvider: 'console' }
 */
export function phoneConfigFrom(env: Record<string, string | undefined>): PhoneConfig {
  const parsed = phoneEnvSchema.safeParse(env);
  if (!parsed.success) {
    const variable = String(parsed.error.issues[0]?.path[0] ?? 'SMS_PROVIDER') as keyof typeof expected;
    throw new ConfigError(variable, `expected ${expected[variable] ?? 'a valid value'}`);
  }
  const { SMS_PROVIDER, SMS_HTTP_URL, SMS_HTTP_TOKEN } = parsed.data;
  if (SMS_PROVIDER === 'console') return { smsProvider: 'console' };
  if (!SMS_HTTP_URL)
    throw new ConfigError('SMS_HTTP_URL', `required with SMS_PROVIDER=http: ${expected.SMS_HTTP_URL}`);
  return { smsProvider: 'http', smsHttpUrl: SMS_HTTP_URL, smsHttpToken: SMS_HTTP_TOKEN };
}
