import { bigserial, index, integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The kernel's own schema. Migration bookkeeping lives apart, in `keel_meta.schema_migrations`. */
export const kernelSchema = pgSchema('kernel');

/** Every process that competes for scheduler leadership (role scheduler or all), with its heartbeat. */
export const nodes = kernelSchema.table(
  'nodes',
  {
    id: uuid('id').primaryKey(),
    hostname: text('hostname').notNull(),
    pid: integer('pid').notNull(),
    role: text('role').notNull(),
    version: text('version').notNull(),
    /** PostgreSQL backend pid of the node's leader-election connection. */
    backendPid: integer('backend_pid'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
  },
  (t) => [index('nodes_heartbeat_idx').on(t.heartbeatAt)],
);

/** Every change of scheduler leadership: who took it, from whom, and why. */
export const leadershipEvents = kernelSchema.table(
  'leadership_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    nodeId: uuid('node_id').notNull(),
    /** acquired | released | lost */
    event: text('event').notNull(),
    previousNodeId: uuid('previous_node_id'),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('leadership_events_at_idx').on(t.at)],
);

/** Progress of `keel keys rotate`: re-wrapping every ciphertext under the newest key. */
export const keyRotations = kernelSchema.table('key_rotations', {
  id: uuid('id').primaryKey(),
  targetKeyId: text('target_key_id').notNull(),
  /** running | completed | failed */
  status: text('status').notNull(),
  rowsRewrapped: integer('rows_rewrapped').notNull().default(0),
  error: text('error'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
