import { KeelError } from '../../../kernel/errors/index.js';
import type { Caller } from '../commits.http.js';

/**
 * Seed 000 `04_team_repository_access`: R reads requests and drafts, W also requests drafts,
 * approves and reports commits, A also changes the repository's settings and access.
 */
export type Level = 'none' | 'R' | 'W' | 'A';

const rank: Record<Level, number> = { none: 0, R: 1, W: 2, A: 3 };

export function atLeast(level: Level, needed: Exclude<Level, 'none'>): boolean {
  return rank[level] >= rank[needed];
}

/**
 * A personal repository: its owner administers it. An org repository: the owner (acting in the
 * org) and the org's admins administer it; other members reach it only through their teams'
 * access. Another org's repository is invisible (404), never forbidden.
 */
export function levelOf(
  repo: { orgId: string | null; ownerUserId: string },
  caller: Caller,
  teamLevels: readonly Level[],
): Level {
  if (repo.orgId === null) return repo.ownerUserId === caller.userId ? 'A' : 'none';
  if (caller.orgId !== repo.orgId) return 'none';
  if (repo.ownerUserId === caller.userId || caller.orgAdmin) return 'A';
  return teamLevels.reduce<Level>((best, l) => (rank[l] > rank[best] ? l : best), 'none');
}

export function requireLevel(level: Level, needed: Exclude<Level, 'none'>): void {
  if (level === 'none') throw new KeelError('not_found', 'No such repository.');
  if (!atLeast(level, needed)) {
    throw new KeelError(
      'forbidden',
      needed === 'A'
        ? "Only the repository's owner, an org admin or a team with admin access may change its settings."
        : 'Your teams may read this repository but not request drafts or approve them.',
    );
  }
}
