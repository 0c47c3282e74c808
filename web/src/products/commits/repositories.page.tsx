import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { TextField } from '../../ui/field';
import { QueryView } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';
import { useToast } from '../../ui/toast';
import { repositoriesKey, useRepositories } from './repositories';
import type { Repository } from './types';

/** The repositories you can reach, and a form to register one by name. */
export default function RepositoriesPage() {
  const { t, date } = useI18n();
  const repositories = useRepositories();
  const columns: Column<Repository>[] = [
    {
      key: 'name',
      header: t('commits.repositories.name'),
      cell: (r) => <span className="break-all font-medium">{r.name}</span>,
    },
    {
      key: 'branch',
      header: t('commits.repositories.branch'),
      wide: true,
      cell: (r) => <span className="font-mono text-xs">{r.default_branch ?? '—'}</span>,
    },
    {
      key: 'access',
      header: t('commits.repositories.access'),
      cell: (r) => t(`commits.repositories.level.${r.access}`),
    },
    { key: 'created', header: t('common.created'), wide: true, cell: (r) => date(r.created_at, 'date') },
    {
      key: 'requests',
      header: <span className="sr-only">{t('commits.repositories.requests')}</span>,
      align: 'right',
      cell: (r) => (
        <Link
          to={`/commits/requests?repository=${r.id}`}
          className="text-sm font-medium text-accent hover:underline"
          aria-label={t('commits.repositories.requestsOf', { name: r.name })}
        >
          {t('commits.repositories.requests')}
        </Link>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('commits.repositories.title')}
        description={t('commits.repositories.description')}
      />
      <Panel title={t('commits.repositories.register')} className="mb-4">
        <CreateRepository />
      </Panel>
      <Panel title={t('commits.repositories.list')}>
        <QueryView
          query={repositories}
          isEmpty={(d) => d.items.length === 0}
          empty={t('commits.repositories.empty')}
        >
          {(data) => (
            <DataTable
              caption={t('commits.repositories.list')}
              columns={columns}
              rows={data.items}
              rowKey={(r) => r.id}
            />
          )}
        </QueryView>
      </Panel>
    </>
  );
}

function CreateRepository() {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [local, setLocal] = useState<string>();
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/commits/repositories', { body: { name: name.trim() } })),
    onSuccess: async () => {
      setName('');
      toast.ok(t('commits.repositories.created'));
      await queryClient.invalidateQueries({ queryKey: repositoriesKey });
    },
  });
  const server = formErrors(create.error, ['name', 'body.name']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setLocal(t('validation.required'));
    setLocal(undefined);
    create.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2">
      {server.general && (
        <Alert kind="error" className="w-full">
          {server.general}
        </Alert>
      )}
      <TextField
        className="min-w-0 flex-1 sm:max-w-sm"
        label={t('commits.repositories.newName')}
        value={name}
        maxLength={200}
        autoCapitalize="none"
        spellCheck={false}
        onChange={(e) => setName(e.target.value)}
        error={local ?? server.byField.name ?? server.byField['body.name']}
      />
      <Button type="submit" variant="primary" busy={create.isPending}>
        {t('commits.repositories.create')}
      </Button>
    </form>
  );
}
