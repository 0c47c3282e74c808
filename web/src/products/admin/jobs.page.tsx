import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { JobQueue } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { cx } from '../../ui/cx';
import { Dialog } from '../../ui/dialog';
import { QueryView } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';

const states = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'] as const;
const stateColor: Record<(typeof states)[number], string> = {
  created: 'text-fg',
  retry: 'text-warn',
  active: 'text-accent',
  completed: 'text-ok',
  failed: 'text-danger',
  cancelled: 'text-muted',
};

/** Background job queues and how many jobs each holds per state (refreshed every 5 s). */
export default function JobsPage() {
  const { t, number } = useI18n();
  const [deadOf, setDeadOf] = useState<string | null>(null);
  const jobs = useQuery({
    queryKey: ['admin', 'jobs'],
    queryFn: () => unwrap(api.GET('/admin/jobs')),
    refetchInterval: 5_000,
  });

  const columns: Column<JobQueue>[] = [
    { key: 'queue', header: t('admin.jobs.queue'), cell: (q) => <code className="text-xs">{q.queue}</code> },
    ...states.map(
      (state): Column<JobQueue> => ({
        key: state,
        header: t(`admin.jobs.states.${state}`),
        align: 'right',
        wide: state === 'created' || state === 'cancelled',
        cell: (q) => (
          <span className={cx(q[state] > 0 ? stateColor[state] : 'text-muted')}>{number(q[state])}</span>
        ),
      }),
    ),
    {
      key: 'dead',
      header: t('admin.jobs.deadLetters'),
      align: 'right',
      cell: (q) => {
        const dead = deadCount(q);
        return dead > 0 ? (
          <Button
            size="sm"
            variant="danger"
            onClick={() => setDeadOf(q.queue)}
            aria-label={t('admin.jobs.deadLettersOf', { queue: q.queue })}
          >
            {number(dead)}
          </Button>
        ) : (
          <span className="text-muted">0</span>
        );
      },
    },
  ];
  // A queue's dead letters wait in a queue of their own: fold it into its queue's row.
  const all = jobs.data?.items ?? [];
  const deadQueues = new Set(all.map((q) => q.dead_letter).filter((name): name is string => Boolean(name)));
  const deadCount = (q: JobQueue) => {
    const dead = all.find((d) => d.queue === q.dead_letter);
    return dead ? states.reduce((sum, state) => sum + dead[state], 0) : 0;
  };

  return (
    <>
      <PageHeader title={t('admin.jobs.title')} description={t('admin.jobs.description')} />
      <Panel title={t('admin.jobs.queues')}>
        <QueryView query={jobs} isEmpty={(d) => d.items.length === 0}>
          {(data) => (
            <DataTable
              caption={t('admin.jobs.queues')}
              columns={columns}
              rows={data.items.filter((q) => !deadQueues.has(q.queue))}
              rowKey={(q) => q.queue}
            />
          )}
        </QueryView>
      </Panel>
      {deadOf && <DeadLetters queue={deadOf} onClose={() => setDeadOf(null)} />}
    </>
  );
}

function DeadLetters({ queue, onClose }: { queue: string; onClose(): void }) {
  const { t, date } = useI18n();
  const letters = useQuery({
    queryKey: ['admin', 'jobs', queue, 'dead'],
    queryFn: () =>
      unwrap(
        api.GET('/admin/jobs/{queue}/dead-letters', { params: { path: { queue }, query: { limit: 50 } } }),
      ),
  });
  return (
    <Dialog open onClose={onClose} title={t('admin.jobs.deadLettersOf', { queue })} wide>
      <QueryView query={letters} isEmpty={(d) => d.items.length === 0} empty={t('admin.jobs.noDeadLetters')}>
        {(data) => (
          <ul className="flex flex-col gap-3">
            {data.items.map((letter) => (
              <li key={letter.id} className="rounded-md border border-border p-3 text-sm">
                <p className="flex flex-wrap justify-between gap-2 text-xs text-muted">
                  <span>{date(letter.dead_at)}</span>
                  {letter.trace_uuid && <span className="font-mono">trace {letter.trace_uuid}</span>}
                </p>
                <pre className="mt-2 max-h-40 overflow-auto rounded bg-surface-2 p-2 text-xs">
                  {JSON.stringify(letter.error, null, 2)}
                </pre>
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </Dialog>
  );
}
