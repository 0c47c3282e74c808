export {
  type CommitFooter,
  type ParsedCommitMessage,
  type ParseOptions,
  parseCommitMessage,
} from './commit-message.js';
export { fromCommitlintConfig, type TranslatedConfig, type Untranslated } from './commitlint.js';
export {
  type EvaluateOptions,
  type Evaluation,
  evaluateRules,
  type MessageChange,
  type Violation,
} from './evaluate.js';
export type { Gitmoji } from './gitmoji.js';
export { type IgnoredRule, type MergedRules, mergeRules } from './merge-rules.js';
export { CONVENTIONAL_TYPES, conventionalPreset, gitmojiPreset, withAutofix } from './presets.js';
export {
  FIXABLE_RULES,
  parseRules,
  RULE_NAMES,
  type RuleEntry,
  type RuleLevel,
  type RuleName,
  type RuleOf,
  ruleEntrySchema,
  ruleKey,
  ruleLevelSchema,
  ruleListSchema,
  type TextCase,
  validateRules,
} from './rules.schema.js';
