import type Parser from 'web-tree-sitter';
import {
  checkDims,
  FeatureCounter,
  familySeed,
  fmix32,
  hashString,
  l2Normalize,
  mix,
} from './feature-hashing.js';
import { ERROR_TYPE_ID, type Grammar, loadGrammar, parse } from './grammars.js';
import { hashText } from './hashed-text.js';
import { type CodeLanguage, resolveLanguage } from './languages.js';

/**
 * Code embedding from tree-sitter AST path-contexts (code2vec, Alon et al., 2019, without the
 * learned part): each pair of nearby terminals gives the feature (terminal A, the path of node
 * types up to their lowest common ancestor and down again, terminal B), and the path alone; node
 * type n-grams add the shape of the code. All are hashed with a sign into `dims` buckets and the
 * vector is L2-normalized. See README.md.
 */

/** Bumped whenever the same source would give a different vector: part of any cache key. */
export const CODE_PATHS_VERSION = 1;

/** The code embedding space (seed 001 §8: "code2vec", 512 dims, for free/basic plans). */
export const CODE_DIMS = 512;

export type CodeEmbeddingMethod = 'ast-paths' | 'text-fallback';

/** Why a source was embedded as text instead of by its syntax tree. */
export type CodeFallbackReason =
  | 'unknown-language'
  | 'empty'
  | 'too-large'
  | 'grammar-unavailable'
  | 'parse-failed'
  | 'parse-errors';

export interface CodeEmbedding {
  /** Unit L2 norm (zero for an empty source), `dims` long. */
  vector: Float32Array;
  method: CodeEmbeddingMethod;
  /** The grammar used, when the language was known. */
  language?: CodeLanguage;
  /** Set when `method` is `text-fallback`. */
  reason?: CodeFallbackReason;
  /** The error behind `grammar-unavailable` (a missing or incompatible wasm file). */
  detail?: string;
  /** Path-contexts hashed into the vector (0 for the text fallback). */
  contexts: number;
  /** Terminals (identifiers, literals) read, or words for the text fallback. */
  tokens: number;
}

export interface CodePathOptions {
  /** Most nodes on a path, both terminals included (code2vec: 8). */
  maxPathLength?: number;
  /** Most siblings between the two branches under the common ancestor (code2vec: 3). */
  maxPathWidth?: number;
  /** Each terminal is paired with at most this many following terminals. */
  window?: number;
  /** Cap on path-contexts per source; the window shrinks for large files to spread them. */
  maxContexts?: number;
  /** Sources longer than this (UTF-16 code units) are embedded as text. */
  maxSourceLength?: number;
  /** Share of the source inside ERROR nodes above which the tree is not trusted. */
  maxErrorShare?: number;
  /** Parse time limit in milliseconds. */
  parseTimeoutMs?: number;
}

const DEFAULTS: Required<CodePathOptions> = {
  maxPathLength: 8,
  maxPathWidth: 3,
  window: 10,
  maxContexts: 10_000,
  maxSourceLength: 1_000_000,
  maxErrorShare: 0.5,
  parseTimeoutMs: 5_000,
};

const SEED_CONTEXT = familySeed('keel.code.context');
const SEED_PATH = familySeed('keel.code.path');
const SEED_TYPE1 = familySeed('keel.code.type1');
const SEED_TYPE2 = familySeed('keel.code.type2');
const SEED_TYPE3 = familySeed('keel.code.type3');
const SEED_TOKEN = familySeed('keel.code.token');
const SEED_LEAF = familySeed('keel.code.leaf');
const SEED_SUBTOKEN = familySeed('keel.code.subtoken');
const TOP_MARK = 0x5bd1e995;

// Structure (paths, node types, keywords and operators) outweighs names, so renaming variables
// moves a vector less than rewriting the code; names still count through contexts and subtokens.
const WEIGHT_CONTEXT = 1;
const WEIGHT_PATH = 1;
const WEIGHT_TYPE = 0.5;
const WEIGHT_TOKEN = 0.5;
const WEIGHT_SUBTOKEN = 0.5;

/** Kinds of terminal, by node type id: how its text is normalized. */
const IDENTIFIER = 0;
const STRING = 1;
const NUMBER = 2;
const SKIPPED = 3;

const leafKindCache = new WeakMap<Grammar, Uint8Array>();

