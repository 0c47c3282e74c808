import Mustache from 'mustache';
import { z } from 'zod';
import { MIN_CASES } from './learn-style.js';
import type { Convention, ConventionIssue, StyleProfile, TicketStyle } from './style.types.js';

/** The variables a custom template can use (others render empty). */
export const TEMPLATE_VARIABLES = [
  'type',
  'scope',
  'subject',
  'body',
  'breaking',
  'breakingNote',
  'emoji',
  'emojiCode',
  'ticket',
] as const;

/** Names a template reads, sections included (`{{#scope}}…{{/scope}}` reads scope). */
function templateNames(tokens: Mustache.TemplateSpans): string[] {
  return tokens.flatMap((token) => {
    const [kind, name] = token;
    const children = Array.isArray(token[4]) ? templateNames(token[4] as Mustache.TemplateSpans) : [];
    return ['name', '&', '{', '#', '^'].includes(kind) ? [name, ...children] : children;
  });
}

/** Why a template cannot render a message, or null. */
export function templateProblem(template: string): string | null {
  let tokens: Mustache.TemplateSpans;
  try {
    tokens = Mustache.parse(template);
  } catch (error) {
    return `the template does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
  return templateNames(tokens).includes('subject') ? null : 'the template does not use {{subject}}';
}

const ticketStyle = z.object({
  placement: z.enum(['subject-prefix', 'subject-suffix', 'footer']),
  brackets: z.enum(['square', 'round']).nullable().optional(),
  token: z
    .string()
    .regex(/^[A-Za-z][\w-]*$/, 'a footer token is one word (Refs, Closes, Jira-Ticket)')
    .optional(),
});

export const conventionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('conventional'),
    breaking: z.enum(['bang', 'footer', 'both']).optional(),
    ticket: ticketStyle.optional(),
  }),
  z.object({
    kind: z.literal('gitmoji'),
    style: z.enum(['code', 'unicode'], { error: "style is 'code' (:sparkles:) or 'unicode' (✨)" }),
    ticket: ticketStyle.optional(),
  }),
  z.object({
    kind: z.literal('custom'),
    template: z
      .string({ error: 'a custom convention needs a template' })
      .max(4000)
      .superRefine((template, ctx) => {
        const problem = template.trim() === '' ? 'the template is empty' : templateProblem(template);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  }),
]);

/**
 * What is wrong with a convention, field by field (`[]` when it can be used). A custom
 * template must parse as Mustache and use `{{subject}}`.
 *
 * @example
 * validateConvention({ kind: 'custom', template: '{{#type}}' });
 * // [{ field: 'template', message: 'the template does not parse: Unclosed section "type" at 9' }]
 */
export function validateConvention(input: unknown): ConventionIssue[] {
  const parsed = conventionSchema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : 'kind',
    message:
      issue.code === 'invalid_union' && issue.path.join('.') === 'kind'
        ? "kind is 'conventional', 'gitmoji' or 'custom'"
        : issue.message,
  }));
}

/**
 * The convention a team's history shows: gitmoji (in the form it writes them) when most headers
 * start with one, else Conventional Commits; with its breaking-change marker and ticket habit.
 */
export function conventionFromProfile(profile: StyleProfile): Convention {
  const ticket: TicketStyle | undefined =
    profile.sample >= MIN_CASES && profile.tickets.share >= 0.3 && profile.tickets.placement
      ? {
          placement: profile.tickets.placement,
          ...(profile.tickets.placement === 'footer'
            ? { token: profile.tickets.footerToken ?? 'Refs' }
            : { brackets: profile.tickets.brackets }),
        }
      : undefined;
  if (profile.sample >= MIN_CASES && profile.gitmoji >= 0.5)
    return { kind: 'gitmoji', style: profile.gitmojiStyle ?? 'unicode', ...(ticket ? { ticket } : {}) };
  return {
    kind: 'conventional',
    ...(profile.breaking.marker ? { breaking: profile.breaking.marker } : {}),
    ...(ticket ? { ticket } : {}),
  };
}
