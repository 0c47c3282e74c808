import { z } from 'zod';
import { classifyHttp } from '../outbound/classify.js';
import { type ChannelDeps, channelAdapter, e164, httpUrl, parseJson, parseSettings } from './adapter.js';
import type { ChannelAdapter, RenderedMessage } from './channel.types.js';

/**
 * Twilio (or any service speaking its Messages API). `from` is the sending number in E.164, or
 * a Messaging Service SID (`MG…`), which Twilio then picks a number from.
 */
export const smsSettingsSchemas = {
  config: z.object({
    baseUrl: httpUrl().default('https://api.twilio.com'),
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio Account SID is AC and 32 hex digits'),
    from: z.union([
      z.string().regex(e164, 'an E.164 number like +15017122661'),
      z.string().regex(/^MG[0-9a-fA-F]{32}$/),
    ]),
  }),
  secrets: z.object({ authToken: z.string().min(1) }),
};

/**
 * `POST {baseUrl}/2010-04-01/Accounts/{sid}/Messages.json`, form-encoded `To`, `From`, `Body`,
 * HTTP Basic sid:token. 201 `{ sid }` is delivered (queued at Twilio); errors are
 * `{ code, message, status }`, classified by status (400 e.g. 21211 invalid To: failed; 429: retry).
 */
export function createSmsChannel(config: unknown, secrets: unknown, deps: ChannelDeps): ChannelAdapter {
  const { config: c, secrets: s } = parseSettings('sms', smsSettingsSchemas, config, secrets);
  const endpoint = `${c.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${c.accountSid}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${c.accountSid}:${s.authToken}`).toString('base64')}`;
  const sender: Record<string, string> = c.from.startsWith('MG')
    ? { MessagingServiceSid: c.from }
    : { From: c.from };

  return channelAdapter('sms', async function deliverSms({ destination, message, signal }) {
    if (!e164.test(destination))
      return { status: 'failed', reason: 'the destination is not an E.164 phone number' };
    const res = await deps.outbound.request(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization,
        accept: 'application/json',
      },
      body: new URLSearchParams({ To: destination, ...sender, Body: smsText(message) }).toString(),
      signal,
      what: 'SMS API URL',
    });
    const answer = parseJson(res.body) as { sid?: string; code?: number; message?: string } | undefined;
    if (res.status >= 200 && res.status < 300) {
      return {
        status: 'delivered',
        httpStatus: res.status,
        ...(answer?.sid ? { providerMessageId: answer.sid } : {}),
      };
    }
    // Twilio's message can quote the number; `summarize` (in classifyHttp) masks it.
    const detail = answer?.code ? `Twilio error ${answer.code}: ${answer.message ?? ''}` : res.body;
    return classifyHttp(res.status, res.headers, detail);
  });
}

/** The text, with the link appended when the template did not put it in. */
export function smsText(message: RenderedMessage): string {
  return message.url && !message.text.includes(message.url)
    ? `${message.text}\n${message.url}`
    : message.text;
}