function leafKinds(grammar: Grammar): Uint8Array {
  let kinds = leafKindCache.get(grammar);
  if (kinds) return kinds;
  kinds = new Uint8Array(grammar.typeHashes.length);
  for (let id = 0; id < kinds.length; id++) {
    const type = grammar.language.nodeTypeForId(id) ?? '';
    kinds[id] = /comment/.test(type)
      ? SKIPPED
      : /string|char_literal|character_literal|heredoc|escape_sequence|regex/.test(type)
        ? STRING
        : /number|integer|float|decimal|int_literal|real_literal|numeric/.test(type)
          ? NUMBER
          : IDENTIFIER;
  }
  leafKindCache.set(grammar, kinds);
  return kinds;
}

/** Splits `getHTTPResponse_code2` into `get`, `http`, `response`, `code2` (code2vec's subtokens). */
export function subtokens(identifier: string): string[] {
  const parts = asciiSubtokens(identifier);
  if (parts) return parts;
  return identifier
    .slice(0, 128)
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part.length > 0);
}

const UPPER = 1;
const LOWER = 2;
const DIGIT = 3;

/** The common case without regexes: an ASCII name; `undefined` for anything else. */
function asciiSubtokens(identifier: string): string[] | undefined {
  const parts: string[] = [];
  const end = Math.min(identifier.length, 128);
  let start = -1;
  let previous = 0;
  for (let i = 0; i < end; i++) {
    const c = identifier.charCodeAt(i);
    if (c >= 0x80) return undefined;
    const cls = c >= 65 && c <= 90 ? UPPER : c >= 97 && c <= 122 ? LOWER : c >= 48 && c <= 57 ? DIGIT : 0;
    if (cls === 0) {
      if (start >= 0) parts.push(identifier.slice(start, i).toLowerCase());
      start = -1;
    } else if (start < 0) start = i;
    else if (cls === UPPER && previous !== UPPER) {
      // fooBar, foo2Bar: a capital after a lower-case letter or digit starts a word.
      parts.push(identifier.slice(start, i).toLowerCase());
      start = i;
    } else if (cls === LOWER && previous === UPPER && i - start > 1) {
      // HTTPResponse: the last capital of a run starts the next word.
      parts.push(identifier.slice(start, i - 1).toLowerCase());
      start = i - 1;
    }
    previous = cls;
  }
  if (start >= 0) parts.push(identifier.slice(start, end).toLowerCase());
  return parts;
}

/** Growable per-file buffers, reused between calls (extraction is synchronous). */
class Buffers {
  // The open path from the root to the current node, by depth.
  stackId = new Int32Array(256);
  stackType = new Int32Array(256);
  stackTypeId = new Int32Array(256);
  stackChild = new Int32Array(256);
  namedChildren = new Int32Array(256);
  // Terminals: hash, depth, and the ids/types/child indexes of their nearest `span` ancestors.
  leafHash = new Int32Array(1024);
  leafDepth = new Int32Array(1024);
  ancId = new Int32Array(1024 * 8);
  ancType = new Int32Array(1024 * 8);
  ancChild = new Int32Array(1024 * 8);

  ensureDepth(depth: number): void {
    if (depth < this.stackId.length) return;
    const size = this.stackId.length * 2;
    this.stackId = grow(this.stackId, size);
    this.stackType = grow(this.stackType, size);
    this.stackTypeId = grow(this.stackTypeId, size);
    this.stackChild = grow(this.stackChild, size);
    this.namedChildren = grow(this.namedChildren, size);
  }

  ensureLeaves(count: number, span: number): void {
    if (count < this.leafHash.length && count * span <= this.ancId.length - span) return;
    const size = Math.max(this.leafHash.length * 2, count + 1);
    this.leafHash = grow(this.leafHash, size);
    this.leafDepth = grow(this.leafDepth, size);
    this.ancId = grow(this.ancId, size * span);
    this.ancType = grow(this.ancType, size * span);
    this.ancChild = grow(this.ancChild, size * span);
  }
}

function grow(array: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
}

const counter = new FeatureCounter();
const buffers = new Buffers();

interface Extracted {
  leaves: number;
  contexts: number;
  errorShare: number;
}

/**
 * Walks the tree once with a cursor (no node objects), adding node type n-gram and token
 * features to the counter and recording terminals; then pairs terminals into path-contexts.
 */
