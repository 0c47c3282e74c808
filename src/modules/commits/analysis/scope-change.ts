import { analyzeFile, type FileDiff, type FileFacts, fileKind } from '../../../shared/llm/index.js';
import type { Change, ChangedFile, SkippedFile } from '../capture/index.js';
import { scopeCandidates, typeCandidates } from './candidates.js';
import { type FileScope, scopeFile } from './file-scope.js';
import { type LoadedLanguage, loadLanguage } from './grammars.js';
import { type AnalysisLanguage, analysisLanguageOf } from './languages.js';
import { rank } from './rank.js';
import { elementRelations, importedFiles } from './relations.js';
import type { Relation, Scoping } from './scoping.types.js';
import { groupThemes } from './themes.js';

export interface ScopeOptions {
  /** How many elements `top` keeps. Default 10. */
  topN?: number;
  /** How many themes at most. Default 3. */
  maxThemes?: number;
}

/** Loads the grammars a change needs; a grammar that fails to load leaves its files to hunks. */
async function languagesFor(files: readonly ChangedFile[]): Promise<Map<AnalysisLanguage, LoadedLanguage>> {
  const wanted = new Set<AnalysisLanguage>();
  for (const f of files) {
    const language = analysisLanguageOf(f.path);
    if (language && !f.binary && !f.submodule && (f.newText !== undefined || f.oldText !== undefined))
      wanted.add(language);
  }
  const loaded = new Map<AnalysisLanguage, LoadedLanguage>();
  await Promise.all(
    [...wanted].map(async (name) => {
      const language = await loadLanguage(name).catch(() => null);
      if (language) loaded.set(name, language);
    }),
  );
  return loaded;
}

/** A skipped lock file or manifest still tells the type (`chore(deps)`): facts without lines. */
function skippedFacts(skipped: readonly SkippedFile[]): FileFacts[] {
  return skipped
    .filter((s) => ['lockfile', 'manifest'].includes(fileKind(s.path)))
    .map((s) => {
      const diff: FileDiff = {
        oldPath: s.oldPath ?? s.path,
        newPath: s.path,
        path: s.path,
        status:
          s.status === 'added' || s.status === 'deleted' || s.status === 'renamed' ? s.status : 'modified',
        similarity: null,
        binary: false,
        hunks: [],
        added: [],
        removed: [],
      };
      return analyzeFile(diff);
    });
}

/**
 * Scopes a captured change: which functions, methods and classes changed and how, how they relate,
 * the ten that matter most, up to three themes, and type and scope candidates for the message.
 *
 * @example
 * const change = await collectChange(repo, { kind: 'working-tree' });
 * const scoping = await scopeChange(change);
 * scoping.top[0]; // { id: 'src/parser/header.ts::parseHeader', kind: 'modified', guardAdded: true, … }
 * scoping.scopeCandidates[0]; // { value: 'parser', confidence: 0.8, … }
 */
export async function scopeChange(change: Change, options: ScopeOptions = {}): Promise<Scoping> {
  const started = performance.now();
  const languages = await languagesFor(change.files);
  const scopes: FileScope[] = change.files.map((file) => {
    const name = analysisLanguageOf(file.path);
    const language = name ? (languages.get(name) ?? null) : null;
    return scopeFile(
      file,
      language,
      name && !language ? `the ${name} grammar could not be loaded` : undefined,
    );
  });
  const files = scopes.map((s) => s.file);
  const elements = scopes.flatMap((s) => s.elements);

  const relations: Relation[] = elementRelations(elements);
  const paths = change.files.map((f) => f.path);
  if (paths.length > 1)
    for (const file of change.files) {
      const text = file.newText ?? file.oldText ?? file.diff.added.join('\n');
      for (const to of importedFiles(file.path, analysisLanguageOf(file.path), text, paths))
        relations.push({ kind: 'imports', from: file.path, to });
    }

  const ranked = rank(elements);
  const facts = new Map<string, FileFacts>();
  for (const file of change.files) facts.set(file.path, analyzeFile(file.diff));
  const allFacts = [...facts.values(), ...skippedFacts(change.skipped)];
  const themes = groupThemes(ranked, files, relations, facts, options.maxThemes ?? 3);
  const type = typeCandidates(allFacts, ranked);
  return {
    files,
    elements: ranked,
    top: ranked.slice(0, options.topN ?? 10),
    relations,
    themes: themes.themes,
    ungrouped: themes.ungrouped,
    relatedThemes: themes.relatedThemes,
    typeCandidates: type.candidates,
    scopeCandidates: scopeCandidates(allFacts, type.decided),
    skipped: change.skipped,
    truncated: change.truncated,
    stats: {
      changedLines: files.reduce((n, f) => n + f.addedLines + f.removedLines, 0),
      parsedFiles: files.filter((f) => f.analysis === 'elements').length,
      hunkOnlyFiles: files.filter((f) => f.analysis !== 'elements').length,
      elapsedMs: Math.round((performance.now() - started) * 10) / 10,
    },
  };
}
