import { timestamp } from 'drizzle-orm/pg-core';

/** The `created_at` every module's tables carry: set by the database on insert. */
export const createdAtColumn = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** The `updated_at` column; services set it on every change. */
export const updatedAtColumn = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
