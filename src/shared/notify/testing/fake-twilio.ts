import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { formBody, type Scriptable, startScriptedServer, withScript } from './scripted-server.js';

/** One message the fake Twilio accepted. */
export interface TwilioReceived {
  sid: string;
  to: string;
  /** `From`, or the `MessagingServiceSid` when that was sent instead. */
  from: string;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface FakeTwilio extends Scriptable {
  /** `http://127.0.0.1:<port>`: the sms channel's `baseUrl`. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  received: TwilioReceived[];
  close(): Promise<void>;
}

const errorInfo: Record<number, [code: number, message: string]> = {
  400: [21211, "Invalid 'To' Phone Number"],
  401: [20003, 'Authenticate'],
  404: [20404, 'The requested resource was not found'],
  429: [20429, 'Too Many Requests'],
  500: [20500, 'Internal Server Error'],
  503: [20503, 'Service Unavailable'],
};

/** Twilio's error JSON: `{ code, message, more_info, status }`. */
function twilioError(status: number, code?: number, message?: string) {
  const [defaultCode, defaultMessage] = errorInfo[status] ?? [status * 100, 'Error'];
  const c = code ?? defaultCode;
  return {
    code: c,
    message: message ?? defaultMessage,
    more_info: `https://www.twilio.com/docs/errors/${c}`,
    status,
  };
}

/**
 * Test support: a loopback server speaking Twilio's Messages API:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic `sid:token`, form fields
 * `To`, `From` (or `MessagingServiceSid`), `Body`. 201 with the message resource; 401 code 20003
 * for bad credentials; 400 code 21211 for a `To` that is not E.164, 21602 for no `Body`.
 */
export async function startFakeTwilio(options: { record?: boolean } = {}): Promise<FakeTwilio> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const received: TwilioReceived[] = [];
  const record = options.record ?? true;

  const server = await startScriptedServer({
    errorBody: (status) => ({ body: twilioError(status) }),
    handle(request, reply) {
      if (request.headers.authorization !== expectedAuth) return reply.json(401, twilioError(401));
      if (request.method !== 'POST' || request.path !== messagesPath)
        return reply.json(404, twilioError(404));
      const form = formBody(request.body);
      const to = form.To ?? '';
      const from = form.From ?? form.MessagingServiceSid ?? '';
      const body = form.Body ?? '';
      if (!to) return reply.json(400, twilioError(400, 21604, "A 'To' phone number is required."));
      if (!/^\+[1-9]\d{6,14}$/.test(to))
        return reply.json(400, twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`));
      if (!from) return reply.json(400, twilioError(400, 21603, "A 'From' phone number is required."));
      if (!body) return reply.json(400, twilioError(400, 21602, 'Message body is required.'));
      const sid = `SM${randomBytes(16).toString('hex')}`;
      if (record) received.push({ sid, to, from, body, headers: request.headers });
      return reply.json(201, {
        sid,
        account_sid: accountSid,
        to,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        body,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        error_code: null,
        error_message: null,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      });
    },
  });

  return withScript(server, { baseUrl: server.origin, accountSid, authToken, received });
}
