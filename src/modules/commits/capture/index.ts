export { CaptureError, type CaptureErrorCode, captureErrorCodes, isCaptureError } from './capture.errors.js';
export type {
  CaptureOptions,
  Change,
  ChangedFile,
  ChangedFileStatus,
  ChangeSource,
  FileEncoding,
  RepoInfo,
  SkippedFile,
} from './capture.types.js';
export { collectChange } from './collect-change.js';
export { createIgnoreMatcher, DEFAULT_IGNORE_PATTERNS, type IgnoreMatcher } from './ignore.js';
