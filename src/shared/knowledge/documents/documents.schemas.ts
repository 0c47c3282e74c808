import { z } from 'zod';
import { iso } from '../knowledge.http.js';
import type { ChunkRow, DocumentRow } from './documents.repository.js';
import { locationLabel } from './export.js';

export const documentStatuses = ['pending', 'processing', 'completed', 'failed'] as const;

export const documentSchema = z.object({
  id: z.uuid(),
  knowledge_base_id: z.uuid(),
  org_id: z.uuid().nullable(),
  owner_user_id: z.uuid().describe('who uploaded it'),
  filename: z.string(),
  mime_type: z.string().describe('detected from the content, not from the name'),
  size_bytes: z.number().int(),
  content_hash: z.string().describe('SHA-256 of the bytes'),
  status: z.enum(documentStatuses),
  progress: z.number().int().min(0).max(100),
  failure_code: z
    .string()
    .nullable()
    .describe(
      'why it failed: empty, corrupt, encrypted, unsupported, too_large, no_text, zip_bomb, timeout, file_missing, internal',
    ),
  failure_reason: z.string().nullable().describe('the same, in words for the uploader'),
  page_count: z.number().int().nullable(),
  sheet_count: z.number().int().nullable(),
  slide_count: z.number().int().nullable(),
  chunk_count: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
  processed_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  deleted_at: z.iso.datetime().nullable().describe('set while the document is in the trash'),
});

export function documentDto(doc: DocumentRow): z.infer<typeof documentSchema> {
  return {
    id: doc.id,
    knowledge_base_id: doc.knowledgeBaseId,
    org_id: doc.orgId,
    owner_user_id: doc.ownerUserId,
    filename: doc.filename,
    mime_type: doc.mimeType,
    size_bytes: Number(doc.sizeBytes),
    content_hash: doc.contentHash,
    status: doc.status,
    progress: doc.progress,
    failure_code: doc.failureCode,
    failure_reason: doc.failureReason,
    page_count: doc.pageCount,
    sheet_count: doc.sheetCount,
    slide_count: doc.slideCount,
    chunk_count: doc.chunkCount,
    metadata: doc.metadata ?? {},
    processed_at: iso(doc.processedAt),
    created_at: iso(doc.createdAt) as string,
    updated_at: iso(doc.updatedAt) as string,
    deleted_at: iso(doc.deletedAt),
  };
}

/** Where a chunk came from (see ChunkLocation): one of these shapes. */
export const locationSchema = z.union([
  z.object({ page: z.number().int(), pages: z.tuple([z.number().int(), z.number().int()]).optional() }),
  z.object({ sheet: z.string(), range: z.string() }),
  z.object({
    slide: z.number().int(),
    part: z.enum(['body', 'notes']),
    slides: z.tuple([z.number().int(), z.number().int()]).optional(),
  }),
  z.object({ image: z.literal(true) }),
  z.object({ line: z.number().int() }),
]);

export const chunkSchema = z.object({
  id: z.uuid(),
  ordinal: z.number().int(),
  kind: z.enum(['text', 'table', 'image-caption']),
  location: locationSchema,
  label: z.string().describe('the location as a citation: "page 12", "Sheet2!A1:D40"'),
  text: z.string(),
  token_count: z.number().int(),
});

export function chunkDto(chunk: ChunkRow): z.infer<typeof chunkSchema> {
  return {
    id: chunk.id,
    ordinal: chunk.ordinal,
    kind: chunk.kind,
    location: chunk.location,
    label: locationLabel(chunk.location),
    text: chunk.text,
    token_count: chunk.tokenCount,
  };
}
