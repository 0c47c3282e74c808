export {
  allowlistFrom,
  describeRange,
  embeddedIPv4,
  type SpecialRange,
  specialRangeOf,
} from './address-policy.js';
export { classifyError, classifyHttp, maxRetryAfterMs, parseRetryAfter, summarize } from './classify.js';
export {
  type CheckedDestination,
  type CheckOptions,
  checkDestination,
  checkHost,
  type IsAllowed,
  type Resolve,
  shownUrl,
  systemResolve,
} from './destination.js';
export { DestinationRefusedError, OutboundError, type Refusal } from './outbound.errors.js';
export {
  createOutbound,
  type Outbound,
  type OutboundOptions,
  type OutboundRequestInit,
  type OutboundResponse,
} from './outbound.js';
