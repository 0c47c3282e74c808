import type { Database } from '../../../kernel/db/index.js';
import { isUniqueViolation, KeelError } from '../../../kernel/errors/index.js';
import { builtinTemplates } from './builtin.js';
import { checkTemplate, type Locale, type TemplateSource } from './render.js';
import {
  insertTemplateVersion,
  latestTemplates,
  listTemplateVersions,
  templateVersion,
} from './templates.repository.js';

/**
 * Named, versioned templates in Korean and English. A send pins the version it rendered, so a
 * retry an hour later says what the first attempt said even if an admin has saved a new version.
 *
 * @example
 * const source = await templates.current('notify.test', 'ko'); // newest ko version, else built-in
 * const same = await templates.version('notify.test', 'ko', source.version);
 */
export interface Templates {
  /** The newest version in `locale`, else in the other locale; throws not_found for an unknown name. */
  current(name: string, locale: Locale): Promise<TemplateSource>;
  version(name: string, locale: Locale, version: number): Promise<TemplateSource>;
  save(input: Omit<TemplateSource, 'version'> & { createdBy: string | null }): Promise<TemplateSource>;
  list(name?: string): Promise<Array<TemplateSource & { createdAt: Date | null }>>;
}

/** Long enough to spare the database on a burst of sends, short enough for other processes. */
const CURRENT_TTL_MS = 5_000;

export function createTemplates(db: Database): Templates {
  const current = new Map<string, { at: number; sources: TemplateSource[] }>();
  // Versions never change once stored: cached for the life of the process (bounded).
  const versions = new Map<string, TemplateSource>();

  async function sourcesOf(name: string): Promise<TemplateSource[]> {
    const cached = current.get(name);
    if (cached && performance.now() - cached.at < CURRENT_TTL_MS) return cached.sources;
    const stored = await latestTemplates(db, name);
    const builtin = builtinTemplates.filter((t) => t.name === name);
    const sources = (['ko', 'en'] as const).flatMap((locale) => {
      const found = stored.find((t) => t.locale === locale) ?? builtin.find((t) => t.locale === locale);
      return found ? [found] : [];
    });
    current.set(name, { at: performance.now(), sources });
    return sources;
  }

  return {
    async current(name, locale) {
      const sources = await sourcesOf(name);
      const source = sources.find((t) => t.locale === locale) ?? sources[0];
      if (!source) {
        throw new KeelError('not_found', `template: there is no template named "${name}"`, {
          details: { errors: [{ field: 'template', message: `there is no template named "${name}"` }] },
        });
      }
      return source;
    },

    async version(name, locale, version) {
      const key = `${name}\u0000${locale}\u0000${version}`;
      const cached = versions.get(key);
      if (cached) return cached;
      const source =
        version === 0
          ? builtinTemplates.find((t) => t.name === name && t.locale === locale)
          : await templateVersion(db, name, locale, version);
      if (!source)
        throw new KeelError('not_found', `template ${name} v${version} (${locale}) no longer exists`);
      if (versions.size > 1000) versions.clear();
      versions.set(key, source);
      return source;
    },

    async save(input) {
      checkTemplate(input);
      try {
        const saved = await insertTemplateVersion(db, input);
        current.delete(input.name);
        return saved;
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new KeelError(
            'conflict',
            `template ${input.name} (${input.locale}) was saved at the same moment; try again`,
          );
        }
        throw error;
      }
    },

    async list(name) {
      const stored = await listTemplateVersions(db, name);
      const builtin = builtinTemplates
        .filter((t) => name === undefined || t.name === name)
        .map((t) => ({ ...t, createdAt: null }));
      return [...stored, ...builtin];
    },
  };
}
