import { z } from 'zod';
import { iso } from '../knowledge.http.js';
import type { ShareRow } from '../shares/shares.repository.js';
import type { BaseView } from './bases.service.js';

export const chunkStrategies = ['auto', 'fixed', 'paragraph', 'table'] as const;

export const baseSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  org_id: z.uuid().nullable().describe('the owning org; null for a personal base'),
  owner_user_id: z.uuid(),
  embedding_model: z.string().describe("llm's embedding space of the chunks (text, 1536 dimensions)"),
  chunk_strategy: z.enum(chunkStrategies),
  chunk_size: z.number().int(),
  chunk_overlap: z.number().int(),
  document_count: z.number().int(),
  chunk_count: z.number().int(),
  access: z.enum(['read', 'write', 'manage']).describe('what the caller may do with it'),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const settingsShape = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable(),
  chunk_strategy: z
    .enum(chunkStrategies)
    .describe('auto (tables by table, the rest by paragraph), fixed, paragraph or table'),
  chunk_size: z.number().int().min(50).max(8000).describe('tokens per chunk'),
  chunk_overlap: z
    .number()
    .int()
    .min(0)
    .max(7999)
    .describe('tokens repeated between fixed windows; below chunk_size'),
};

export const createBaseBody = z
  .object({
    ...settingsShape,
    description: settingsShape.description.optional(),
    chunk_strategy: settingsShape.chunk_strategy.optional(),
    chunk_size: settingsShape.chunk_size.optional(),
    chunk_overlap: settingsShape.chunk_overlap.optional(),
  })
  .strict();

export const updateBaseBody = z
  .object({
    name: settingsShape.name.optional(),
    description: settingsShape.description.optional(),
    chunk_strategy: settingsShape.chunk_strategy.optional(),
    chunk_size: settingsShape.chunk_size.optional(),
    chunk_overlap: settingsShape.chunk_overlap.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one setting to change' });

export function baseDto(base: BaseView): z.infer<typeof baseSchema> {
  return {
    id: base.id,
    name: base.name,
    description: base.description,
    org_id: base.orgId,
    owner_user_id: base.ownerUserId,
    embedding_model: base.embeddingModel,
    chunk_strategy: base.chunkStrategy,
    chunk_size: base.chunkSize,
    chunk_overlap: base.chunkOverlap,
    document_count: base.documentCount,
    chunk_count: base.chunkCount,
    access: base.access,
    created_at: iso(base.createdAt) as string,
    updated_at: iso(base.updatedAt) as string,
  };
}

export const shareSubject = {
  subject_kind: z.enum(['user', 'team']),
  subject_id: z.uuid(),
};

export const shareSchema = z.object({
  ...shareSubject,
  permission: z.enum(['read', 'write']),
  created_by: z.uuid().nullable(),
  created_at: z.iso.datetime(),
});

export const putShareBody = z.object({ ...shareSubject, permission: z.enum(['read', 'write']) }).strict();

export function shareDto(share: ShareRow): z.infer<typeof shareSchema> {
  return {
    subject_kind: share.subjectKind,
    subject_id: share.subjectId,
    permission: share.permission,
    created_by: share.createdBy,
    created_at: iso(share.createdAt) as string,
  };
}
