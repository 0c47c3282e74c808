import type { ChannelKind } from '../channels/channel.types.js';
import type { Locale } from '../templates/render.js';

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
/** Queue order: higher first. */
export const priorityRank: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'failed' | 'dead' | 'skipped';

/** How an attempt (or a decision not to attempt) is written to the delivery log. */
export type LogOutcome = 'delivered' | 'retry' | 'failed' | 'dead' | 'skipped' | 'deferred' | 'interrupted';

/** A delivery row to insert, destination still in clear (the repository encrypts it). */
export interface NewDelivery {
  id: string;
  userId: string | null;
  channel: ChannelKind;
  destination: string;
  destinationMasked: string;
  locale: Locale;
  templateVersion: number;
  state: 'pending' | 'skipped';
  nextAttemptAt: Date;
  pushSubscriptionId: string | null;
  /** Why a skipped row was not sent; why a pending one waits (quiet hours). */
  reason: string | null;
}

/** A leased delivery with what the worker needs to render and send it. */
export interface DeliveryWork {
  id: string;
  notificationId: string;
  orgId: string | null;
  userId: string | null;
  channel: ChannelKind;
  destination: string;
  destinationMasked: string;
  locale: Locale;
  attempts: number;
  maxAttempts: number;
  leaseToken: string;
  pushSubscriptionId: string | null;
  type: string;
  templateVersion: number;
  data: Record<string, unknown>;
  url: string | null;
  traceUuid: string | null;
}

/** The outcome of one attempt, as the dispatcher records it. */
export interface AttemptRecord {
  work: DeliveryWork;
  outcome: 'delivered' | 'retry' | 'failed' | 'dead';
  /** For `retry`: when to try again. */
  nextAttemptAt?: Date;
  reason: string | null;
  httpStatus: number | null;
  durationMs: number;
  sentAt: Date;
  /** A Web Push subscription the push service says is gone. */
  gone?: boolean;
}
