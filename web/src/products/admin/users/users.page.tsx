import { useInfiniteQuery } from '@tanstack/react-query';
import { Plus, Search } from 'lucide-react';
import { useState } from 'react';
import { api, unwrap } from '../../../api/client';
import type { UserRow, UserStatus } from '../../../api/types';
import { displayName } from '../../../app/shell/account-menu';
import { useI18n } from '../../../i18n/i18n';
import { useDebounced } from '../../../lib/use-debounced';
import { Badge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { PageHeader, Panel } from '../../../ui/card';
import { inputClass, SelectField } from '../../../ui/field';
import { EmptyState, ErrorPanel, Loading } from '../../../ui/states';
import { type Column, DataTable } from '../../../ui/table';
import { CreateUserDialog } from './create-user.dialog';
import { UserDialog } from './user.dialog';
import { roles, statusTone } from './users.model';

export default function UsersPage() {
  const { t, date, number } = useI18n();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'' | UserStatus>('');
  const [role, setRole] = useState('');
  const [selected, setSelected] = useState<UserRow | null>(null);
  const [creating, setCreating] = useState(false);
  const search = useDebounced(q.trim());
  const users = useInfiniteQuery({
    queryKey: ['users', { search, status, role }],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/users/', {
          params: {
            query: {
              limit: 25,
              ...(search ? { q: search } : {}),
              ...(status ? { status } : {}),
              ...(role ? { role } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  const total = users.data?.pages[0]?.total;

  const columns: Column<UserRow>[] = [
    {
      key: 'user',
      header: t('admin.users.user'),
      cell: (u) => (
        <div className="flex min-w-0 flex-col items-start">
          <button
            type="button"
            onClick={() => setSelected(u)}
            className="text-left font-medium hover:text-accent hover:underline"
          >
            {displayName(u)}
          </button>
          <span className="truncate text-xs text-muted">
            {[u.username, u.email].filter(Boolean).join(' · ')}
          </span>
        </div>
      ),
    },
    {
      key: 'roles',
      header: t('admin.users.roles'),
      wide: true,
      cell: (u) => (
        <div className="flex flex-wrap gap-1">
          {u.roles.map((r) => (
            <Badge key={r} tone={r === 'admin' ? 'accent' : 'neutral'}>
              {r}
            </Badge>
          ))}
        </div>
      ),
    },
    {
      key: 'status',
      header: t('common.status'),
      cell: (u) => <Badge tone={statusTone[u.status]}>{t(`admin.users.status.${u.status}`)}</Badge>,
    },
    { key: 'login', header: t('admin.users.lastLogin'), wide: true, cell: (u) => date(u.last_login_at) },
    { key: 'created', header: t('common.created'), wide: true, cell: (u) => date(u.created_at, 'date') },
    {
      key: 'manage',
      header: <span className="sr-only">{t('common.actions')}</span>,
      align: 'right',
      wide: true,
      cell: (u) => (
        <Button
          size="sm"
          onClick={() => setSelected(u)}
          aria-label={t('admin.users.manageNamed', { name: displayName(u) })}
        >
          {t('admin.users.manage')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('admin.users.title')}
        description={t('admin.users.description')}
        actions={
          <Button
            variant="primary"
            onClick={() => setCreating(true)}
            icon={<Plus aria-hidden className="size-4" />}
          >
            {t('admin.users.create')}
          </Button>
        }
      />
      <Panel
        title={total === undefined ? t('admin.users.all') : t('admin.users.count', { count: number(total) })}
        actions={null}
      >
        <div className="mb-4 grid grid-cols-2 gap-3 sm:grid-cols-[1fr_auto_auto]">
          <div className="col-span-2 flex flex-col gap-1.5 sm:col-span-1">
            <label htmlFor="user-search" className="text-sm font-medium">
              {t('common.search')}
            </label>
            <div className="relative">
              <Search aria-hidden className="pointer-events-none absolute left-3 top-3 size-4 text-muted" />
              <input
                id="user-search"
                type="search"
                value={q}
                onChange={(e) => setQ(e.target.value)}
                placeholder={t('admin.users.searchPlaceholder')}
                className={`${inputClass} h-10 pl-9`}
              />
            </div>
          </div>
          <SelectField
            label={t('common.status')}
            value={status}
            onChange={(e) => setStatus(e.target.value as '' | UserStatus)}
            options={[
              { value: '', label: t('common.all') },
              { value: 'active', label: t('admin.users.status.active') },
              { value: 'inactive', label: t('admin.users.status.inactive') },
              { value: 'banned', label: t('admin.users.status.banned') },
            ]}
          />
          <SelectField
            label={t('admin.users.role')}
            value={role}
            onChange={(e) => setRole(e.target.value)}
            options={[{ value: '', label: t('common.all') }, ...roles.map((r) => ({ value: r, label: r }))]}
          />
        </div>
        {users.isPending ? (
          <Loading />
        ) : !users.data ? (
          <ErrorPanel error={users.error} onRetry={() => void users.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState>{t('admin.users.empty')}</EmptyState>
        ) : (
          <>
            <DataTable caption={t('admin.users.title')} columns={columns} rows={rows} rowKey={(u) => u.id} />
            {users.hasNextPage && (
              <div className="mt-4 flex justify-center">
                <Button busy={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>
                  {t('common.loadMore')}
                </Button>
              </div>
            )}
          </>
        )}
      </Panel>
      {selected && <UserDialog user={selected} onClose={() => setSelected(null)} onChanged={setSelected} />}
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
