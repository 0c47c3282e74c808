import { z } from 'zod';
import { classifyHttp, summarize } from '../outbound/classify.js';
import { type ChannelDeps, channelAdapter, e164, httpUrl, parseJson, parseSettings } from './adapter.js';
import type { ChannelAdapter, DeliveryOutcome } from './channel.types.js';

/** NHN Cloud KakaoTalk Bizmessage (AlimTalk): the app key, the Kakao channel's sender key, the secret key. */
export const kakaoSettingsSchemas = {
  config: z.object({
    baseUrl: httpUrl().default('https://api-alimtalk.cloud.toast.com'),
    appKey: z.string().min(1),
    senderKey: z.string().min(1),
  }),
  secrets: z.object({ secretKey: z.string().min(1) }),
};

interface NhnAnswer {
  header?: { resultCode?: number; resultMessage?: string; isSuccessful?: boolean };
  message?: { requestId?: string; sendResults?: { resultCode?: number; resultMessage?: string }[] };
}

/**
 * AlimTalk sends only templates registered with Kakao, so a message without `message.kakao`
 * fails at once. `POST {baseUrl}/alimtalk/v2.3/appkeys/{appKey}/messages` with `X-Secret-Key`;
 * NHN answers HTTP 200 with `header.isSuccessful` and a per-recipient `resultCode`.
 */
export function createKakaoChannel(config: unknown, secrets: unknown, deps: ChannelDeps): ChannelAdapter {
  const { config: c, secrets: s } = parseSettings('kakao', kakaoSettingsSchemas, config, secrets);
  const endpoint = `${c.baseUrl.replace(/\/$/, '')}/alimtalk/v2.3/appkeys/${encodeURIComponent(c.appKey)}/messages`;

  return channelAdapter('kakao', async function deliverKakao({ deliveryId, destination, message, signal }) {
    if (!message.kakao) return { status: 'failed', reason: 'no Kakao template for this notification' };
    if (!e164.test(destination))
      return { status: 'failed', reason: 'the destination is not an E.164 phone number' };
    const res = await deps.outbound.request(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', 'x-secret-key': s.secretKey },
      body: JSON.stringify({
        senderKey: c.senderKey,
        templateCode: message.kakao.templateCode,
        recipientList: [
          {
            recipientNo: nhnRecipientNo(destination),
            templateParameter: message.kakao.parameters,
            recipientGroupingKey: deliveryId.slice(0, 100),
          },
        ],
      }),
      signal,
      what: 'Kakao API URL',
    });
    const answer = parseJson(res.body) as NhnAnswer | undefined;
    if (res.status < 200 || res.status >= 300) {
      return classifyHttp(res.status, res.headers, answer?.header?.resultMessage ?? res.body);
    }
    if (!answer?.header)
      return { status: 'retry', reason: 'unreadable answer from NHN', httpStatus: res.status };
    if (!answer.header.isSuccessful) return nhnOutcome(answer.header.resultCode, answer.header.resultMessage);
    const result = answer.message?.sendResults?.[0];
    if (result && result.resultCode !== 0) return nhnOutcome(result.resultCode, result.resultMessage);
    const requestId = answer.message?.requestId;
    return {
      status: 'delivered',
      httpStatus: res.status,
      ...(requestId ? { providerMessageId: requestId } : {}),
    };
  });
}

/**
 * NHN result codes: -9000 and below are NHN's own system errors, so retry; every other code names
 * a problem a retry cannot fix — credentials (-1000 app key, -1001 secret key), the sender
 * profile (-1006, -1027, -2017), the template (-3003 missing, -3005 not approved), parameters
 * (-2xxx, -3xxx, -4000) — so failed.
 */
export function nhnOutcome(
  resultCode: number | undefined,
  resultMessage: string | undefined,
): DeliveryOutcome {
  const reason = `NHN AlimTalk ${resultCode ?? '?'}: ${summarize(resultMessage ?? '')}`;
  if (resultCode === undefined || resultCode <= -9000) return { status: 'retry', reason, httpStatus: 200 };
  return { status: 'failed', reason, httpStatus: 200 };
}

/**
 * NHN wants Korean numbers in domestic form (`+821012345678` → `01012345678`). Other numbers go
 * as E.164; AlimTalk is meant for Korean numbers, and NHN's answer (a parameter error) then
 * fails the delivery.
 */
export function nhnRecipientNo(destination: string): string {
  return destination.startsWith('+82') ? `0${destination.slice(3).replace(/^0/, '')}` : destination;
}
