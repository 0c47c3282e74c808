import { z } from 'zod';
import { type FieldError, KeelError } from '../../../kernel/errors/index.js';

/**
 * The rule names, in the order the engine applies them: header fixes before subject fixes
 * (a type alias is mapped before its case is judged), blank lines before line widths.
 * commitlint's names where commitlint has the rule; Keel's own names otherwise.
 */
export const RULE_NAMES = [
  'header-trim',
  'start-with-gitmoji',
  'type-case',
  'type-enum',
  'type-empty',
  'scope-enum',
  'scope-empty',
  'subject-empty',
  'subject-imperative',
  'subject-case',
  'subject-full-stop',
  'subject-max-length',
  'header-max-length',
  'breaking-change-exclamation-mark',
  'ticket-pattern',
  'body-leading-blank',
  'body-max-line-length',
  'footer-leading-blank',
  'footer-max-line-length',
  'references-empty',
  'message-pattern',
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

/** What a violation does: `block` stops the commit, `warn` reports it, `off` skips the rule. */
export const ruleLevelSchema = z.enum(['block', 'warn', 'off']);
export type RuleLevel = z.infer<typeof ruleLevelSchema>;

/** commitlint's cases (`lower-case`, `sentence-case`, …). */
export const textCaseSchema = z.enum([
  'lower-case',
  'upper-case',
  'camel-case',
  'kebab-case',
  'pascal-case',
  'sentence-case',
  'snake-case',
  'start-case',
]);
export type TextCase = z.infer<typeof textCaseSchema>;

const common = {
  level: ruleLevelSchema,
  /** Set by an organisation: a team may not lower the level or loosen the value. */
  enforced: z.boolean().optional(),
};
const fixable = { autofix: z.boolean().optional() };
const notFixable = (why: string) => ({
  autofix: z.literal(false, { error: `has no autofix: ${why}` }).optional(),
});
const alwaysOrNever = { when: z.enum(['always', 'never']).optional() };
const alwaysOnly = { when: z.literal('always').optional() };

const names = z.array(z.string().trim().min(1).max(60)).min(1).max(200);
const length = z.number().int().min(1).max(10_000);
const cases = z.union([textCaseSchema, z.array(textCaseSchema).min(1)], {
  error: `must be a case (${textCaseSchema.options.join(', ')}) or a list of them`,
});
const flags = z
  .string()
  .regex(/^(?!.*(.).*\1)[imsu]*$/, { error: 'may hold only the flags i, m, s and u, each once' })
  .optional();
// A team's own expression runs on every commit; a bound on its size keeps it reviewable.
const pattern = z.string().min(1).max(500);

function compiles(value: { pattern: string; flags?: string | undefined }, ctx: z.RefinementCtx) {
  try {
    new RegExp(value.pattern, value.flags);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      path: ['pattern'],
      message: `is not a valid regular expression (${(error as Error).message})`,
    });
  }
}

