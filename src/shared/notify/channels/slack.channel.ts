import { z } from 'zod';
import { classifyHttp, parseRetryAfter, summarize } from '../outbound/classify.js';
import {
  ChannelConfigError,
  type ChannelDeps,
  channelAdapter,
  clip,
  httpUrl,
  parseJson,
  parseSettings,
} from './adapter.js';
import type { ChannelAdapter, DeliveryOutcome, RenderedMessage } from './channel.types.js';

/**
 * Slack settings. `webhook`: an incoming webhook posts to the one channel it was made for (the
 * destination is ignored). `bot`: `chat.postMessage` with a bot token, to the destination — a
 * channel id (`C…`) or a user id (`U…`, which opens the DM).
 */
export const slackSettingsSchemas = {
  config: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('webhook') }),
    z.object({ mode: z.literal('bot'), apiBaseUrl: httpUrl().default('https://slack.com/api') }),
  ]),
  secrets: z.object({
    /** The incoming-webhook URL is itself the credential, so it is a secret. */
    webhookUrl: httpUrl().optional(),
    botToken: z
      .string()
      .regex(/^xox[bp]-[\w-]+$/, 'a Slack bot token starts with xoxb-')
      .optional(),
  }),
};

// Web API errors worth another try; every other `error` means the request or the setup is wrong.
const transientErrors = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'rate_limited',
]);

export function createSlackChannel(config: unknown, secrets: unknown, deps: ChannelDeps): ChannelAdapter {
  const settings = parseSettings('slack', slackSettingsSchemas, config, secrets);
  const { outbound } = deps;

  if (settings.config.mode === 'webhook') {
    const webhookUrl = settings.secrets.webhookUrl;
    if (!webhookUrl) {
      throw new ChannelConfigError('slack', [
        { field: 'secrets.webhookUrl', message: 'webhook mode needs a webhook URL' },
      ]);
    }
    return channelAdapter('slack', async function deliverSlackWebhook({ message, signal }) {
      const res = await outbound.request(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ text: fallbackText(message), blocks: slackBlocks(message) }),
        signal,
        what: 'Slack webhook URL',
      });
      // 200 "ok"; errors are plain-text codes: invalid_payload, no_service, channel_is_archived…
      return classifyHttp(res.status, res.headers, res.body);
    });
  }

  const botToken = settings.secrets.botToken;
  if (!botToken) {
    throw new ChannelConfigError('slack', [
      { field: 'secrets.botToken', message: 'bot mode needs a bot token (xoxb-…)' },
    ]);
  }
  const endpoint = `${settings.config.apiBaseUrl.replace(/\/$/, '')}/chat.postMessage`;
  return channelAdapter('slack', async function deliverSlackBot({ destination, message, signal }) {
    if (!destination.trim()) {
      return { status: 'failed', reason: 'no Slack channel or user id to send to' };
    }
    const res = await outbound.request(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${botToken}` },
      body: JSON.stringify({
        channel: destination,
        text: fallbackText(message),
        blocks: slackBlocks(message),
        unfurl_links: false,
      }),
      signal,
      what: 'Slack API URL',
    });
    return webApiOutcome(res.status, res.headers, res.body);
  });
}

/** The Web API answers HTTP 200 with `{ ok, error }`; rate limits come as HTTP 429 + Retry-After. */
function webApiOutcome(status: number, headers: Record<string, string>, body: string): DeliveryOutcome {
  const answer = parseJson(body) as { ok?: boolean; error?: string; ts?: string } | undefined;
  if (status !== 200) return classifyHttp(status, headers, answer?.error ?? body);
  if (answer?.ok === true) {
    return { status: 'delivered', httpStatus: 200, ...(answer.ts ? { providerMessageId: answer.ts } : {}) };
  }
  const error = summarize(answer?.error ?? 'unreadable answer');
  if (transientErrors.has(error)) {
    const retryAfterMs = parseRetryAfter(headers['retry-after']);
    return {
      status: 'retry',
      reason: `Slack error: ${error}`,
      httpStatus: 200,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  return { status: 'failed', reason: `Slack error: ${error}`, httpStatus: 200 };
}

/** What notifications and screen readers show; the blocks carry the layout. */
function fallbackText(message: RenderedMessage): string {
  return clip(message.subject ? `${message.subject}\n${message.text}` : message.text, 3000);
}

/** A header, the text, and a button for the link — within Slack's block limits. */
export function slackBlocks(message: RenderedMessage): unknown[] {
  const blocks: unknown[] = [];
  if (message.subject.trim()) {
    blocks.push({
      type: 'header',
      text: { type: 'plain_text', text: clip(message.subject, 150), emoji: true },
    });
  }
  if (message.text.trim()) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(message.text), 3000) } });
  }
  if (message.url && message.url.length <= 3000) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: message.url }],
    });
  }
  return blocks;
}

// Slack's three control characters; everything else in user text is shown as typed.
function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
