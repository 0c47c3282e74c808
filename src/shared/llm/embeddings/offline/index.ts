export {
  CODE_DIMS,
  CODE_PATHS_VERSION,
  type CodeEmbedding,
  type CodeEmbeddingMethod,
  type CodeFallbackReason,
  type CodePathOptions,
  embedCode,
} from './code-paths.js';
export { cosine } from './feature-hashing.js';
export { embedText, HASHED_TEXT_VERSION, type HashedText, hashText, TEXT_DIMS } from './hashed-text.js';
export { CODE_LANGUAGES, type CodeLanguage, languageOf, resolveLanguage } from './languages.js';
export {
  createCodePathsModel,
  createHashedTextModel,
  OFFLINE_EMBEDDING_MODEL_IDS,
  OFFLINE_PROVIDER,
  type OfflineCodeModelSettings,
  type OfflineEmbeddingModelId,
  offlineEmbeddingModel,
  sniffCodeValue,
} from './offline-embedding-model.js';
