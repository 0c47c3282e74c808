import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  type ErrorCode,
  errorCodes,
  type FieldError,
  isDatabaseUnavailable,
  KeelError,
} from '../errors/index.js';
import type { Log } from '../log/index.js';

/** RFC 9457 problem details, plus Keel's stable `code`, the trace and field errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance: string;
  trace_uuid: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const problemContentType = 'application/problem+json; charset=utf-8';

export function problemType(code: ErrorCode): string {
  return `urn:keel:problem:${code}`;
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: KeelError): FastifyReply {
  const { status, title } = errorCodes[error.code];
  const body: Problem = {
    ...error.details,
    type: problemType(error.code),
    title,
    status,
    detail: error.message,
    code: error.code,
    instance: request.url.split('?')[0] ?? request.url,
    trace_uuid: String(request.id),
  };
  const retryAfter = error.details?.retry_after_s;
  if (typeof retryAfter === 'number' && !reply.hasHeader('retry-after'))
    reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
  // Pre-serialized so a route's response schema never re-shapes (or rejects) an error body.
  return reply.code(status).type(problemContentType).send(JSON.stringify(body));
}

/**
 * Turns anything thrown while handling a request into a KeelError. Client mistakes that Fastify
 * detects itself (bad JSON, body too large, wrong content type) keep their 4xx meaning.
 */
export function toKeelError(error: unknown): KeelError {
  if (error instanceof KeelError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const errors = error.validation.map((v) => ({
      field: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'is invalid',
    }));
    const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return new KeelError('validation_failed', summary, { details: { errors } });
  }
  if (isDatabaseUnavailable(error)) {
    return new KeelError('db_unavailable', 'The database is unavailable; try again shortly.', {
      cause: error,
    });
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new KeelError('invalid_json', fastifyError.message ?? 'The body is not valid JSON.', {
        details: { errors: [{ field: 'body', message: 'is not valid JSON' }] },
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new KeelError('payload_too_large', 'The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new KeelError('unsupported_media_type', fastifyError.message ?? 'Unsupported content type.');
  }
  // SyntaxError from the JSON parser carries statusCode 400 (Fastify's FST_ERR_CTP_INVALID_JSON_BODY
  // is only used on some paths); any other 4xx Fastify raises is reported as a bad request.
  const status = fastifyError.statusCode;
  if (error instanceof SyntaxError && status === 400) {
    return new KeelError('invalid_json', `The body is not valid JSON: ${error.message}`, {
      details: { errors: [{ field: 'body', message: 'is not valid JSON' }] },
    });
  }
  if (status === 413) return new KeelError('payload_too_large', 'The request body is too large.');
  if (status === 415)
    return new KeelError('unsupported_media_type', fastifyError.message ?? 'Unsupported media type.');
  if (status !== undefined && status >= 400 && status < 500) {
    return new KeelError('bad_request', fastifyError.message ?? 'Bad request.');
  }
  return new KeelError('internal', 'An unexpected error occurred; it has been logged with this trace id.', {
    cause: error,
  });
}

export function errorHandler(log: Log) {
  return function keelErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
    const keelError = toKeelError(error);
    if (keelError.status >= 500) {
      log.error(
        { err: keelError.cause ?? keelError, code: keelError.code, url: request.url },
        'request failed',
      );
    }
    return sendProblem(request, reply, keelError);
  };
}
