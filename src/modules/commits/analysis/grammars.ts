import type Parser from 'web-tree-sitter';
import { type Grammar, loadGrammar } from '../../../shared/llm/index.js';
import { type AnalysisLanguage, LANGUAGE_SPECS, type LanguageSpec } from './languages.js';
import type { LineRegion } from './regions.js';

/**
 * A loaded grammar with its compiled queries. The grammar itself comes from the shared loader
 * (web-tree-sitter 0.22.6 with `tree-sitter-wasms` 0.1.13, loaded once per process); the queries
 * are compiled once per language here.
 */
export interface LoadedLanguage {
  name: AnalysisLanguage;
  spec: LanguageSpec;
  grammar: Grammar;
  elements: Parser.Query;
  /** Calls (`@callee`) and conditions and exits (`@guard`), read on changed lines in one pass. */
  changed: Parser.Query;
}

const loaded = new Map<AnalysisLanguage, Promise<LoadedLanguage>>();
let parser: Parser | undefined;
/** The previous grammar load: loads run one at a time (see below). */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Loads grammars one after another: web-tree-sitter 0.22 links each grammar's wasm into one
 * shared module, and two links at once fail ("bad export type for
 * 'tree_sitter_rust_external_scanner_create'"). A failed load is tried once more (another part
 * of the process may have been loading a grammar at the same moment).
 */
function loadOneAtATime(name: AnalysisLanguage): Promise<Grammar> {
  const next = queue.then(() => loadGrammar(name).catch(() => loadGrammar(name)));
  queue = next.catch(() => undefined);
  return next;
}

/** The language with its queries; loads the grammar on first use (a failure is retried later). */
export function loadLanguage(name: AnalysisLanguage): Promise<LoadedLanguage> {
  let language = loaded.get(name);
  if (!language) {
    language = (async () => {
      const grammar = await loadOneAtATime(name);
      const spec = LANGUAGE_SPECS[name];
      const guardTypes = [...spec.conditions, ...spec.exits].map((t) => `(${t})`).join(' ');
      return {
        name,
        spec,
        grammar,
        elements: grammar.language.query(spec.elements),
        changed: grammar.language.query(`${spec.calls}\n[${guardTypes}] @guard`),
      };
    })();
    loaded.set(name, language);
    language.catch(() => loaded.delete(name));
  }
  return language;
}

/** Microseconds a parse may take before it is abandoned (the file then falls back to hunks). */
const PARSE_TIMEOUT_MICROS = 3_000_000;

/**
 * Parses `source`; with `oldTree` (already edited to match), reparses incrementally; with
 * `regions`, parses only those lines (positions stay those of the whole file). Parsing is
 * synchronous, so one parser serves every language. Returns null when the parse timed out.
 */
export function parseSource(
  language: LoadedLanguage,
  source: string,
  options: { oldTree?: Parser.Tree; regions?: readonly LineRegion[]; lineStarts?: readonly number[] } = {},
): Parser.Tree | null {
  parser ??= new language.grammar.parserClass();
  parser.setLanguage(language.grammar.language);
  parser.setTimeoutMicros(PARSE_TIMEOUT_MICROS);
  const { regions, lineStarts } = options;
  const includedRanges =
    regions && lineStarts
      ? regions.map((r) => {
          const end = r.end < lineStarts.length ? (lineStarts[r.end] as number) : source.length;
          const endRow = r.end < lineStarts.length ? r.end : lineStarts.length - 1;
          return {
            startIndex: lineStarts[r.start - 1] as number,
            endIndex: end,
            startPosition: { row: r.start - 1, column: 0 },
            endPosition: { row: endRow, column: end - (lineStarts[endRow] as number) },
          };
        })
      : undefined;
  try {
    const tree = parser.parse(
      source,
      options.oldTree,
      includedRanges ? { includedRanges } : undefined,
    ) as Parser.Tree | null;
    if (!tree) parser.reset();
    return tree ?? null;
  } catch {
    parser.reset();
    return null;
  }
}
