import { z } from 'zod';
import { KeelError } from '../../kernel/errors/index.js';
import type { Principal } from '../../kernel/http/index.js';
import { channelKinds } from './channels/channel.types.js';

/** Shared pieces of notify's routes. */

export const actions = {
  /** Your own inbox, preferences, contact points and push subscriptions. */
  self: 'notify.self',
  send: 'notify.send',
  /** Delivery log, queue, stats, templates, allowlist, notices. */
  admin: 'notify.admin',
  /** Channel settings: platform admins for the instance and any org, org admins for their org. */
  channels: 'notify.channels.manage',
} as const;

export const channelKind = z.enum(channelKinds);
export const idParams = z.object({ id: z.uuid() });

export function callerOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new KeelError('unauthorized', 'Sign-in is required.');
  return request.principal;
}

export const iso = (value: Date | null) => value?.toISOString() ?? null;
