import { type RuleEntry, type RuleLevel, type RuleName, ruleKey, whenOf } from './rules.schema.js';

/** A team entry that did not make it into the merged list, and why. */
export interface IgnoredRule {
  /** Its index in the team's list. */
  index: number;
  rule: RuleName;
  reason: string;
}

export interface MergedRules {
  rules: RuleEntry[];
  ignored: IgnoredRule[];
}

const strength: Record<RuleLevel, number> = { off: 0, warn: 1, block: 2 };
const lengthRules = new Set<RuleName>([
  'header-max-length',
  'subject-max-length',
  'body-max-line-length',
  'footer-max-line-length',
]);
const settingOf = (entry: RuleEntry): unknown => ('value' in entry ? entry.value : undefined);

/** Why a team entry would loosen an enforced organisation entry, or null when it does not. */
function loosening(org: RuleEntry, team: RuleEntry): string | null {
  const key = ruleKey(org);
  if (strength[team.level] < strength[org.level])
    return team.level === 'off'
      ? `the organisation enforces ${key} at "${org.level}"; a team cannot turn it off`
      : `the organisation enforces ${key} at "${org.level}"; a team cannot lower it to "${team.level}"`;
  if (whenOf(team) !== whenOf(org))
    return `the organisation enforces ${key} with "${whenOf(org)}"; a team cannot turn it to "${whenOf(team)}"`;
  const orgValue = settingOf(org);
  const teamValue = settingOf(team);
  if (lengthRules.has(org.rule) && typeof orgValue === 'number' && typeof teamValue === 'number')
    return teamValue > orgValue
      ? `the organisation enforces ${key} at ${orgValue}; a team cannot raise the limit to ${teamValue}`
      : null;
  if (
    (org.rule === 'type-enum' || org.rule === 'scope-enum') &&
    Array.isArray(orgValue) &&
    Array.isArray(teamValue)
  ) {
    const what = org.rule === 'type-enum' ? 'types' : 'scopes';
    // With "always" the list allows (a team may only drop names); with "never" it forbids (only add).
    const loosened =
      whenOf(org) === 'always'
        ? teamValue.filter((name) => !orgValue.includes(name))
        : orgValue.filter((name) => !teamValue.includes(name));
    return loosened.length > 0
      ? `the organisation enforces ${key}; a team cannot ${whenOf(org) === 'always' ? 'allow' : 'stop forbidding'} the ${what} ${loosened.join(', ')}`
      : null;
  }
  if (JSON.stringify(teamValue) !== JSON.stringify(orgValue))
    return `the organisation enforces ${key} with its own value; a team can only raise its level`;
  return null;
}

/**
 * The rules a team works under: the organisation's, where the team's entry for the same rule
 * (the same name, for `message-pattern`) replaces it — unless the organisation marks it
 * `enforced` and the team's entry would loosen it (a lower level, `off`, a higher limit, more
 * allowed types…). Those team entries are left out and listed in `ignored` with the reason.
 * Rules only the team has come after the organisation's, in the team's order.
 *
 * @example
 * mergeRules([{ rule: 'header-max-length', level: 'block', value: 72, enforced: true }],
 *            [{ rule: 'header-max-length', level: 'warn', value: 100 }])
 * // → { rules: [the organisation's entry], ignored: [{ index: 0, rule: 'header-max-length', reason: '…' }] }
 */
export function mergeRules(orgRules: RuleEntry[], teamRules: RuleEntry[]): MergedRules {
  const teamByKey = new Map(teamRules.map((entry, index) => [ruleKey(entry), { entry, index }]));
  const orgKeys = new Set(orgRules.map(ruleKey));
  const ignored: IgnoredRule[] = [];
  const rules = orgRules.map((org) => {
    const team = teamByKey.get(ruleKey(org));
    if (!team) return org;
    if (!org.enforced) return team.entry;
    const reason = loosening(org, team.entry);
    if (reason) {
      ignored.push({ index: team.index, rule: team.entry.rule, reason });
      return org;
    }
    return { ...team.entry, enforced: true };
  });
  for (const entry of teamRules) if (!orgKeys.has(ruleKey(entry))) rules.push(entry);
  return { rules, ignored: ignored.sort((a, b) => a.index - b.index) };
}
