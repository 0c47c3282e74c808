import { z } from 'zod';

/** Shared pieces of knowledge's routes. */

export const actions = {
  /** See bases and their documents, chunks and exports. */
  read: 'knowledge.read',
  /** Create and change bases; upload, delete and restore documents; share. */
  write: 'knowledge.write',
  search: 'knowledge.search',
} as const;

export const idParams = z.object({ id: z.uuid() });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional().describe('next_cursor of the previous page'),
});

export const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();
