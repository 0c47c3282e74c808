/**
 * Keel's one error type. Services throw KeelError with a code from this closed list; the HTTP
 * layer maps the code to a status and an RFC 9457 problem+json body. Every code is documented
 * in docs/errors.md (a test checks).
 */
export const errorCodes = {
  bad_request: { status: 400, title: 'Bad request' },
  invalid_json: { status: 400, title: 'Malformed JSON body' },
  validation_failed: { status: 400, title: 'Validation failed' },
  unauthorized: { status: 401, title: 'Authentication required' },
  budget_exceeded: { status: 402, title: 'Budget exceeded' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  upstream_failed: { status: 502, title: 'Upstream service failed' },
  unavailable: { status: 503, title: 'Service unavailable' },
  db_unavailable: { status: 503, title: 'Database unavailable' },
  shutting_down: { status: 503, title: 'Shutting down' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  /** Dotted path of the offending field, prefixed by where it was: `body.name`, `query.limit`. */
  field: string;
  message: string;
}

export class KeelError extends Error {
  readonly code: ErrorCode;
  readonly details: { errors?: FieldError[]; [key: string]: unknown } | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: KeelError['details']; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'KeelError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

/**
 * A 400 naming the fields that are wrong; the message leads with the first.
 *
 * @example
 * throw invalidFields([{ field: 'name', message: 'is already taken' }]);
 */
export function invalidFields(
  errors: readonly FieldError[],
  code: ErrorCode = 'validation_failed',
): KeelError {
  const [first] = errors;
  return new KeelError(code, first ? `${first.field}: ${first.message}` : 'The request is not valid.', {
    details: { errors: [...errors] },
  });
}

export function isKeelError(error: unknown): error is KeelError {
  return error instanceof KeelError;
}

// SQLSTATE classes and socket errors that mean "the database is not there right now",
// as opposed to a bad query. 57P01-03: admin shutdown / crash shutdown / cannot connect now.
const unavailableSqlStates = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const unavailableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);

/** True when `error` says the database could not be reached (so: 503, retry later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (unavailableSqlStates.has(code) || unavailableSocketCodes.has(code)))
      return true;
    const message = (e as { message?: unknown }).message;
    if (
      typeof message === 'string' &&
      /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
        message,
      )
    ) {
      return true;
    }
  }
  return false;
}

/**
 * True when `error` is PostgreSQL's unique violation (23505), on `constraint` when one is named
 * (an error without a constraint name still counts: some drivers omit it).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown };
  if (e.code !== '23505') return false;
  return constraint === undefined || e.constraint === undefined || e.constraint === constraint;
}
