export type { BaseView, KnowledgeBases, TeamDirectory } from './bases/bases.service.js';
export type { Access, Caller } from './bases/caller.js';
export type { DocumentRow, DocumentStatus } from './documents/documents.repository.js';
export type { KnowledgeDocuments } from './documents/documents.service.js';
export type { SearchPort } from './documents/search-port.js';
export { type Knowledge, type KnowledgeOptions, knowledgeServices } from './knowledge.context.js';
export { createKnowledgeModule, knowledgeActions, knowledgeModule } from './knowledge.module.js';
export {
  BeirFormatError,
  EVAL_METHODS,
  type EvalMethod,
  formatReport,
  loadBeir,
  runSearchEval,
} from './search/eval/index.js';
export type { DocumentStorage } from './storage/index.js';
