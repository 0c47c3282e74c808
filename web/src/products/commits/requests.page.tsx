import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { buttonClass } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { SelectField } from '../../ui/field';
import { EmptyState, ErrorPanel, Loading, QueryView } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';
import { useRepositories } from './repositories';
import { StatusBadge } from './review/status-badge';
import { type RequestRow, type RequestStatus, requestStatuses } from './types';

const LIMIT = 50;

/** A repository's generation requests, newest first, each linking to its review. */
export default function RequestsPage() {
  const { t } = useI18n();
  const repositories = useRepositories();
  const [params, setParams] = useSearchParams();
  const items = repositories.data?.items ?? [];
  const repositoryId = items.find((r) => r.id === params.get('repository'))?.id ?? items[0]?.id ?? '';
  const status = requestStatuses.find((s) => s === params.get('status'));
  const choose = (next: { repository?: string; status?: string }) =>
    setParams(
      Object.fromEntries(
        Object.entries({ repository: repositoryId, status: status ?? '', ...next }).filter(([, v]) => v),
      ),
      { replace: true },
    );

  return (
    <>
      <PageHeader title={t('commits.requests.title')} description={t('commits.requests.description')} />
      {repositories.isPending ? (
        <Loading />
      ) : repositories.data === undefined ? (
        <ErrorPanel error={repositories.error} onRetry={() => void repositories.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>
          {t('commits.requests.noRepositories')}{' '}
          <Link to="/commits/repositories" className="font-medium text-accent hover:underline">
            {t('commits.requests.toRepositories')}
          </Link>
        </EmptyState>
      ) : (
        <>
          <div className="mb-4 flex flex-wrap items-end gap-2">
            <SelectField
              className="min-w-0 flex-1 sm:max-w-xs"
              label={t('commits.requests.repository')}
              value={repositoryId}
              onChange={(e) => choose({ repository: e.target.value })}
              options={items.map((r) => ({ value: r.id, label: r.name }))}
            />
            <SelectField
              className="min-w-0 flex-1 sm:max-w-xs"
              label={t('common.status')}
              value={status ?? ''}
              onChange={(e) => choose({ status: e.target.value })}
              options={[
                { value: '', label: t('common.all') },
                ...requestStatuses.map((s) => ({ value: s, label: t(`commits.status.${s}`) })),
              ]}
            />
          </div>
          <RequestList key={`${repositoryId}-${status}`} repositoryId={repositoryId} status={status} />
        </>
      )}
    </>
  );
}

function RequestList({ repositoryId, status }: { repositoryId: string; status: RequestStatus | undefined }) {
  const { t, relative, date } = useI18n();
  const requests = useQuery({
    queryKey: ['commits', 'requests', repositoryId, status],
    queryFn: () =>
      unwrap(
        api.GET('/commits/requests', {
          params: { query: { repository_id: repositoryId, limit: LIMIT, ...(status ? { status } : {}) } },
        }),
      ),
  });
  const columns: Column<RequestRow>[] = [
    {
      key: 'when',
      header: t('commits.requests.when'),
      cell: (r) => (
        <time dateTime={r.created_at} title={date(r.created_at)}>
          {relative(r.created_at)}
        </time>
      ),
    },
    {
      key: 'change',
      header: t('commits.requests.change'),
      cell: (r) => (
        <span className="whitespace-nowrap">
          {r.files === 1 ? t('commits.review.file') : t('commits.review.files', { count: r.files })}{' '}
          <span className="font-mono text-xs text-ok">+{r.added_lines}</span>{' '}
          <span className="font-mono text-xs text-danger">−{r.removed_lines}</span>
        </span>
      ),
    },
    {
      key: 'branch',
      header: t('commits.requests.branch'),
      wide: true,
      cell: (r) => <span className="break-all font-mono text-xs">{r.branch ?? '—'}</span>,
    },
    { key: 'trigger', header: t('commits.requests.trigger'), wide: true, cell: (r) => r.trigger },
    {
      key: 'status',
      header: t('common.status'),
      cell: (r) => <StatusBadge status={requestStatuses.find((s) => s === r.status) ?? 'ready'} />,
    },
    {
      key: 'open',
      header: <span className="sr-only">{t('common.actions')}</span>,
      align: 'right',
      cell: (r) => (
        <Link
          to={`/commits/requests/${r.id}`}
          className={buttonClass(r.status === 'ready' ? 'primary' : 'secondary', 'sm')}
          aria-label={t(r.status === 'ready' ? 'commits.requests.reviewOf' : 'commits.requests.openOf', {
            when: date(r.created_at),
          })}
        >
          {r.status === 'ready' ? t('commits.requests.review') : t('commits.requests.open')}
        </Link>
      ),
    },
  ];
  return (
    <Panel title={t('commits.requests.list')}>
      <QueryView query={requests} isEmpty={(d) => d.items.length === 0} empty={t('commits.requests.empty')}>
        {(data) => (
          <>
            <DataTable
              caption={t('commits.requests.list')}
              columns={columns}
              rows={data.items}
              rowKey={(r) => r.id}
            />
            {data.next_cursor && (
              <p className="mt-3 text-xs text-muted">{t('commits.requests.newest', { count: LIMIT })}</p>
            )}
          </>
        )}
      </QueryView>
    </Panel>
  );
}
