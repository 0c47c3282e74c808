import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isKeelError, KeelError } from '../../../kernel/errors/index.js';
import { isUuid } from '../../../kernel/ids.js';
import { callerOf } from '../bases/caller.js';
import type { DocumentRow } from '../documents/documents.repository.js';
import { documentDto, documentSchema } from '../documents/documents.schemas.js';
import { actions } from '../knowledge.http.js';
import type { UploadLimit, Uploads } from './upload.js';

const fieldError = (field: string, message: string) =>
  new KeelError('validation_failed', `${field}: ${message}`, { details: { errors: [{ field, message }] } });

/** @fastify/multipart's errors, as Keel's. */
function multipartError(error: unknown, limit: UploadLimit): unknown {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new KeelError('payload_too_large', `The file is larger than ${limit.text}.`, {
        details: {
          limit_bytes: limit.maxBytes,
          errors: [{ field: 'file', message: `is larger than ${limit.text}` }],
        },
      });
    case 'FST_FILES_LIMIT':
      return fieldError('file', 'send one file per upload');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return fieldError('body', 'send the fields knowledge_base_id (optional) and file, nothing else');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new KeelError(
        'unsupported_media_type',
        'Send the file as multipart/form-data (a part named "file").',
      );
    case 'FST_PROTO_VIOLATION':
      return fieldError('body', 'has a field name that is not allowed');
    default:
      return error;
  }
}

/** `POST /api/documents/upload`: one file, streamed to storage; 202 with the pending document. */
export function uploadRoutes(uploads: Uploads): FastifyPluginAsyncZod {
  return async function knowledgeUploadPlugin(app) {
    app.post(
      '/documents/upload',
      {
        config: { action: actions.write },
        schema: {
          tags: ['knowledge'],
          summary:
            'Upload a document (multipart/form-data: optional field knowledge_base_id, then the part "file")',
          description: [
            'The file is streamed to storage, never held in memory; its type is detected from its content.',
            'Without knowledge_base_id (form field before the file, or query parameter) it goes to your',
            'default personal base, made on your first upload. Answers 202 with the document (status',
            'pending); follow it with GET /api/documents/:id or its /events stream.',
            '400 empty file or bad field, 404 unknown base, 409 same content already in the base (the',
            'detail names the document), 413 larger than your plan allows, 415 a type Keel cannot read,',
            '429 daily upload allowance used up.',
          ].join(' '),
          consumes: ['multipart/form-data'],
          querystring: z.object({ knowledge_base_id: z.uuid().optional() }),
          response: { 202: documentSchema },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        let knowledgeBaseId = request.query.knowledge_base_id ?? null;
        if (knowledgeBaseId) await uploads.checkBase(caller, knowledgeBaseId);
        const limit = await uploads.limit(caller);
        let created: DocumentRow | null = null;
        try {
          if (!request.isMultipart()) {
            throw new KeelError(
              'unsupported_media_type',
              'Send the file as multipart/form-data (a part named "file").',
            );
          }
          const parts = request.parts({
            // One byte over the limit is how the meter learns the file is too large.
            limits: { fileSize: limit.maxBytes + 1, files: 1, fields: 4, fieldSize: 1000, parts: 5 },
          });
          for await (const part of parts) {
            if (part.type === 'field') {
              if (part.fieldname !== 'knowledge_base_id') continue;
              if (created) throw fieldError('knowledge_base_id', 'must come before the file part');
              const value = String(part.value).trim();
              if (!isUuid(value))
                throw fieldError('knowledge_base_id', 'must be a knowledge base id (a uuid)');
              knowledgeBaseId = value.toLowerCase();
              await uploads.checkBase(caller, knowledgeBaseId);
              continue;
            }
            if (part.fieldname !== 'file') {
              part.file.resume();
              throw fieldError(part.fieldname, 'is not expected; send the document in a part named "file"');
            }
            // A name to show, never a path: some clients send the whole path; control characters go.
            const filename =
              (part.filename ?? '')
                .split(/[\\/]/)
                .pop()
                ?.replace(/\p{Cc}/gu, '')
                .normalize('NFC')
                .trim()
                .slice(0, 500) || 'upload';
            created = await uploads.receive({
              caller,
              knowledgeBaseId,
              filename,
              file: part.file as Readable,
              limit,
            });
          }
        } catch (error) {
          // A refused request keeps nothing: a file it already delivered is taken back.
          if (created) await uploads.discard(created);
          // The rest of the request may be unread (a refused file is not drained): close the connection.
          reply.header('connection', 'close');
          const mapped = multipartError(error, limit);
          throw isKeelError(mapped) ? mapped : error;
        }
        if (!created) {
          reply.header('connection', 'close');
          throw fieldError('file', 'is required (a multipart part named "file")');
        }
        return reply.code(202).send(documentDto(created));
      },
    );
  };
}