export const ruleEntrySchema = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('header-trim'), ...common, ...fixable, ...alwaysOnly }),
  z.strictObject({
    rule: z.literal('start-with-gitmoji'),
    ...common,
    ...fixable,
    ...alwaysOnly,
    value: z.strictObject({ form: z.enum(['emoji', 'shortcode', 'either']) }).optional(),
  }),
  z.strictObject({ rule: z.literal('type-case'), ...common, ...fixable, ...alwaysOrNever, value: cases }),
  z.strictObject({ rule: z.literal('type-enum'), ...common, ...fixable, ...alwaysOrNever, value: names }),
  z.strictObject({
    rule: z.literal('type-empty'),
    ...common,
    ...notFixable('Keel cannot know the type of a change from its message'),
    ...alwaysOrNever,
  }),
  z.strictObject({ rule: z.literal('scope-enum'), ...common, ...fixable, ...alwaysOrNever, value: names }),
  z.strictObject({
    rule: z.literal('scope-empty'),
    ...common,
    ...notFixable('a scope cannot be guessed from the message, nor removed without losing text'),
    ...alwaysOrNever,
  }),
  z.strictObject({
    rule: z.literal('subject-empty'),
    ...common,
    ...notFixable('Keel does not write the subject for you'),
    ...alwaysOrNever,
  }),
  z.strictObject({ rule: z.literal('subject-imperative'), ...common, ...fixable, ...alwaysOnly }),
  z.strictObject({ rule: z.literal('subject-case'), ...common, ...fixable, ...alwaysOrNever, value: cases }),
  z.strictObject({
    rule: z.literal('subject-full-stop'),
    ...common,
    ...fixable,
    ...alwaysOrNever,
    value: z.string().min(1).max(3).optional(),
  }),
  z.strictObject({
    rule: z.literal('subject-max-length'),
    ...common,
    ...notFixable('Keel never shortens a subject silently'),
    ...alwaysOnly,
    value: length,
  }),
  z.strictObject({
    rule: z.literal('header-max-length'),
    ...common,
    ...notFixable('Keel never shortens a header silently'),
    ...alwaysOnly,
    value: length,
  }),
  z.strictObject({
    rule: z.literal('breaking-change-exclamation-mark'),
    ...common,
    ...fixable,
    ...alwaysOnly,
  }),
  z.strictObject({
    rule: z.literal('ticket-pattern'),
    ...common,
    ...fixable,
    ...alwaysOnly,
    value: z
      .strictObject({
        pattern,
        flags,
        where: z.enum(['subject', 'footer', 'anywhere']).optional(),
        footerToken: z
          .string()
          .regex(/^[A-Za-z][\w-]*$/, { error: 'must be a trailer token such as Refs or Jira' })
          .optional(),
      })
      .superRefine(compiles),
  }),
  z.strictObject({ rule: z.literal('body-leading-blank'), ...common, ...fixable, ...alwaysOrNever }),
  z.strictObject({
    rule: z.literal('body-max-line-length'),
    ...common,
    ...fixable,
    ...alwaysOnly,
    value: length,
  }),
  z.strictObject({ rule: z.literal('footer-leading-blank'), ...common, ...fixable, ...alwaysOrNever }),
  z.strictObject({
    rule: z.literal('footer-max-line-length'),
    ...common,
    ...notFixable('a long trailer is usually a URL or a name list that must stay on one line'),
    ...alwaysOnly,
    value: length,
  }),
  z.strictObject({
    rule: z.literal('references-empty'),
    ...common,
    ...notFixable('Keel cannot know which issue a change belongs to'),
    ...alwaysOrNever,
  }),
  z.strictObject({
    rule: z.literal('message-pattern'),
    ...common,
    ...notFixable('a custom pattern says what is wrong, not how to fix it'),
    ...alwaysOrNever,
    value: z
      .strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, {
          error: 'must be a short lower-case name (letters, digits, -)',
        }),
        pattern,
        flags,
        target: z.enum(['header', 'subject', 'body', 'footer', 'message']).optional(),
        explanation: z.string().trim().min(1).max(500),
      })
      .superRefine(compiles),
  }),
]);

/** The rules that can rewrite a message (`autofix: true` is refused on the others). */
export const FIXABLE_RULES: readonly RuleName[] = [
  'header-trim',
  'start-with-gitmoji',
  'type-case',
  'type-enum',
  'scope-enum',
  'subject-imperative',
  'subject-case',
  'subject-full-stop',
  'breaking-change-exclamation-mark',
  'ticket-pattern',
  'body-leading-blank',
  'body-max-line-length',
  'footer-leading-blank',
];

/** One configured rule. */
export type RuleEntry = z.infer<typeof ruleEntrySchema>;
/** An entry of a rule that has an autofix. */
export type FixableEntry = Exclude<RuleEntry, { autofix?: false | undefined }>;

export function isFixable(entry: RuleEntry): entry is FixableEntry {
  return FIXABLE_RULES.includes(entry.rule);
}

/** The entry of one rule, by name: `RuleOf<'type-enum'>`. */
export type RuleOf<N extends RuleName> = Extract<RuleEntry, { rule: N }>;

// Where commitlint's own default is not what a rule is written for, the usual meaning is the
// default: "the type may never be empty", "the subject never ends with a full stop".
const neverByDefault = new Set<RuleName>([
  'type-empty',
  'scope-empty',
  'subject-empty',
  'subject-full-stop',
  'references-empty',
]);

