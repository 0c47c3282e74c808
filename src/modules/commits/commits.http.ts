import { type OrgCaller, orgCallerOf } from '../../kernel/http/index.js';

/** RBAC actions of the Commits product. */
export const actions = {
  /** See repositories you may read, their requests, drafts and commits. */
  read: 'commits.read',
  /** Register repositories, request drafts, approve, reject, report commits. */
  write: 'commits.write',
} as const;

/** Who asks: the user, the org the request acts in, and whether they administer it. */
export type Caller = OrgCaller;
export const callerOf = orgCallerOf;

export const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();
