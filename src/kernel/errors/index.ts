export {
  type ErrorCode,
  errorCodes,
  type FieldError,
  invalidFields,
  isDatabaseUnavailable,
  isKeelError,
  isUniqueViolation,
  KeelError,
} from './errors.js';
