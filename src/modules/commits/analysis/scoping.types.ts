import type { Hunk } from '../../../shared/llm/index.js';
import type { ChangedFileStatus, SkippedFile } from '../capture/index.js';

/** `type` covers type aliases (TypeScript, Go, Rust) — declarations that are none of the others. */
export type ElementKind =
  | 'function'
  | 'method'
  | 'class'
  | 'interface'
  | 'struct'
  | 'enum'
  | 'trait'
  | 'impl'
  | 'module'
  | 'type';

/** A declaration found by tree-sitter. Lines are 1-based and inclusive. */
export interface CodeElement {
  kind: ElementKind;
  name: string;
  /** The name with its enclosing elements: `Parser.parseHeader`, `Store.Get` (Go receiver). */
  qualifiedName: string;
  startLine: number;
  endLine: number;
  /** The declaration's line (where its name is), trimmed. */
  signature: string;
  /** The qualified name of the enclosing element. */
  parent?: string;
  /** Visible outside its file or package (export, public, pub, capitalized, not static). */
  exported: boolean;
}

export type ElementChangeKind = 'added' | 'removed' | 'modified' | 'renamed';

/** One changed line: the new line number for an addition, the old one for a removal. */
export interface LineChange {
  kind: 'add' | 'del';
  line: number;
  text: string;
}

export interface ChangedElement {
  /** `path::qualifiedName` (with `#n` for a repeated name, as in overloads). */
  id: string;
  file: string;
  /** The element (its old version when removed). */
  element: CodeElement;
  /**
   * `element`: a declaration found by tree-sitter. `file`: lines outside any declaration (imports,
   * top-level statements), or a whole file that could not be parsed (the hunk-level fallback);
   * its element is a `module` named after the file.
   */
  granularity: 'element' | 'file';
  kind: ElementChangeKind;
  /** The qualified name before a rename. */
  previousName?: string;
  addedLines: number;
  removedLines: number;
  /** A new condition with an early exit inside it, or a new early return/throw. */
  guardAdded: boolean;
  /** Names called in the changed lines (both sides), in order of first appearance. */
  calls: string[];
  changes: LineChange[];
  /** Ids of other changed elements whose changed lines call or name this one. */
  referencedBy: string[];
  test: boolean;
  generated: boolean;
  /** The ranking score (see README.md). */
  score: number;
}

export interface Relation {
  kind: 'calls' | 'references' | 'imports';
  /** Element ids for calls and references; file paths for imports. */
  from: string;
  to: string;
}

export interface Candidate {
  value: string;
  /** 0–1; the candidates of one list add up to at most 1. */
  confidence: number;
  /** Why: the rules and signals that voted for it. */
  reasons: string[];
}

export interface Theme {
  id: number;
  /** A short description: the scope or folder and the leading elements. */
  label: string;
  /** Element ids, highest score first. */
  elements: string[];
  files: string[];
  score: number;
  /** This theme's part of the total score (0–1). */
  share: number;
  type: Candidate;
  scope: string | null;
}

export type FileAnalysis = 'elements' | 'hunks' | 'binary' | 'submodule';

export interface ScopedFile {
  path: string;
  oldPath: string | null;
  status: ChangedFileStatus;
  language: string | null;
  /** How the file was read: declarations by tree-sitter, or hunks only (and why). */
  analysis: FileAnalysis;
  /** Why a file with a supported language fell back to hunks (no text, parse failure, mismatch). */
  fallback?: string;
  addedLines: number;
  removedLines: number;
  hunks: Hunk[];
  test: boolean;
  generated: boolean;
  /** Changed element ids in this file. */
  elements: string[];
}

export interface Scoping {
  files: ScopedFile[];
  /** Every changed element, highest score first. */
  elements: ChangedElement[];
  /** The ten highest-scored elements (the seed's "function Top-10"). */
  top: ChangedElement[];
  relations: Relation[];
  /** At most three groups of related elements, most significant first (the seed's "Top-3"). */
  themes: Theme[];
  /** Element ids that belong to no theme (components past the third with nothing in common). */
  ungrouped: string[];
  /** False when significant themes have nothing in common: the change could be split. */
  relatedThemes: boolean;
  typeCandidates: Candidate[];
  scopeCandidates: Candidate[];
  skipped: SkippedFile[];
  truncated: boolean;
  stats: {
    changedLines: number;
    parsedFiles: number;
    hunkOnlyFiles: number;
    elapsedMs: number;
  };
}
