export {
  createOfflineLanguageModel,
  OFFLINE_MODEL_ID,
  OFFLINE_PROVIDER,
  type OfflineMetadata,
  type OfflineModelId,
  type OfflineModelSettings,
} from './offline-language-model.js';
export { createKeelOffline, type KeelOfflineProvider } from './offline-provider.js';
export type { OfflineTask } from './run-task.js';
export { countTokens, truncateToTokens } from './tokens.js';
