import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import { classifyError } from '../outbound/classify.js';
import type { Outbound } from '../outbound/outbound.js';
import type { ChannelAdapter, ChannelKind, DeliveryOutcome, DeliveryRequest } from './channel.types.js';

/** What every adapter gets from the core. */
export interface ChannelDeps {
  /** The guarded HTTP client; adapters make no request any other way. */
  outbound: Outbound;
  /** Now, in ms since the epoch (default `Date.now`); the webhook timestamp reads it. */
  now?: () => number;
}

/**
 * A channel's settings do not make a working adapter: they fail their schema, or miss the
 * secret their mode needs (a Slack bot without a token). Thrown by `create…Channel` — never by
 * `deliver` — with one entry per field, like a route's validation error.
 */
export class ChannelConfigError extends KeelError {
  constructor(kind: ChannelKind, errors: { field: string; message: string }[]) {
    const first = errors[0] ?? { field: 'config', message: 'invalid' };
    super('validation_failed', `${kind} settings: ${first.field}: ${first.message}`, { details: { errors } });
    this.name = 'ChannelConfigError';
  }
}

/** The `config` and `secrets` schemas of one channel kind. */
export interface SettingsSchemas<C extends z.ZodType, S extends z.ZodType> {
  config: C;
  secrets: S;
}

/** Parses both halves of a channel's settings, or throws `ChannelConfigError` naming the fields. */
export function parseSettings<C extends z.ZodType, S extends z.ZodType>(
  kind: ChannelKind,
  schemas: SettingsSchemas<C, S>,
  config: unknown,
  secrets: unknown,
): { config: z.output<C>; secrets: z.output<S> } {
  const parsedConfig = schemas.config.safeParse(config ?? {});
  const parsedSecrets = schemas.secrets.safeParse(secrets ?? {});
  const errors = [
    ...(parsedConfig.success ? [] : issues('config', parsedConfig.error.issues)),
    // Never the secret's value: zod's messages name what was expected, not what was given.
    ...(parsedSecrets.success ? [] : issues('secrets', parsedSecrets.error.issues)),
  ];
  if (!parsedConfig.success || !parsedSecrets.success) throw new ChannelConfigError(kind, errors);
  return { config: parsedConfig.data, secrets: parsedSecrets.data };
}

function issues(prefix: string, list: readonly { path: PropertyKey[]; message: string }[]) {
  return list.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/**
 * An adapter whose `deliver` keeps the contract "never throws for a delivery failure": whatever
 * `attempt` throws (a refused destination, a timeout, a bug) becomes an outcome.
 */
export function channelAdapter(
  kind: ChannelKind,
  attempt: (request: DeliveryRequest) => Promise<DeliveryOutcome>,
  close?: () => Promise<void>,
): ChannelAdapter {
  return {
    kind,
    async deliver(request) {
      try {
        return await attempt(request);
      } catch (error) {
        return classifyError(error);
      }
    },
    ...(close ? { close } : {}),
  };
}

/**
 * An http(s) URL. Not `z.httpUrl()`: that wants a domain name, and an admin may point a channel at
 * an allowlisted IP. The address check itself happens at request time (outbound).
 */
export const httpUrl = () => z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

/** `+` and 7–15 digits, the first not 0. */
export const e164 = /^\+[1-9]\d{6,14}$/;

/** Reads a JSON answer, or undefined when it is not JSON (a proxy's HTML error page). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Cuts `text` to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
