import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KeelError } from '../errors/index.js';
import type { JobName, JobQueue } from '../jobs/index.js';

export const jobsReadAction = 'kernel.jobs.read';

const states = z.object({
  queue: z.string(),
  dead_letter: z.string().nullable(),
  created: z.number().int(),
  retry: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

/** `/admin/jobs`: every queue's job counts per state, and a queue's dead letters (admins). */
export function jobsRoutes(
  jobs: Pick<JobQueue, 'states' | 'deadLetters'> | undefined,
): FastifyPluginAsyncZod {
  const queue = () => {
    if (!jobs) throw new KeelError('unavailable', 'This process runs no job queue.');
    return jobs;
  };
  return async function jobsPlugin(app) {
    app.get(
      '/admin/jobs',
      {
        config: { action: jobsReadAction },
        schema: {
          tags: ['system'],
          summary: 'Background job queues and their jobs per state (archived jobs are not counted)',
          response: { 200: z.object({ items: z.array(states) }) },
        },
      },
      async () => ({
        items: (await queue().states()).map((s) => ({
          queue: s.queue,
          dead_letter: s.deadLetter,
          created: s.created,
          retry: s.retry,
          active: s.active,
          completed: s.completed,
          failed: s.failed,
          cancelled: s.cancelled,
        })),
      }),
    );

    app.get(
      '/admin/jobs/:queue/dead-letters',
      {
        config: { action: jobsReadAction },
        schema: {
          tags: ['system'],
          summary: "A queue's newest dead letters: jobs that failed every attempt, with their last error",
          params: z.object({ queue: z.string().regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'must be a queue name') }),
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  original_job_id: z.string().nullable(),
                  payload: z.unknown(),
                  error: z.record(z.string(), z.unknown()).nullable(),
                  trace_uuid: z.string().nullable(),
                  dead_at: z.iso.datetime(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const known = (await queue().states()).some((s) => s.queue === request.params.queue && s.deadLetter);
        if (!known) throw new KeelError('not_found', `there is no queue ${request.params.queue}`);
        const letters = await queue().deadLetters(request.params.queue as JobName, request.query.limit);
        return {
          items: letters.map((d) => ({
            id: d.id,
            original_job_id: d.originalJobId,
            payload: d.payload,
            error: d.error,
            trace_uuid: d.traceUuid,
            dead_at: d.deadAt.toISOString(),
          })),
        };
      },
    );
  };
}
