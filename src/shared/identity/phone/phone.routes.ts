import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isKeelError } from '../../../kernel/errors/index.js';
import { PUBLIC } from '../../../kernel/http/index.js';
import type { IdentityServices } from '../identity.context.js';
import { clientOf, sendSignedIn, signedInSchema } from '../sessions/session-cookies.js';
import type { PhoneConfig } from './phone.config.js';
import { createPhoneSignIn, type PhoneSignInLimits } from './phone.service.js';
import { phoneNumberSchema } from './phone-number.js';
import { type SmsProvider, smsProviderFrom } from './sms.js';

export interface PhoneAuthOptions {
  config: PhoneConfig;
  /** Overrides the provider `config` names (tests pass their own). */
  sms?: SmsProvider;
  limits?: Partial<PhoneSignInLimits>;
  now?: () => Date;
}

const problem = z
  .object({ code: z.string(), detail: z.string() })
  .loose()
  .describe('application/problem+json');

const startBody = z.object({ phone: phoneNumberSchema });
const codeSent = z.object({
  expires_in_s: z.number().int().describe('How long the code works'),
  resend_after_s: z.number().int().describe('How long until another code may be asked for'),
});
const verifyBody = z.object({
  phone: phoneNumberSchema,
  code: z.string().regex(/^\d{6}$/, 'must be the 6 digits of the code'),
});

/**
 * `POST /start` and `POST /verify`, mounted under `/auth/phone`: sign-in with a code sent by SMS.
 * Both are public; neither ever says whether a number has an account.
 */
export function phoneAuthRoutes(
  services: IdentityServices,
  options: PhoneAuthOptions,
): FastifyPluginAsyncZod {
  const { config, db, log, secrets } = services.ctx;
  const phone = createPhoneSignIn({
    db,
    secrets,
    sessions: services.sessions,
    sms: options.sms ?? smsProviderFrom(options.config, log),
    limits: options.limits,
    now: options.now,
  });

  return async function phoneAuthPlugin(app) {
    app.post(
      '/start',
      {
        config: { action: PUBLIC },
        schema: {
          summary: 'Send a sign-in code by SMS',
          tags: ['auth'],
          body: startBody,
          response: { 202: codeSent, 400: problem, 429: problem },
        },
      },
      async function startPhoneSignIn(request, reply) {
        try {
          const sent = await phone.sendCode(request.body.phone, clientOf(request));
          return reply.code(202).send({ expires_in_s: sent.expiresInS, resend_after_s: sent.resendAfterS });
        } catch (error) {
          if (isKeelError(error) && error.code === 'rate_limited') {
            reply.header('retry-after', String(error.details?.retry_after_s ?? 60));
          }
          throw error;
        }
      },
    );

    app.post(
      '/verify',
      {
        config: { action: PUBLIC },
        schema: {
          summary: 'Sign in with the code received by SMS',
          tags: ['auth'],
          body: verifyBody,
          response: { 200: signedInSchema, 400: problem, 401: problem, 403: problem },
        },
      },
      async function verifyPhoneSignIn(request, reply) {
        const signedIn = await phone.verify(request.body.phone, request.body.code, clientOf(request));
        return reply.code(200).send(sendSignedIn(reply, config, signedIn));
      },
    );
  };
}
