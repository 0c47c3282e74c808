import { conventionalPreset } from './presets.js';
import { RULE_NAMES, type RuleEntry, type RuleName, ruleEntrySchema, ruleKey } from './rules.schema.js';

/** A part of a commitlint config Keel did not take over, and why. */
export interface Untranslated {
  /** The commitlint rule name, or the config key (`extends`, `parserPreset`, `plugins`…). */
  rule: string;
  reason: string;
}

export interface TranslatedConfig {
  rules: RuleEntry[];
  untranslated: Untranslated[];
}

// commitlint rules Keel has under the same name; `header-full-stop` judges the same last
// character as `subject-full-stop` (the subject ends the header).
const sameName = new Set<string>(
  RULE_NAMES.filter((name) => !['subject-imperative', 'ticket-pattern', 'message-pattern'].includes(name)),
);
const renamed: Record<string, RuleName> = { 'header-full-stop': 'subject-full-stop' };

const levels = { 0: 'off', 1: 'warn', 2: 'block' } as const;

// commitlint spells some cases more than one way (config-angular v4 wrote `lowerCase`).
const caseNames: Record<string, string> = {
  lowercase: 'lower-case',
  lowerCase: 'lower-case',
  uppercase: 'upper-case',
  sentencecase: 'sentence-case',
  camelcase: 'camel-case',
  kebabcase: 'kebab-case',
  pascalcase: 'pascal-case',
  snakecase: 'snake-case',
  startcase: 'start-case',
};
const caseOf = (value: unknown) => (typeof value === 'string' ? (caseNames[value] ?? value) : value);

// When a config leaves `when` out, commitlint's rule uses its own default; Keel's differs here.
const commitlintWhen: Partial<Record<RuleName, 'always'>> = { 'subject-full-stop': 'always' };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function translateRule(
  name: string,
  setting: unknown,
  base: Map<string, RuleEntry>,
): { entry: RuleEntry | null } | { reason: string } {
  const rule = renamed[name] ?? (sameName.has(name) ? (name as RuleName) : null);
  if (!rule) return { reason: `Keel has no rule like commitlint's ${name}` };
  if (!Array.isArray(setting) || setting.length === 0)
    return {
      reason: 'a rule is written [level, when?, value?]; a function or an object cannot be translated',
    };
  const [level, when, value] = setting as unknown[];
  if (level !== 0 && level !== 1 && level !== 2)
    return { reason: `the level must be 0, 1 or 2, not ${JSON.stringify(level)}` };
  if (when !== undefined && when !== 'always' && when !== 'never')
    return { reason: `"when" must be "always" or "never", not ${JSON.stringify(when)}` };
  if (level === 0) {
    // Off: keep the inherited entry switched off, or leave the rule out altogether.
    const inherited = base.get(rule);
    return { entry: inherited ? { ...inherited, level: 'off' } : null };
  }
  const candidate: Record<string, unknown> = { rule, level: levels[level] };
  const whenValue = when ?? commitlintWhen[rule];
  if (whenValue !== undefined) candidate.when = whenValue;
  if (value !== undefined)
    candidate.value =
      rule === 'subject-case' || rule === 'type-case'
        ? Array.isArray(value)
          ? value.map(caseOf)
          : caseOf(value)
        : value;
  const parsed = ruleEntrySchema.safeParse(candidate);
  if (parsed.success) return { entry: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'setting';
  return { reason: `its ${field} cannot be used: ${issue?.message ?? 'invalid'}` };
}

/**
 * Translates a commitlint JSON config (`.commitlintrc.json`) into Keel rules: levels 0/1/2
 * become off/warn/block, `when` and values carry over. `extends: ['@commitlint/config-conventional']`
 * starts from `conventionalPreset()`; other shared configs, plugins, parser presets, ignores,
 * and rules Keel does not have are listed in `untranslated` with the reason.
 *
 * @example
 * fromCommitlintConfig({ extends: ['@commitlint/config-conventional'], rules: { 'header-max-length': [1, 'always', 72] } })
 * // → { rules: [...the preset, with header-max-length at warn, 72], untranslated: [] }
 */
export function fromCommitlintConfig(config: unknown): TranslatedConfig {
  if (!isObject(config))
    return {
      rules: [],
      untranslated: [{ rule: '(config)', reason: 'a commitlint config is a JSON object' }],
    };
  const untranslated: Untranslated[] = [];
  const rules = new Map<string, RuleEntry>();

  const extended = config.extends === undefined ? [] : [config.extends].flat();
  for (const name of extended) {
    if (name === '@commitlint/config-conventional')
      for (const entry of conventionalPreset()) rules.set(ruleKey(entry), entry);
    else
      untranslated.push({
        rule: 'extends',
        reason: `Keel does not load shared configs; ${JSON.stringify(name)} was left out (only @commitlint/config-conventional is built in)`,
      });
  }

  if (config.rules !== undefined && !isObject(config.rules))
    untranslated.push({
      rule: 'rules',
      reason: '"rules" must be an object of rule name → [level, when, value]',
    });
  for (const [name, setting] of Object.entries(isObject(config.rules) ? config.rules : {})) {
    const result = translateRule(name, setting, rules);
    if ('reason' in result) {
      untranslated.push({ rule: name, reason: result.reason });
      continue;
    }
    const rule = renamed[name] ?? name;
    if (result.entry) rules.set(rule, result.entry);
    else rules.delete(rule);
  }

  if (config.parserPreset !== undefined)
    untranslated.push({
      rule: 'parserPreset',
      reason:
        'Keel reads headers as Conventional Commits (with an optional gitmoji); a parser preset is not applied',
    });
  const plugins = Array.isArray(config.plugins)
    ? config.plugins
    : config.plugins === undefined
      ? []
      : [config.plugins];
  for (const plugin of plugins)
    if (plugin !== 'commitlint-plugin-gitmoji')
      untranslated.push({
        rule: 'plugins',
        reason: `Keel runs no commitlint plugins; ${JSON.stringify(plugin)} and its rules were left out`,
      });
  if (config.ignores !== undefined)
    untranslated.push({ rule: 'ignores', reason: 'ignore functions cannot be read from JSON' });
  if (config.defaultIgnores === false)
    untranslated.push({
      rule: 'defaultIgnores',
      reason: 'Keel skips merge, revert and fixup! messages unless the caller asks it to check them',
    });
  return { rules: [...rules.values()], untranslated };
}
