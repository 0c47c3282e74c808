export { extractElements } from './elements.js';
export { ANALYSIS_LANGUAGES, type AnalysisLanguage, analysisLanguageOf } from './languages.js';
export {
  type BuiltPrompt,
  buildPrompt,
  type PromptOptions,
  type PromptSection,
  type PromptSectionName,
} from './prompt.js';
export { scoreOf } from './rank.js';
export { type ScopeOptions, scopeChange } from './scope-change.js';
export type {
  Candidate,
  ChangedElement,
  CodeElement,
  ElementChangeKind,
  ElementKind,
  FileAnalysis,
  LineChange,
  Relation,
  ScopedFile,
  Scoping,
  Theme,
} from './scoping.types.js';
