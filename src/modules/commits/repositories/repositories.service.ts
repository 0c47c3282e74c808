import { randomUUID } from 'node:crypto';
import type { Database } from '../../../kernel/db/index.js';
import { invalidFields, isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import { orgOfTeam, teamIdsOfUser } from '../../../shared/identity/index.js';
import type { Caller } from '../commits.http.js';
import { validateRules } from '../rules/index.js';
import { validateConvention } from '../style/index.js';
import { type Level, levelOf, requireLevel } from './access.js';
import {
  accessOf,
  deleteAccess,
  deleteRepository,
  findRepository,
  insertRepository,
  listVisible,
  putAccess,
  type RepositoryRow,
  teamLevels,
  updateRepository,
} from './repositories.repository.js';

export interface RepositoryInput {
  name: string;
  remoteUrl?: string | null;
  defaultBranch?: string | null;
  convention?: Record<string, unknown>;
  language?: 'ko' | 'en' | null;
  rules?: unknown[];
  ignorePatterns?: string[];
}

export interface RepositoryWithLevel {
  repository: RepositoryRow;
  level: Exclude<Level, 'none'>;
}

/**
 * Repositories of the Commits product and who reaches them (seed 000 `04_repo/01_repo_main`,
 * `04_team_repository_access`). A repository is created in the org the caller acts in (or as a
 * personal one); its convention and rules are validated here so a bad one is refused with the
 * field that is wrong, never stored.
 */
export interface Repositories {
  create(caller: Caller, input: RepositoryInput): Promise<RepositoryWithLevel>;
  list(caller: Caller): Promise<RepositoryWithLevel[]>;
  /** The repository and the caller's level; 404 when they cannot see it, 403 below `needed`. */
  get(caller: Caller, id: string, needed?: Exclude<Level, 'none'>): Promise<RepositoryWithLevel>;
  update(caller: Caller, id: string, changes: Partial<RepositoryInput>): Promise<RepositoryWithLevel>;
  remove(caller: Caller, id: string): Promise<void>;
  access(caller: Caller, id: string): Promise<Array<{ teamId: string; level: Exclude<Level, 'none'> }>>;
  grant(caller: Caller, id: string, teamId: string, level: Exclude<Level, 'none'>): Promise<void>;
  revoke(caller: Caller, id: string, teamId: string): Promise<void>;
}

export const DEFAULT_CONVENTION = { kind: 'conventional' } as const;

function validated(input: Partial<RepositoryInput>): void {
  const errors: Array<{ field: string; message: string }> = [];
  if (input.convention !== undefined) {
    for (const e of validateConvention(input.convention))
      errors.push({ field: e.field === '' ? 'convention' : `convention.${e.field}`, message: e.message });
  }
  if (input.rules !== undefined) {
    for (const e of validateRules(input.rules)) errors.push({ field: e.field, message: e.message });
  }
  if (errors.length > 0) throw invalidFields(errors);
}

export function createRepositories(db: Database): Repositories {
  async function levelFor(caller: Caller, repo: RepositoryRow): Promise<Level> {
    const teams =
      repo.orgId !== null && caller.orgId === repo.orgId ? await teamIdsOfUser(db, caller.userId) : [];
    return levelOf(repo, caller, await teamLevels(db, repo.id, teams));
  }

  async function get(caller: Caller, id: string, needed: Exclude<Level, 'none'> = 'R') {
    const repository = await findRepository(db, id);
    const level = repository ? await levelFor(caller, repository) : 'none';
    requireLevel(level, needed);
    return { repository: repository as RepositoryRow, level: level as Exclude<Level, 'none'> };
  }

  return {
    async create(caller, input) {
      validated(input);
      const repository = await insertRepository(db, {
        id: randomUUID(),
        orgId: caller.orgId,
        ownerUserId: caller.userId,
        name: input.name,
        remoteUrl: input.remoteUrl ?? null,
        defaultBranch: input.defaultBranch ?? null,
        convention: input.convention ?? { ...DEFAULT_CONVENTION },
        language: input.language ?? null,
        rules: input.rules ?? [],
        ignorePatterns: input.ignorePatterns ?? [],
      });
      if (!repository) {
        throw invalidFields(
          [{ field: 'name', message: `a repository named "${input.name}" already exists here` }],
          'conflict',
        );
      }
      return { repository, level: 'A' };
    },

    async list(caller) {
      const teamIds = caller.orgId ? await teamIdsOfUser(db, caller.userId) : [];
      const rows = await listVisible(db, { ...caller, teamIds });
      const out: RepositoryWithLevel[] = [];
      for (const repository of rows) {
        const level = levelOf(repository, caller, await teamLevels(db, repository.id, teamIds));
        if (level !== 'none') out.push({ repository, level });
      }
      return out;
    },

    get,

    async update(caller, id, changes) {
      await get(caller, id, 'A');
      validated(changes);
      try {
        const repository = await updateRepository(db, id, changes);
        if (!repository) throw new KeelError('not_found', 'No such repository.');
        return { repository, level: 'A' };
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw invalidFields(
            [{ field: 'name', message: `a repository named "${changes.name}" already exists here` }],
            'conflict',
          );
        }
        throw error;
      }
    },

    async remove(caller, id) {
      await get(caller, id, 'A');
      await deleteRepository(db, id);
    },

    async access(caller, id) {
      await get(caller, id, 'R');
      return accessOf(db, id);
    },

    async grant(caller, id, teamId, level) {
      const { repository } = await get(caller, id, 'A');
      if (repository.orgId === null) {
        throw invalidFields([
          { field: 'team_id', message: 'a personal repository cannot be shared with teams' },
        ]);
      }
      if ((await orgOfTeam(db, teamId)) !== repository.orgId) {
        throw invalidFields([{ field: 'team_id', message: "no such team in the repository's org" }]);
      }
      await putAccess(db, id, teamId, level);
    },

    async revoke(caller, id, teamId) {
      await get(caller, id, 'A');
      if (!(await deleteAccess(db, id, teamId)))
        throw new KeelError('not_found', 'That team has no access to remove.');
    },
  };
}
