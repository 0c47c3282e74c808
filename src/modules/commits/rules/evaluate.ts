import { type ParsedCommitMessage, type ParseOptions, parseCommitMessage } from './commit-message.js';
import { headerRules } from './header-rules.js';
import { messageRules } from './message-rules.js';
import type { RuleContext, RuleDefinitions } from './rule-definition.js';
import { RULE_NAMES, type RuleEntry, type RuleLevel, type RuleName } from './rules.schema.js';

const definitions: RuleDefinitions<RuleName> = { ...headerRules, ...messageRules };

export interface Violation {
  rule: RuleName;
  level: Exclude<RuleLevel, 'off'>;
  /** What is wrong and what to do, in one sentence. For a fixed violation, what was wrong. */
  message: string;
  /** An autofix rewrote the message so that it now keeps the rule. */
  fixed: boolean;
}

/** One autofix: the lines it changed, before and after (with the line above for an insertion). */
export interface MessageChange {
  rule: RuleName;
  before: string;
  after: string;
}

export interface Evaluation {
  /** No `block` violation is left once the autofixes are applied. */
  ok: boolean;
  violations: Violation[];
  /** The rewritten message (ending in a newline) when an autofix changed it, else null. */
  fixedMessage: string | null;
  changes: MessageChange[];
  /** A message git writes itself (a merge, a revert, `fixup!`…): not judged, as commitlint does. */
  ignored: boolean;
}

export interface EvaluateOptions extends RuleContext, ParseOptions {
  /** Judge merge, revert and fixup!/squash!/amend! messages too (default false). */
  checkGenerated?: boolean;
}

// commitlint's default ignores: messages that git or a forge writes.
const generated = [
  /^Merge (pull request|branch|tag|remote-tracking branch) /,
  /^Merge .+ into .+/,
  /^Merged (.+?) (in|into) (.+)/,
  /^Merged PR .+: .+/,
  /^(R|r)evert .+/,
  /^(amend|fixup|squash)! /,
  /^Automatic merge/,
  /^Auto-merged .+ into .+/,
];

/** The lines that differ between two texts, keeping the line above when one side is empty. */
function changedLines(before: string, after: string): { before: string; after: string } {
  const a = before.split('\n');
  const b = after.split('\n');
  let top = 0;
  while (top < a.length && top < b.length && a[top] === b[top]) top++;
  let bottom = 0;
  while (
    bottom < a.length - top &&
    bottom < b.length - top &&
    a[a.length - 1 - bottom] === b[b.length - 1 - bottom]
  )
    bottom++;
  if (top === a.length - bottom || top === b.length - bottom) top = Math.max(0, top - 1);
  return {
    before: a.slice(top, a.length - bottom).join('\n'),
    after: b.slice(top, b.length - bottom).join('\n'),
  };
}

interface EntryRule {
  check(message: ParsedCommitMessage, entry: RuleEntry, context: RuleContext): string | null;
  fix?(message: ParsedCommitMessage, entry: RuleEntry, context: RuleContext): string | null;
}

function definitionOf(entry: RuleEntry): EntryRule {
  // The definition found by an entry's name takes that entry; the compiler cannot pair them.
  return definitions[entry.rule] as unknown as EntryRule;
}

function check(message: ParsedCommitMessage, entry: RuleEntry, context: RuleContext): string | null {
  return definitionOf(entry).check(message, entry, context);
}

/**
 * Judges a commit message against a rule list (validated with `parseRules`): applies the
 * autofixes the rules allow, then reports every rule the original message broke (as `fixed`
 * when the rewritten message keeps it) and every rule the rewritten message still breaks.
 * Evaluating `fixedMessage` again finds nothing left to fix.
 *
 * @example
 * const { ok, fixedMessage } = evaluateRules('Feature: Add login.', withAutofix(conventionalPreset()));
 * // ok: true (every block violation was fixed); fixedMessage: 'feat: add login\n'
 */
export function evaluateRules(
  message: string,
  rules: RuleEntry[],
  options: EvaluateOptions = {},
): Evaluation {
  const original = parseCommitMessage(message, options);
  if (!options.checkGenerated && generated.some((pattern) => pattern.test(original.header)))
    return { ok: true, violations: [], fixedMessage: null, changes: [], ignored: true };
  const context: RuleContext = { branch: options.branch ?? null };
  const active = rules
    .filter((entry) => entry.level !== 'off')
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => RULE_NAMES.indexOf(a.entry.rule) - RULE_NAMES.indexOf(b.entry.rule) || a.index - b.index)
    .map(({ entry }) => entry);

  let current = original;
  const changes: MessageChange[] = [];
  // A fix may break a rule fixed before it; a few rounds settle every fix (they only tidy).
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (const entry of active) {
      const rule = definitionOf(entry);
      if (!entry.autofix || !rule.fix || rule.check(current, entry, context) === null) continue;
      const text = rule.fix(current, entry, context);
      if (text === null || text === current.text) continue;
      changes.push({ rule: entry.rule, ...changedLines(current.text, text) });
      current = parseCommitMessage(text, options);
      changed = true;
    }
    if (!changed) break;
  }

  const violations: Violation[] = [];
  for (const entry of active) {
    const level = entry.level === 'block' ? 'block' : 'warn';
    const left = check(current, entry, context);
    const before = current === original ? left : check(original, entry, context);
    if (left !== null) violations.push({ rule: entry.rule, level, message: left, fixed: false });
    else if (before !== null) violations.push({ rule: entry.rule, level, message: before, fixed: true });
  }
  return {
    ok: !violations.some((v) => v.level === 'block' && !v.fixed),
    violations,
    fixedMessage: current.text === original.text ? null : `${current.text}\n`,
    changes,
    ignored: false,
  };
}
