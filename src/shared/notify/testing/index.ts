export { type FakeKakao, type FakeKakaoOptions, type KakaoReceived, startFakeKakao } from './fake-kakao.js';
export {
  decryptPushPayload,
  type FakePushService,
  newPushSubscription,
  type PushReceived,
  type PushSubscriptionJson,
  startFakePushService,
  type TestPushSubscription,
} from './fake-push-service.js';
export { type FakeSlack, type FakeSlackOptions, type SlackReceived, startFakeSlack } from './fake-slack.js';
export {
  type FakeSmtp,
  type FakeSmtpOptions,
  type SmtpReceived,
  type SmtpScripted,
  startFakeSmtp,
} from './fake-smtp.js';
export { type FakeTwilio, startFakeTwilio, type TwilioReceived } from './fake-twilio.js';
export { type ParsedMail, parseMail } from './mime.js';
export {
  type FakeRequest,
  formBody,
  jsonBody,
  type Reply,
  type Scriptable,
  type Scripted,
  type ScriptedServer,
  type ScriptedServerOptions,
  startScriptedServer,
  withScript,
} from './scripted-server.js';
export {
  startWebhookReceiver,
  type WebhookReceived,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './webhook-receiver.js';
