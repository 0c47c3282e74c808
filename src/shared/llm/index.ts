// Besides the module and its services, the diff and code reading the commits module's scoping
// shares: the unified-diff reader, the offline drafter's rule-level facts and type/scope rules,
// cl100k token counting, and the tree-sitter grammars (loaded once per process).
export { type Grammar, loadGrammar } from './embeddings/offline/grammars.js';
export { type CodeLanguage, cosine, embedText, languageOf } from './embeddings/offline/index.js';
export type { EmbeddingSpace, EmbedRequest, EmbedResult } from './gateway/embed.js';
export type { LlmCaller, LlmGateway, LlmRequest, LlmResult } from './gateway/gateway.js';
export { type LlmServices, llmServices } from './llm.context.js';
export { createLlmModule, llmModule } from './llm.module.js';
export { analyzeFile, type FileFacts, type FileKind, fileKind } from './offline/commit-analysis.js';
export { decideType, focusOf, inferScope, scopeOfPath, type TypeDecision } from './offline/commit-rules.js';
export { type DiffLine, type FileDiff, type FileStatus, type Hunk, parseDiff } from './offline/diff.js';
export { countTokens, createKeelOffline } from './offline/index.js';
