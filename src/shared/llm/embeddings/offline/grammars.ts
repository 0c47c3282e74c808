import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Parser from 'web-tree-sitter';
import { hashString } from './feature-hashing.js';
import type { CodeLanguage } from './languages.js';

/**
 * Tree-sitter grammars from the `tree-sitter-wasms` package (local files, never fetched), loaded
 * on first use and kept for the life of the process. `tree-sitter-wasms` 0.1.13 needs
 * `web-tree-sitter` 0.22.6: 0.27 rejects its language ABI (DESIGN.md §8).
 */

/** A loaded grammar and, per node type id, the hash of the type's name. */
export interface Grammar {
  name: CodeLanguage;
  language: Parser.Language;
  /**
   * Hash of each node type's name by type id; the names, not the ids, are hashed so that the same
   * construct (`identifier`, `call_expression`) means the same feature in related grammars.
   */
  typeHashes: Int32Array;
  /** 1 where the type id is a named node; reading the table saves a cursor round trip. */
  namedTypes: Uint8Array;
  /** web-tree-sitter's Parser class (imported lazily). */
  parserClass: ParserClass;
  /** Hash of `ERROR`: tree-sitter's error node has the type id 65535, outside the table. */
  errorHash: number;
}

/** The type id tree-sitter gives ERROR nodes (`ts_builtin_sym_error`, -1 as a uint16). */
export const ERROR_TYPE_ID = 0xffff;

const TYPE_SEED = 0x6b65656c; // 'keel'

type ParserClass = typeof Parser;

/** Typed `string`, not the literal, so neither tsc nor the bundler resolves the import below. */
const WEB_TREE_SITTER: string = 'web-tree-sitter';

let ready: Promise<ParserClass> | undefined;
let parser: Parser | undefined;
const grammars = new Map<CodeLanguage, Promise<Grammar>>();

function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tree-sitter-wasms/package.json')), 'out');
}

/**
 * Imports web-tree-sitter and starts its own wasm module, once per process. The import is lazy:
 * code that only embeds text never loads it (25 ms and 7 MB of RSS).
 */
function init(): Promise<ParserClass> {
  ready ??= (async () => {
    // A specifier the bundler cannot read keeps web-tree-sitter out of dist/keel.mjs: bundled,
    // its emscripten loader looks for tree-sitter.wasm through `__dirname`, which ESM lacks.
    const TreeSitter = ((await import(WEB_TREE_SITTER)) as { default: ParserClass }).default;
    await TreeSitter.init();
    return TreeSitter;
  })().catch((error: unknown) => {
    ready = undefined; // let a later call try again
    throw error;
  });
  return ready;
}

/** The grammar of `name`, loaded once; a failed load is retried on the next call. */
export function loadGrammar(name: CodeLanguage): Promise<Grammar> {
  let grammar = grammars.get(name);
  if (!grammar) {
    grammar = (async () => {
      const TreeSitter = await init();
      const language = await TreeSitter.Language.load(join(wasmDirectory(), `tree-sitter-${name}.wasm`));
      const typeHashes = new Int32Array(language.nodeTypeCount);
      const namedTypes = new Uint8Array(language.nodeTypeCount);
      for (let id = 0; id < typeHashes.length; id++) {
        typeHashes[id] = hashString(language.nodeTypeForId(id) ?? '', TYPE_SEED) | 0;
        namedTypes[id] = language.nodeTypeIsNamed(id) ? 1 : 0;
      }
      return {
        name,
        language,
        parserClass: TreeSitter,
        typeHashes,
        namedTypes,
        errorHash: hashString('ERROR', TYPE_SEED) | 0,
      };
    })();
    grammars.set(name, grammar);
    void grammar.catch(() => grammars.delete(name));
  }
  return grammar;
}

/**
 * Parses `source` with `grammar`. Parsing is synchronous, so one parser serves every language:
 * nothing else can run between `setLanguage` and `parse`. The caller deletes the tree.
 */
export function parse(grammar: Grammar, source: string, timeoutMicros: number): Parser.Tree | undefined {
  // A grammar exists only after init() resolved, so the class is loaded by now.
  parser ??= new grammar.parserClass();
  parser.setLanguage(grammar.language);
  parser.setTimeoutMicros(timeoutMicros);
  try {
    // A timed-out parse leaves state behind; reset so the next parse starts fresh.
    const tree = parser.parse(source) as Parser.Tree | null;
    if (!tree) parser.reset();
    return tree ?? undefined;
  } catch {
    parser.reset();
    return undefined;
  }
}