function extract(
  tree: Parser.Tree,
  grammar: Grammar,
  source: string,
  options: Required<CodePathOptions>,
): Extracted {
  const span = options.maxPathLength;
  const kinds = leafKinds(grammar);
  const types = grammar.typeHashes;
  const typeHash = (id: number) => (id < types.length ? (types[id] as number) : grammar.errorHash);
  const leafCache = new Map<string, number>();
  const b = buffers;
  let leaves = 0;
  let nextId = 0;
  let errorChars = 0;
  let errorEnd = -1;

  const cursor = tree.walk();
  let depth = 0;
  b.namedChildren[0] = 0;
  try {
    for (;;) {
      const typeId = cursor.nodeTypeId;
      const th = typeHash(typeId);
      // The root is always taken as named; ERROR (outside the table) is named.
      const named = depth === 0 || typeId >= grammar.namedTypes.length || grammar.namedTypes[typeId] === 1;
      if (!named) {
        // Keywords and operators (`return`, `async`, `+=`) under their parent's type.
        const parent = b.stackType[depth - 1] as number;
        counter.add(fmix32(mix(mix(SEED_TOKEN, parent), th)), WEIGHT_TOKEN);
      } else {
        b.ensureDepth(depth + 1);
        b.stackId[depth] = nextId++;
        b.stackType[depth] = th;
        b.stackTypeId[depth] = typeId;
        b.stackChild[depth] = depth === 0 ? 0 : (b.namedChildren[depth] as number);
        if (depth > 0) b.namedChildren[depth] = (b.namedChildren[depth] as number) + 1;
        counter.add(fmix32(mix(SEED_TYPE1, th)), WEIGHT_TYPE);
        if (depth >= 1) {
          const parent = b.stackType[depth - 1] as number;
          counter.add(fmix32(mix(mix(SEED_TYPE2, parent), th)), WEIGHT_TYPE);
          if (depth >= 2)
            counter.add(
              fmix32(mix(mix(mix(SEED_TYPE3, b.stackType[depth - 2] as number), parent), th)),
              WEIGHT_TYPE,
            );
        }
        if (typeId === ERROR_TYPE_ID) {
          const start = cursor.startIndex;
          if (start >= errorEnd) {
            errorEnd = cursor.endIndex;
            errorChars += errorEnd - start;
          }
        }
        if (cursor.gotoFirstChild()) {
          depth++;
          b.namedChildren[depth] = 0;
          continue;
        }
        const kind = typeId < kinds.length ? (kinds[typeId] as number) : SKIPPED;
        const parentKind = depth > 0 ? (kinds[b.stackTypeId[depth - 1] as number] ?? IDENTIFIER) : IDENTIFIER;
        if (kind !== SKIPPED && depth > 0) {
          const effective = parentKind === STRING ? STRING : kind;
          b.ensureLeaves(leaves + 1, span);
          b.leafHash[leaves] = leafHash(cursor.nodeText, effective, leafCache);
          b.leafDepth[leaves] = depth;
          const base = leaves * span;
          for (let up = 0; up < span && up <= depth; up++) {
            b.ancId[base + up] = b.stackId[depth - up] as number;
            b.ancType[base + up] = b.stackType[depth - up] as number;
            b.ancChild[base + up] = b.stackChild[depth - up] as number;
          }
          leaves++;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) {
          depth = -1;
          break;
        }
        depth--;
      }
      if (depth < 0) break;
    }
  } finally {
    cursor.delete();
  }
  const contexts = pairLeaves(leaves, options);
  return { leaves, contexts, errorShare: source.length === 0 ? 0 : errorChars / source.length };
}

/** The terminal's feature hash (cached per file) and, once per distinct name, its subtokens. */
function leafHash(text: string, kind: number, cache: Map<string, number>): number {
  const key = kind === STRING ? '\u0000str' : kind === NUMBER && text.length > 4 ? '\u0000num' : text;
  let hash = cache.get(key);
  if (hash === undefined) {
    if (kind === IDENTIFIER) {
      const parts = subtokens(text);
      for (const part of parts) counter.add(hashString(part, SEED_SUBTOKEN), WEIGHT_SUBTOKEN);
      hash = hashString(parts.length > 0 ? parts.join('|') : text.slice(0, 64), SEED_LEAF) | 0;
    } else hash = hashString(key, SEED_LEAF) | 0;
    if (cache.size < 50_000) cache.set(key, hash);
  }
  return hash;
}

