/** Why a document could not be extracted: a closed list, each with a message a user can act on. */
export const extractionReasons = [
  'empty',
  'corrupt',
  'encrypted',
  'unsupported',
  'too_large',
  'no_text',
  'zip_bomb',
  'timeout',
] as const;

export type ExtractionReason = (typeof extractionReasons)[number];

/**
 * The one error extraction throws. `message` is written for the person who uploaded the file
 * ("the PDF is encrypted; remove the password and upload it again"); `cause` keeps the library
 * error for logs.
 */
export class ExtractionError extends Error {
  readonly reason: ExtractionReason;

  constructor(reason: ExtractionReason, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ExtractionError';
    this.reason = reason;
  }
}

export function isExtractionError(error: unknown): error is ExtractionError {
  return error instanceof ExtractionError;
}
