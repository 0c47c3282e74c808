import { type ErrorCode, KeelError } from '../../../kernel/errors/index.js';

/**
 * Why a change could not be captured. Each code has a message written for the developer who ran
 * the command, and a kernel error code for the HTTP layer.
 */
export const captureErrorCodes = {
  /** The directory is not inside a git work tree. */
  not_a_repo: 'bad_request',
  /** `git` is not installed or not on PATH. */
  git_missing: 'unavailable',
  /** git refuses a repository owned by another user (`safe.directory`). */
  unsafe_repository: 'forbidden',
  merge_in_progress: 'conflict',
  rebase_in_progress: 'conflict',
  cherry_pick_in_progress: 'conflict',
  revert_in_progress: 'conflict',
  /** The index holds unresolved conflicts. */
  conflicts: 'conflict',
  /** Nothing changed. */
  empty: 'bad_request',
  /** A range end that is not a commit. */
  bad_revision: 'bad_request',
  /** A git command ran past its time limit. */
  timeout: 'unavailable',
  /** Any other git failure (the message carries git's own first line). */
  git_failed: 'internal',
} as const satisfies Record<string, ErrorCode>;

export type CaptureErrorCode = keyof typeof captureErrorCodes;

export class CaptureError extends Error {
  readonly code: CaptureErrorCode;

  constructor(code: CaptureErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CaptureError';
    this.code = code;
  }

  /** The same failure as the kernel's error, for services and routes (`details.reason` keeps the code). */
  toKeelError(): KeelError {
    return new KeelError(captureErrorCodes[this.code], this.message, {
      details: { reason: this.code },
      cause: this,
    });
  }
}

export function isCaptureError(error: unknown): error is CaptureError {
  return error instanceof CaptureError;
}
