export { type BeirCollection, BeirFormatError, loadBeir } from './beir.js';
export { mean, mrrAt, ndcgAt, percentile, recallAt } from './metrics.js';
export { ReferenceBm25 } from './reference-bm25.js';
export {
  EVAL_METHODS,
  type EvalMethod,
  type EvalOptions,
  type EvalReport,
  formatReport,
  type MethodReport,
  runSearchEval,
} from './run-eval.js';
