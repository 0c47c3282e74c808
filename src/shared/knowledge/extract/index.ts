export { type DetectedKind, type DetectedType, detectType, MIME } from './detect.js';
export {
  ExtractionError,
  type ExtractionReason,
  extractionReasons,
  isExtractionError,
} from './extract.errors.js';
export { defaultLimits, type ExtractionLimits } from './extract.limits.js';
export type {
  Block,
  DocumentKind,
  ExtractedDocument,
  ExtractOptions,
  Location,
  OcrOptions,
  TableData,
} from './extract.types.js';
export { extractDocument, SUPPORTED_MIME_TYPES } from './extract-document.js';
export { DEBIAN_KOREAN_DATA } from './formats/image.js';
export { rowText, tableText } from './table.js';
