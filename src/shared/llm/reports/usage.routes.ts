import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../../../kernel/errors/index.js';
import type { LlmServices } from '../llm.context.js';

const groups = {
  day: `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`,
  model: `provider || '/' || model`,
  provider: 'provider',
  user: `coalesce(user_id::text, '(none)')`,
  org: `coalesce(org_id::text, '(none)')`,
  feature: 'feature',
} as const;

const rowSchema = z.object({
  key: z.string(),
  requests: z.number().int(),
  failed: z.number().int(),
  cache_hits: z.number().int(),
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  cost_usd: z.number(),
  saved_usd: z.number().describe('What semantic-cache hits saved'),
});

/** `/llm/usage`: requests, tokens, cost and cache hits by day, model, provider, user, org or feature. */
export function usageRoutes(services: LlmServices): FastifyPluginAsyncZod {
  const { db } = services.ctx;
  return async function usagePlugin(app) {
    app.get(
      '/usage',
      {
        config: { action: 'llm.usage.read' },
        schema: {
          tags: ['llm'],
          summary: 'Usage report (admins: everything; org admins: their org)',
          querystring: z.object({
            group_by: z.enum(['day', 'model', 'provider', 'user', 'org', 'feature']).default('day'),
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
            org_id: z.uuid().optional(),
          }),
          response: {
            200: z.object({
              group_by: z.string(),
              rows: z.array(rowSchema),
              totals: rowSchema.omit({ key: true }).extend({ cache_hit_rate: z.number() }),
            }),
          },
        },
      },
      async (request) => {
        const principal = request.principal;
        if (!principal) throw new KeelError('unauthorized', 'Sign-in is required.');
        const q = request.query;
        const isAdmin = principal.roles.includes('admin');
        // Org admins read their own org's usage only.
        const orgId = isAdmin ? (q.org_id ?? null) : principal.orgId;
        if (!isAdmin && (!orgId || (q.org_id && q.org_id !== orgId)))
          throw new KeelError('forbidden', 'Org admins read the usage of their own org only.');
        // This process's own queued rows first, so a report never misses a call it just served.
        await services.meter.flush();
        const rows = await db.query<{
          key: string;
          requests: number;
          failed: number;
          cache_hits: number;
          prompt_tokens: number;
          completion_tokens: number;
          cost_usd: number;
          saved_usd: number;
        }>(
          `select ${groups[q.group_by]} as key, count(distinct request_id)::int as requests,
                  count(*) filter (where status = 'error')::int as failed,
                  count(*) filter (where cache_hit)::int as cache_hits,
                  coalesce(sum(prompt_tokens), 0)::int as prompt_tokens,
                  coalesce(sum(completion_tokens), 0)::int as completion_tokens,
                  coalesce(sum(cost_usd), 0)::float8 as cost_usd,
                  coalesce(sum(saved_usd), 0)::float8 as saved_usd
           from llm.requests
           where ($1::timestamptz is null or created_at >= $1) and ($2::timestamptz is null or created_at < $2)
             and ($3::uuid is null or org_id = $3)
           group by 1 order by 1`,
          [q.from ?? null, q.to ?? null, orgId],
        );
        const sum = (
          field:
            | 'requests'
            | 'failed'
            | 'cache_hits'
            | 'prompt_tokens'
            | 'completion_tokens'
            | 'cost_usd'
            | 'saved_usd',
        ) => rows.reduce((total, row) => total + row[field], 0);
        const requests = sum('requests');
        return {
          group_by: q.group_by,
          rows,
          totals: {
            requests,
            failed: sum('failed'),
            cache_hits: sum('cache_hits'),
            prompt_tokens: sum('prompt_tokens'),
            completion_tokens: sum('completion_tokens'),
            cost_usd: sum('cost_usd'),
            saved_usd: sum('saved_usd'),
            cache_hit_rate: requests === 0 ? 0 : sum('cache_hits') / requests,
          },
        };
      },
    );
  };
}
