import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actions, callerOf } from '../notify.http.js';
import { locales, renderTemplate, type TemplateSource } from './render.js';
import type { Templates } from './templates.service.js';

const name = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'must be a template name such as commits.draft_ready');
const templateSchema = z.object({
  name: z.string(),
  locale: z.enum(locales),
  version: z.number().int().describe('0: the text shipped with Keel'),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  kakao_template_code: z.string().nullable(),
  created_at: z.iso.datetime().nullable(),
});

const dto = (t: TemplateSource & { createdAt?: Date | null }): z.infer<typeof templateSchema> => ({
  name: t.name,
  locale: t.locale,
  version: t.version,
  subject: t.subject,
  text: t.text,
  html: t.html,
  kakao_template_code: t.kakaoTemplateCode,
  created_at: t.createdAt?.toISOString() ?? null,
});

/** `/notify/templates`: every version, a new version, and a preview. */
export function templatesRoutes(templates: Templates): FastifyPluginAsyncZod {
  return async function notifyTemplatesPlugin(app) {
    app.get(
      '/templates',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Templates: stored versions, newest first, and the built-in ones (version 0)',
          querystring: z.object({ name: name.optional() }),
          response: { 200: z.object({ items: z.array(templateSchema) }) },
        },
      },
      async (request) => ({ items: (await templates.list(request.query.name)).map(dto) }),
    );

    app.post(
      '/templates',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Save a new version of a template in one language',
          description:
            'Mustache syntax, logic-less: `{{name}}` inserts a value (HTML-escaped in `html`), `{{#items}}…{{/items}}` ' +
            'repeats over a list. Without `text`, the plain-text part is derived from `html`.',
          body: z
            .object({
              name,
              locale: z.enum(locales),
              subject: z.string().trim().min(1).max(500),
              text: z.string().max(20_000).default(''),
              html: z.string().max(100_000).nullable().default(null),
              kakao_template_code: z.string().max(64).nullable().default(null),
            })
            .strict()
            .refine((b) => b.text.trim() !== '' || (b.html ?? '').trim() !== '', {
              message: 'give text, html or both',
              path: ['text'],
            }),
          response: { 201: templateSchema },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const saved = await templates.save({
          name: b.name,
          locale: b.locale,
          subject: b.subject,
          text: b.text,
          html: b.html,
          kakaoTemplateCode: b.kakao_template_code,
          createdBy: callerOf(request).userId,
        });
        return reply.code(201).send(dto(saved));
      },
    );

    app.post(
      '/templates/preview',
      {
        config: { action: actions.admin },
        schema: {
          tags: ['notify'],
          summary: 'Render the current version of a template with sample data',
          body: z
            .object({ name, locale: z.enum(locales), data: z.record(z.string(), z.unknown()).default({}) })
            .strict(),
          response: {
            200: z.object({
              version: z.number().int(),
              subject: z.string(),
              text: z.string(),
              html: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const source = await templates.current(request.body.name, request.body.locale);
        const rendered = renderTemplate(source, request.body.data);
        return {
          version: source.version,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html ?? null,
        };
      },
    );
  };
}