/** Pairs each terminal with the next few into path-contexts (code2vec's length and width limits). */
function pairLeaves(leaves: number, options: Required<CodePathOptions>): number {
  const b = buffers;
  const span = options.maxPathLength;
  const window = Math.max(1, Math.min(options.window, Math.floor(options.maxContexts / Math.max(1, leaves))));
  let contexts = 0;
  for (let i = 0; i < leaves && contexts < options.maxContexts; i++) {
    const da = b.leafDepth[i] as number;
    const baseA = i * span;
    for (let j = i + 1; j <= i + window && j < leaves; j++) {
      const db = b.leafDepth[j] as number;
      const baseB = j * span;
      // Deepest common ancestor at depth `lca`, with at most `span` nodes on the path.
      const lowest = Math.max(0, Math.ceil((da + db + 1 - span) / 2));
      let lca = -1;
      for (let level = Math.min(da, db) - 1; level >= lowest; level--) {
        if (b.ancId[baseA + da - level] === b.ancId[baseB + db - level]) {
          lca = level;
          break;
        }
      }
      if (lca < 0) continue;
      const upA = da - lca;
      const upB = db - lca;
      const width = Math.abs(
        (b.ancChild[baseA + upA - 1] as number) - (b.ancChild[baseB + upB - 1] as number),
      );
      if (width > options.maxPathWidth) continue;
      let h = SEED_PATH;
      for (let k = 0; k < upA; k++) h = mix(h, b.ancType[baseA + k] as number);
      h = mix(h, (b.ancType[baseA + upA] as number) ^ TOP_MARK);
      for (let k = upB - 1; k >= 0; k--) h = mix(h, b.ancType[baseB + k] as number);
      const path = fmix32(h);
      counter.add(path, WEIGHT_PATH);
      const context = mix(mix(mix(SEED_CONTEXT, b.leafHash[i] as number), path), b.leafHash[j] as number);
      counter.add(fmix32(context), WEIGHT_CONTEXT);
      contexts++;
    }
  }
  return contexts;
}

function fallback(source: string, dims: number, reason: CodeFallbackReason, language?: CodeLanguage) {
  const { vector, tokens } = hashText(source, dims);
  const result: CodeEmbedding = { vector, method: 'text-fallback', reason, contexts: 0, tokens };
  if (language) result.language = language;
  return result;
}

/**
 * Embeds source code into `dims` dimensions (default 512, the code space) from its syntax tree.
 * `language` is a grammar name or alias (`'typescript'`, `'ts'`, `'c#'`; see `languageOf` for
 * file names). When the language is unknown, the source is empty or too large, or the parse
 * fails or is mostly errors, the source is embedded with `embedText` into the same `dims`
 * instead, and the result says so (`method: 'text-fallback'`, `reason`). Deterministic: the same
 * source, language, dims, options and {@link CODE_PATHS_VERSION} give the same vector.
 *
 * @example
 * const { vector, method } = await embedCode('def add(a, b):\n    return a + b\n', 'python');
 * // method === 'ast-paths', vector.length === 512
 */
export async function embedCode(
  source: string,
  language: string | undefined,
  dims: number = CODE_DIMS,
  options: CodePathOptions = {},
): Promise<CodeEmbedding> {
  checkDims(dims);
  const settings = { ...DEFAULTS, ...options };
  const name = language === undefined ? undefined : resolveLanguage(language);
  if (!name) return fallback(source, dims, 'unknown-language');
  if (source.trim().length === 0) return fallback(source, dims, 'empty', name);
  if (source.length > settings.maxSourceLength) return fallback(source, dims, 'too-large', name);
  let grammar: Grammar;
  try {
    grammar = await loadGrammar(name);
  } catch (error) {
    const result = fallback(source, dims, 'grammar-unavailable', name);
    result.detail = error instanceof Error ? error.message : String(error);
    return result;
  }
  // tree-sitter-php parses PHP inside `<?php`; a bare snippet would be one `text` node.
  const text = name === 'php' && !source.includes('<?') ? `<?php\n${source}` : source;
  const tree = parse(grammar, text, settings.parseTimeoutMs * 1000);
  if (!tree) return fallback(source, dims, 'parse-failed', name);
  let extracted: Extracted;
  try {
    extracted = extract(tree, grammar, text, settings);
  } catch (error) {
    counter.clear();
    throw error;
  } finally {
    tree.delete();
  }
  if (extracted.errorShare > settings.maxErrorShare) {
    counter.clear();
    return fallback(source, dims, 'parse-errors', name);
  }
  const vector = new Float32Array(dims);
  counter.flushInto(vector);
  l2Normalize(vector);
  return {
    vector,
    method: 'ast-paths',
    language: name,
    contexts: extracted.contexts,
    tokens: extracted.leaves,
  };
}
