import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryRequest,
  describeHttpChannel,
  loopbackOutbound,
  sampleMessage,
} from '../testing/channel-contract.js';
import { type FakeKakao, startFakeKakao } from '../testing/fake-kakao.js';
import { createKakaoChannel, nhnOutcome, nhnRecipientNo } from './kakao.channel.js';

const kakaoMessage = sampleMessage({ kakao: { templateCode: 'BUILD_FAILED', parameters: { build: '42' } } });
const settings = (fake: FakeKakao, baseUrl = fake.baseUrl) => ({
  config: { baseUrl, appKey: fake.appKey, senderKey: fake.senderKey },
  secrets: { secretKey: fake.secretKey },
});

describeHttpChannel('kakao (NHN AlimTalk)', async () => {
  const fake = await startFakeKakao();
  const { config, secrets } = settings(fake);
  return {
    fake,
    adapter: createKakaoChannel(config, secrets, { outbound: loopbackOutbound() }),
    request: () => deliveryRequest('+821012345678', { message: kakaoMessage }),
    accepted: () => fake.received.length,
    aimedAt: (origin, outbound) => {
      const aimed = settings(fake, origin);
      return {
        adapter: createKakaoChannel(aimed.config, aimed.secrets, { outbound }),
        request: deliveryRequest('+821012345678', { message: kakaoMessage }),
      };
    },
  };
});

describe('kakao', () => {
  let fake: FakeKakao;
  const outbound = loopbackOutbound();
  beforeAll(async () => {
    fake = await startFakeKakao({ templates: ['BUILD_FAILED'] });
  });
  afterAll(async () => {
    await fake.close();
    outbound.close();
  });
  const adapter = (secretKey?: string) => {
    const { config, secrets } = settings(fake);
    return createKakaoChannel(config, secretKey ? { secretKey } : secrets, { outbound });
  };

  it('sends the template to the domestic number and keeps the request id', async () => {
    const outcome = await adapter().deliver(deliveryRequest('+821012345678', { message: kakaoMessage }));
    const sent = fake.received.at(-1);
    expect(outcome).toMatchObject({ status: 'delivered', providerMessageId: sent?.requestId });
    expect(sent).toMatchObject({
      recipientNo: '01012345678',
      templateCode: 'BUILD_FAILED',
      templateParameter: { build: '42' },
    });
  });

  it('fails without a template, with a bad key or an unknown template; retries system errors', async () => {
    expect(await adapter().deliver(deliveryRequest('+821012345678'))).toEqual({
      status: 'failed',
      reason: 'no Kakao template for this notification',
    });
    expect(
      await adapter('wrong').deliver(deliveryRequest('+821012345678', { message: kakaoMessage })),
    ).toMatchObject({
      status: 'failed',
      reason: 'NHN AlimTalk -1001: Invalid secretKey.',
    });
    const unknown = sampleMessage({ kakao: { templateCode: 'NOPE', parameters: {} } });
    expect(await adapter().deliver(deliveryRequest('+821012345678', { message: unknown }))).toMatchObject({
      status: 'failed',
      reason: 'NHN AlimTalk -3003: Template does not exist.',
    });
    fake.failNextWith(-9999, 'System error');
    expect(
      await adapter().deliver(deliveryRequest('+821012345678', { message: kakaoMessage })),
    ).toMatchObject({
      status: 'retry',
    });
  });

  it('converts Korean numbers to the domestic form', () => {
    expect(nhnRecipientNo('+821012345678')).toBe('01012345678');
    expect(nhnRecipientNo('+8201012345678')).toBe('01012345678');
    expect(nhnRecipientNo('+15017122661')).toBe('+15017122661');
    expect(nhnOutcome(-2001, 'blank')).toMatchObject({ status: 'failed' });
  });
});
