/**
 * The contract between notify's dispatcher and each delivery channel. The dispatcher owns the
 * queue, retries, logs and counts; a channel only turns one rendered message into one attempt
 * against its provider and says how it went.
 */

export const channelKinds = ['slack', 'email', 'sms', 'kakao', 'webhook', 'webpush', 'inapp'] as const;
export type ChannelKind = (typeof channelKinds)[number];

/** A message rendered from a template, ready for any channel. */
export interface RenderedMessage {
  /** Short title: e-mail subject, push title, Slack header. */
  subject: string;
  /** Plain text, always present (SMS, the e-mail text part, fallbacks). */
  text: string;
  /** HTML for e-mail, when the template has one (already escaped). */
  html?: string;
  /** A link to open: push click target, Slack button, e-mail call to action. */
  url?: string;
  /** The template's structured data, sent as-is to webhooks and push payloads. */
  data: Record<string, unknown>;
  template: { name: string; version: number; locale: string };
  /** Kakao AlimTalk needs a template registered with Kakao and its parameters. */
  kakao?: { templateCode: string; parameters: Record<string, string> };
}

export interface DeliveryRequest {
  /** Stable across attempts: the receiver's idempotency key (webhook-id, Idempotency-Key). */
  deliveryId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /**
   * Where to, in the channel's terms: an e-mail address, an E.164 phone number, a Slack user or
   * channel id, a webhook URL, a Web Push subscription as JSON.
   */
  destination: string;
  message: RenderedMessage;
  /** Aborted on shutdown or when the attempt's time is up; pass it to every request. */
  signal: AbortSignal;
}

/**
 * How one attempt went. Channels never throw for a delivery failure: they classify it.
 * - `retry`: worth trying again (network error, timeout, 5xx, 429, 408); `retryAfterMs` when the
 *   provider said how long to wait (Retry-After).
 * - `failed`: permanent (4xx other than 408/429, a refused destination, a gone subscription).
 */
export type DeliveryOutcome =
  | { status: 'delivered'; providerMessageId?: string; httpStatus?: number }
  | { status: 'retry'; reason: string; retryAfterMs?: number; httpStatus?: number }
  | { status: 'failed'; reason: string; httpStatus?: number; gone?: boolean };

export interface ChannelAdapter {
  kind: ChannelKind;
  deliver(request: DeliveryRequest): Promise<DeliveryOutcome>;
  /** Releases pooled connections (an SMTP pool); called when settings change and at shutdown. */
  close?(): Promise<void>;
}
