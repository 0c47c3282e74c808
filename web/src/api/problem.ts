/** One field the server refused, named as `body.x`, `querystring.y`, `params.z` (docs/errors.md). */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details as Keel sends them (`code` is stable; `detail` is for people). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  trace_uuid?: string;
  [extension: string]: unknown;
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).code === 'string' &&
    typeof (value as Problem).detail === 'string'
  );
}

/** The server answered, and not with a 2xx. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fieldErrors: readonly FieldError[];
  readonly traceUuid: string | undefined;
  readonly problem: Problem | undefined;

  constructor(status: number, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    const detail = problem?.detail ?? `The server answered ${status}.`;
    super(detail);
    this.status = status;
    this.problem = problem;
    this.code = problem?.code ?? 'http_error';
    this.detail = detail;
    this.fieldErrors = problem?.errors ?? [];
    this.traceUuid = problem?.trace_uuid;
  }

  /** The message for one field (`body.username`), when the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }
}

/** The request never got an answer: offline, server down, connection reset. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(cause: unknown) {
    super('The server could not be reached.', { cause });
  }
}

/** What a form shows: messages next to the fields the server named, the rest above the form. */
export function formErrors(
  error: unknown,
  fields: readonly string[],
): { byField: Record<string, string>; general: string | undefined } {
  if (!(error instanceof ApiError)) {
    return { byField: {}, general: error instanceof Error ? error.message : undefined };
  }
  const byField: Record<string, string> = {};
  for (const e of error.fieldErrors) if (fields.includes(e.field)) byField[e.field] ??= e.message;
  const named = Object.keys(byField).length > 0;
  const unnamed = error.fieldErrors.some((e) => !fields.includes(e.field));
  return { byField, general: !named || unnamed ? error.detail : undefined };
}
