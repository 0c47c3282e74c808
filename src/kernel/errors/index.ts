export {
  type ErrorCode,
  errorCodes,
  type FieldError,
  isDatabaseUnavailable,
  isKeelError,
  KeelError,
} from './errors.js';
