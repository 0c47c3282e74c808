import { z } from 'zod';
import { ConfigError } from '../../../kernel/config/index.js';

export const googleIssuer = 'https://accounts.google.com';

/** Google sign-in settings; null when `GOOGLE_CLIENT_ID` is not set (sign-in is then off). */
export interface GoogleConfig {
  clientId: string;
  clientSecret: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** The `iss` values an ID token may carry. */
  issuers: string[];
}

const empty = (value: unknown) => (value === '' ? undefined : value);

const googleEnvSchema = z.object({
  GOOGLE_CLIENT_ID: z.preprocess(empty, z.string().max(512).optional()),
  GOOGLE_CLIENT_SECRET: z.preprocess(empty, z.string().max(512).optional()),
  GOOGLE_OAUTH_ISSUER: z.preprocess(empty, z.url({ protocol: /^https?$/ }).optional()),
});

/**
 * Reads `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET` (required with the id) and
 * `GOOGLE_OAUTH_ISSUER`. Google's own endpoints are used unless `GOOGLE_OAUTH_ISSUER` names
 * another OpenID provider base URL, which must then serve `/authorize`, `/token` and `/jwks`
 * and sign ID tokens with `iss` equal to that URL (tests point it at a loopback server).
 *
 * @example
 * const google = googleConfigFrom(process.env); // null: Google sign-in is off
 */
export function googleConfigFrom(env: Record<string, string | undefined>): GoogleConfig | null {
  const parsed = googleEnvSchema.safeParse(env);
  if (!parsed.success) {
    const variable = String(parsed.error.issues[0]?.path[0] ?? 'GOOGLE_CLIENT_ID');
    throw new ConfigError(
      variable,
      variable === 'GOOGLE_OAUTH_ISSUER' ? 'expected an http(s) URL' : 'expected at most 512 characters',
    );
  }
  const { GOOGLE_CLIENT_ID: clientId, GOOGLE_CLIENT_SECRET: clientSecret, GOOGLE_OAUTH_ISSUER } = parsed.data;
  if (!clientId) return null;
  if (!clientSecret) {
    throw new ConfigError('GOOGLE_CLIENT_SECRET', 'required with GOOGLE_CLIENT_ID (the OAuth client secret)');
  }
  if (!GOOGLE_OAUTH_ISSUER) {
    return {
      clientId,
      clientSecret,
      authorizationEndpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenEndpoint: 'https://oauth2.googleapis.com/token',
      jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
      // Google documents both forms of its issuer.
      issuers: [googleIssuer, 'accounts.google.com'],
    };
  }
  const issuer = GOOGLE_OAUTH_ISSUER.replace(/\/+$/, '');
  return {
    clientId,
    clientSecret,
    authorizationEndpoint: `${issuer}/authorize`,
    tokenEndpoint: `${issuer}/token`,
    jwksUri: `${issuer}/jwks`,
    issuers: [issuer],
  };
}