/** An entry's `when`, or its default: `never` for the `*-empty` rules and `subject-full-stop`. */
export function whenOf(entry: RuleEntry): 'always' | 'never' {
  const when = 'when' in entry ? entry.when : undefined;
  return when ?? (neverByDefault.has(entry.rule) ? 'never' : 'always');
}

/**
 * What identifies an entry: its rule name, or `message-pattern:<name>` (a convention may hold
 * several custom patterns). One entry per key in a list; merging replaces by key.
 */
export function ruleKey(entry: RuleEntry): string {
  return entry.rule === 'message-pattern' ? `message-pattern:${entry.value.name}` : entry.rule;
}

function duplicates(rules: RuleEntry[]): { index: number; first: number; field: string; key: string }[] {
  const seen = new Map<string, number>();
  const found: { index: number; first: number; field: string; key: string }[] = [];
  rules.forEach((entry, index) => {
    const key = ruleKey(entry);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else found.push({ index, first, key, field: entry.rule === 'message-pattern' ? 'value.name' : 'rule' });
  });
  return found;
}

/** A list of rules, one entry per rule (per name for `message-pattern`). */
export const ruleListSchema = z
  .array(ruleEntrySchema)
  .max(200)
  .superRefine((rules, ctx) => {
    for (const d of duplicates(rules))
      ctx.addIssue({ code: 'custom', path: [d.index, ...d.field.split('.')], message: duplicateMessage(d) });
  });

function duplicateMessage(d: { first: number; key: string }): string {
  return `repeats ${d.key} (already configured at index ${d.first}); keep one entry per rule`;
}

/** `rules[2].value.pattern` from a prefix and a zod path. */
function fieldOf(prefix: string, path: readonly PropertyKey[]): string {
  let field = prefix;
  for (const part of path)
    field += typeof part === 'number' ? `[${part}]` : field ? `.${String(part)}` : String(part);
  return field;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * Checks a rule list (as stored, or as an API body gives it) and names every problem by its
 * field: `[{ field: 'rules[2].value', message: 'Too small: expected number to be >=1' }]`.
 * An empty array means the list is valid. `field` is the list's own name in the caller's body.
 */
export function validateRules(input: unknown, field = 'rules'): FieldError[] {
  const parsed = ruleListSchema.safeParse(input);
  const errors: FieldError[] = [];
  const add = (error: FieldError) => {
    if (!errors.some((e) => e.field === error.field && e.message === error.message)) errors.push(error);
  };
  for (const issue of parsed.error?.issues ?? []) {
    if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
      const given = valueAt(input, issue.path);
      add({
        field: fieldOf(field, issue.path),
        message:
          given === undefined
            ? 'is required: name the rule (e.g. "type-enum")'
            : `is not a rule Keel knows: ${JSON.stringify(given)}`,
      });
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        add({ field: fieldOf(field, [...issue.path, key]), message: 'is not a setting of this rule' });
    } else add({ field: fieldOf(field, issue.path), message: issue.message });
  }
  // The list's own check runs only once every entry parses; duplicates are worth naming at once.
  if (!parsed.success && Array.isArray(input)) {
    const readable = input.flatMap((entry, index) => {
      const one = ruleEntrySchema.safeParse(entry);
      return one.success ? [{ index, entry: one.data }] : [];
    });
    for (const d of duplicates(readable.map((r) => r.entry))) {
      const index = readable[d.index]?.index ?? d.index;
      const first = readable[d.first]?.index ?? d.first;
      add({
        field: fieldOf(field, [index, ...d.field.split('.')]),
        message: duplicateMessage({ first, key: d.key }),
      });
    }
  }
  return errors;
}

/**
 * The rule list, or a `validation_failed` KeelError whose `details.errors` are
 * `validateRules`' field errors (the API answers 400 problem+json with them).
 */
export function parseRules(input: unknown, field = 'rules'): RuleEntry[] {
  const errors = validateRules(input, field);
  if (errors.length > 0)
    throw new KeelError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      details: { errors },
    });
  return ruleListSchema.parse(input);
}
