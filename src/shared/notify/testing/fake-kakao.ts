import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { jsonBody, type Scriptable, startScriptedServer, withScript } from './scripted-server.js';

/** One AlimTalk recipient the fake accepted. */
export interface KakaoReceived {
  requestId: string;
  senderKey: string;
  templateCode: string;
  recipientNo: string;
  templateParameter: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export interface FakeKakao extends Scriptable {
  /** `http://127.0.0.1:<port>`: the kakao channel's `baseUrl`. */
  baseUrl: string;
  appKey: string;
  secretKey: string;
  senderKey: string;
  received: KakaoReceived[];
  /** Answer the next sends with this NHN result code (HTTP 200, `isSuccessful: false`). */
  failNextWith(resultCode: number, resultMessage?: string): void;
  close(): Promise<void>;
}

export interface FakeKakaoOptions {
  /** Registered template codes; others answer -3003 "Template does not exist." (default: any code). */
  templates?: string[];
  record?: boolean;
}

type Header = { resultCode: number; resultMessage: string; isSuccessful: boolean };
const header = (resultCode: number, resultMessage: string): { header: Header } => ({
  header: { resultCode, resultMessage, isSuccessful: resultCode === 0 },
});

/**
 * Test support: a loopback server speaking NHN Cloud's KakaoTalk Bizmessage AlimTalk API
 * (`POST /alimtalk/v2.3/appkeys/{appKey}/messages`, `X-Secret-Key`). NHN answers HTTP 200 with
 * `{ header: { resultCode, resultMessage, isSuccessful }, message: { requestId, sendResults } }`
 * for success and for most errors: -1000 invalid appKey, -1001 invalid secretKey, -1006 unknown
 * sender key, -3003 unknown template, -2001 blank field; `failNextWith` forces any other code.
 */
export async function startFakeKakao(options: FakeKakaoOptions = {}): Promise<FakeKakao> {
  const appKey = randomBytes(8).toString('hex');
  const secretKey = randomBytes(8).toString('hex');
  const senderKey = randomBytes(20).toString('hex');
  const templates = options.templates ? new Set(options.templates) : null;
  const record = options.record ?? true;
  const received: KakaoReceived[] = [];
  const forced: { resultCode: number; resultMessage: string }[] = [];

  const server = await startScriptedServer({
    errorBody: (status) => ({ body: header(-9999, `scripted HTTP ${status}`) }),
    handle(request, reply) {
      const match = request.path.match(/^\/alimtalk\/v2\.3\/appkeys\/([^/]+)\/messages$/);
      if (request.method !== 'POST' || !match) return reply.json(404, header(-9999, 'Not found'));
      if (match[1] !== appKey) return reply.json(200, header(-1000, 'Invalid appKey.'));
      if (request.headers['x-secret-key'] !== secretKey)
        return reply.json(200, header(-1001, 'Invalid secretKey.'));
      const next = forced.shift();
      if (next) return reply.json(200, header(next.resultCode, next.resultMessage));
      const body = jsonBody(request.body) as
        | {
            senderKey?: string;
            templateCode?: string;
            recipientList?: { recipientNo?: string; templateParameter?: Record<string, string> }[];
          }
        | undefined;
      if (!body) return reply.json(200, header(-3002, 'Field is not valid.'));
      if (body.senderKey !== senderKey)
        return reply.json(200, header(-1006, "Plus friend don't have senderKey."));
      if (!body.templateCode) return reply.json(200, header(-2001, "The 'templateCode' must not be blank."));
      if (templates && !templates.has(body.templateCode))
        return reply.json(200, header(-3003, 'Template does not exist.'));
      const recipients = body.recipientList ?? [];
      if (recipients.length === 0)
        return reply.json(200, header(-2001, "The 'recipientList' must not be blank."));
      const requestId = `${new Date().toISOString().slice(0, 10).replaceAll('-', '')}${randomUUID().slice(0, 8)}`;
      const sendResults = recipients.map((recipient, index) => {
        const recipientNo = recipient.recipientNo ?? '';
        const valid = /^0\d{8,10}$/.test(recipientNo) || /^\+?[1-9]\d{6,14}$/.test(recipientNo);
        if (valid && record) {
          received.push({
            requestId,
            senderKey,
            templateCode: body.templateCode as string,
            recipientNo,
            templateParameter: recipient.templateParameter ?? {},
            headers: request.headers,
          });
        }
        return {
          recipientSeq: index + 1,
          recipientNo,
          resultCode: valid ? 0 : -2004,
          resultMessage: valid ? 'SUCCESS' : "The 'recipientNo' is invalid.",
          recipientGroupingKey: null,
        };
      });
      return reply.json(200, {
        ...header(0, 'SUCCESS'),
        message: { requestId, senderGroupingKey: null, sendResults },
      });
    },
  });

  return withScript(server, {
    baseUrl: server.origin,
    appKey,
    secretKey,
    senderKey,
    received,
    failNextWith(resultCode: number, resultMessage = `forced ${resultCode}`) {
      forced.push({ resultCode, resultMessage });
    },
  });
}
