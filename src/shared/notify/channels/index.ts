export { ChannelConfigError, type ChannelDeps } from './adapter.js';
export type {
  ChannelAdapter,
  ChannelKind,
  DeliveryOutcome,
  DeliveryRequest,
  RenderedMessage,
} from './channel.types.js';
export { channelKinds } from './channel.types.js';
export { channelSettingsSchemas, createChannel, type ExternalChannelKind } from './channels.js';
export { createEmailChannel, emailSettingsSchemas } from './email.channel.js';
export { createKakaoChannel, kakaoSettingsSchemas, nhnRecipientNo } from './kakao.channel.js';
export { createSlackChannel, slackSettingsSchemas } from './slack.channel.js';
export { createSmsChannel, smsSettingsSchemas } from './sms.channel.js';
export { createWebhookChannel, webhookSettingsSchemas } from './webhook.channel.js';
export {
  newWebhookSecret,
  signWebhook,
  type VerifyOptions,
  verifyWebhook,
  type WebhookVerification,
} from './webhook-signature.js';
export {
  createWebpushChannel,
  newVapidKeys,
  pushSubscriptionSchema,
  webpushSettingsSchemas,
} from './webpush.channel.js';
