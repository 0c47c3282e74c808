export {
  type ErrorCode,
  errorCodes,
  type FieldError,
  isDatabaseUnavailable,
  isKeelError,
  isUniqueViolation,
  KeelError,
} from './errors.js';
