export { type Agent, type AgentOptions, createAgent } from './agent/agent.js';
export { type ChangeSource, isCaptureError } from './capture/index.js';
export { type Commits, commitsServices } from './commits.context.js';
export { commitsModule } from './commits.module.js';
export { HOOKS, type HookName, hookStatus, installHooks, uninstallHooks } from './hooks/install.js';
export { runHook } from './hooks/run.js';
export { type CommitFlowResult, runCommitFlow } from './local/commit-flow.js';
export { draftLocal, type LocalDraft, type LocalDraftOptions } from './local/draft-local.js';
export { type CommitsEvalReport, evalCommits, formatCommitsReport } from './local/eval-commits.js';
