import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { AuditEntry, AuditResult } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { useDebounced } from '../../lib/use-debounced';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { SelectField, TextField } from '../../ui/field';
import { EmptyState, ErrorPanel, Loading } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';
import { useUserNames } from './use-user-names';

const resultTone = { succeeded: 'ok', failed: 'warn', denied: 'danger' } as const;

/** The action log: every change and every refusal, newest first, with filters. */
export default function AuditPage() {
  const { t, date } = useI18n();
  const nameOf = useUserNames();
  const [action, setAction] = useState('');
  const [result, setResult] = useState<'' | AuditResult>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const actionFilter = useDebounced(action.trim());
  const filters = {
    ...(actionFilter ? { action: actionFilter } : {}),
    ...(result ? { result } : {}),
    ...(from ? { from: new Date(`${from}T00:00:00`).toISOString() } : {}),
    ...(to ? { to: new Date(`${to}T23:59:59.999`).toISOString() } : {}),
  };
  const log = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/audit/', {
          params: { query: { limit: 50, ...filters, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: Column<AuditEntry>[] = [
    {
      key: 'at',
      header: t('admin.audit.when'),
      cell: (e) => <span className="whitespace-nowrap">{date(e.at)}</span>,
    },
    {
      key: 'user',
      header: t('admin.audit.who'),
      cell: (e) => (e.api_key_id ? `${nameOf(e.user_id)} (API key)` : nameOf(e.user_id)),
    },
    {
      key: 'action',
      header: t('admin.audit.action'),
      cell: (e) => <code className="text-xs">{e.action}</code>,
    },
    {
      key: 'route',
      header: t('admin.audit.request'),
      wide: true,
      cell: (e) => (
        <span className="font-mono text-xs">
          {e.method} {e.resource}
          {e.resource_id && <span className="text-muted"> · {e.resource_id}</span>}
        </span>
      ),
    },
    {
      key: 'result',
      header: t('admin.audit.result'),
      cell: (e) => (
        <Badge tone={resultTone[e.result]}>
          {t(`admin.audit.results.${e.result}`)} {e.status}
        </Badge>
      ),
    },
    { key: 'ip', header: 'IP', wide: true, cell: (e) => <span className="text-xs">{e.ip ?? '—'}</span> },
  ];

  return (
    <>
      <PageHeader title={t('admin.audit.title')} description={t('admin.audit.description')} />
      <Panel title={t('admin.audit.entries')}>
        <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <TextField
            label={t('admin.audit.action')}
            value={action}
            placeholder="me.update"
            onChange={(e) => setAction(e.target.value)}
          />
          <SelectField
            label={t('admin.audit.result')}
            value={result}
            onChange={(e) => setResult(e.target.value as '' | AuditResult)}
            options={[
              { value: '', label: t('common.all') },
              { value: 'succeeded', label: t('admin.audit.results.succeeded') },
              { value: 'failed', label: t('admin.audit.results.failed') },
              { value: 'denied', label: t('admin.audit.results.denied') },
            ]}
          />
          <TextField
            label={t('admin.audit.from')}
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
          <TextField
            label={t('admin.audit.to')}
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </div>
        {log.isPending ? (
          <Loading />
        ) : !log.data ? (
          <ErrorPanel error={log.error} onRetry={() => void log.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState>{t('admin.audit.empty')}</EmptyState>
        ) : (
          <>
            <DataTable
              caption={t('admin.audit.entries')}
              columns={columns}
              rows={rows}
              rowKey={(e) => e.id}
            />
            {log.hasNextPage && (
              <div className="mt-4 flex justify-center">
                <Button busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                  {t('common.loadMore')}
                </Button>
              </div>
            )}
          </>
        )}
      </Panel>
    </>
  );
}
