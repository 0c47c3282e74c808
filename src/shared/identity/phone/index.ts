export { type PhoneConfig, phoneConfigFrom } from './phone.config.js';
export { type PhoneAuthOptions, phoneAuthRoutes } from './phone.routes.js';
export {
  createPhoneSignIn,
  defaultPhoneLimits,
  type PhoneCodeSent,
  type PhoneRateLimit,
  type PhoneSignIn,
  type PhoneSignInLimits,
} from './phone.service.js';
export { normalizePhone, phoneNumberSchema } from './phone-number.js';
export {
  consoleSmsProvider,
  httpSmsProvider,
  SmsDeliveryError,
  type SmsProvider,
  smsProviderFrom,
} from './sms.js';
