export {
  currentTrace,
  newTraceUuid,
  runWithTrace,
  type TraceContext,
  traceUuidFromHeaders,
} from './trace.js';
