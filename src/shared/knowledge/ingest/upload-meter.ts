import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { KeelError } from '../../../kernel/errors/index.js';
import type { DetectedType } from '../extract/index.js';
import { describeType, HEAD_BYTES, refusedByHead, TAIL_BYTES } from './upload-type.js';

/**
 * Sits between the uploaded file and storage: counts and hashes the bytes as they pass, keeps the
 * first and last few hundred KB for type detection, and fails the stream — so storage drops the
 * partial object and the rest of the upload is never read — as soon as the file passes the size
 * limit or its first bytes show a type no extractor reads.
 */
export class UploadMeter extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');
  private readonly headParts: Buffer[] = [];
  private headLength = 0;
  private tailParts: Buffer[] = [];
  private tailLength = 0;
  private headChecked = false;

  constructor(
    private readonly maxBytes: number,
    private readonly filename: string,
    /** For the 413 detail: "the 10 MB upload limit of the Free plan". */
    private readonly limitText: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(
        new KeelError('payload_too_large', `The file is larger than ${this.limitText}.`, {
          details: {
            limit_bytes: this.maxBytes,
            errors: [{ field: 'file', message: `is larger than ${this.limitText}` }],
          },
        }),
      );
      return;
    }
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headParts.push(part);
      this.headLength += part.length;
    }
    this.tailParts.push(chunk);
    this.tailLength += chunk.length;
    while (
      this.tailParts.length > 1 &&
      this.tailLength - (this.tailParts[0] as Buffer).length >= TAIL_BYTES
    ) {
      this.tailLength -= (this.tailParts.shift() as Buffer).length;
    }
    if (!this.headChecked && this.headLength >= HEAD_BYTES) {
      this.headChecked = true;
      const refused = refusedByHead(this.head(), this.filename);
      if (refused) {
        callback(unsupportedType(refused));
        return;
      }
    }
    callback(null, chunk);
  }

  head(): Buffer {
    return Buffer.concat(this.headParts);
  }

  tail(): Buffer {
    const all = Buffer.concat(this.tailParts);
    return all.subarray(Math.max(0, all.length - TAIL_BYTES));
  }

  /** SHA-256 of every byte, hex; call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

export function unsupportedType(type: DetectedType): KeelError {
  const what = describeType(type);
  return new KeelError(
    'unsupported_media_type',
    `The file is ${what}, which Keel cannot read; supported are PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), images (PNG, JPEG, GIF, WebP, BMP, TIFF), text, Markdown, HTML, CSV and JSON.`,
    { details: { detected_type: type.mime, errors: [{ field: 'file', message: `is ${what}` }] } },
  );
}
