import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../../api/client';
import { formErrors } from '../../../api/problem';
import type { Provider, ProviderKey } from '../../../api/types';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Button } from '../../../ui/button';
import { ConfirmButton } from '../../../ui/confirm';
import { Dialog } from '../../../ui/dialog';
import { Switch, TextField } from '../../../ui/field';
import { QueryView } from '../../../ui/states';
import { type Column, DataTable } from '../../../ui/table';
import { llmKeys } from './llm.queries';

/** A provider's keys: only their last four characters are ever shown; test, pause, remove, add. */
export function KeysDialog({ provider, onClose }: { provider: Provider; onClose(): void }) {
  const { t, number, date } = useI18n();
  const queryClient = useQueryClient();
  const key = llmKeys.keys(provider.id);
  const keys = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/llm/providers/{id}/keys', { params: { path: { id: provider.id } } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const test = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/llm/keys/{id}/test', { params: { path: { id } } })),
  });
  const setActive = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(
        api.PATCH('/llm/keys/{id}', {
          params: { path: { id } },
          body: { status: active ? 'active' : 'inactive' },
        }),
      ),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/llm/keys/{id}', { params: { path: { id } } })),
    onSettled: refresh,
  });
  const failure = test.error ?? setActive.error ?? remove.error;
  const usd = (value: number) =>
    number(value, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

  const columns: Column<ProviderKey>[] = [
    {
      key: 'name',
      header: t('admin.llm.name'),
      cell: (k) => (
        <div className="flex flex-col">
          <span className="font-medium">{k.name}</span>
          <code className="text-xs text-muted">••••{k.last4}</code>
        </div>
      ),
    },
    {
      key: 'budget',
      header: t('admin.llm.monthUsage'),
      cell: (k) =>
        `${usd(k.current_usage_usd)}${k.monthly_budget_usd === null ? '' : ` / ${usd(k.monthly_budget_usd)}`}`,
    },
    { key: 'used', header: t('admin.llm.lastUsed'), wide: true, cell: (k) => date(k.last_used_at) },
    {
      key: 'active',
      header: t('admin.llm.active'),
      cell: (k) => (
        <Switch
          label={t('admin.llm.activeNamed', { name: k.name })}
          checked={k.status === 'active'}
          onChange={(active) => setActive.mutate({ id: k.id, active })}
        />
      ),
    },
    {
      key: 'actions',
      header: <span className="sr-only">{t('common.actions')}</span>,
      align: 'right',
      cell: (k) => (
        <div className="flex justify-end gap-2">
          <Button
            size="sm"
            busy={test.isPending && test.variables === k.id}
            onClick={() => test.mutate(k.id)}
          >
            {t('admin.llm.test')}
          </Button>
          <ConfirmButton
            label={t('admin.llm.removeNamed', { name: k.name })}
            title={t('admin.llm.removeKey')}
            message={t('admin.llm.removeKeyConfirm', { name: k.name })}
            confirmLabel={t('common.remove')}
            onConfirm={() => remove.mutate(k.id)}
          >
            {t('common.remove')}
          </ConfirmButton>
        </div>
      ),
    },
  ];

  return (
    <Dialog open onClose={onClose} title={t('admin.llm.keysOf', { name: provider.display_name })} wide>
      <div className="flex flex-col gap-4">
        {failure && <Alert kind="error">{failure.message}</Alert>}
        {test.data && (
          <Alert kind={test.data.ok ? 'ok' : 'error'}>
            {test.data.ok
              ? t('admin.llm.testOk', { model: test.data.model ?? '—', ms: Math.round(test.data.latency_ms) })
              : (test.data.error ?? t('errors.unexpected'))}
          </Alert>
        )}
        <QueryView query={keys} isEmpty={(d) => d.items.length === 0} empty={t('admin.llm.noKeys')}>
          {(data) => (
            <DataTable
              caption={t('admin.llm.keys')}
              columns={columns}
              rows={data.items}
              rowKey={(k) => k.id}
            />
          )}
        </QueryView>
        <AddKeyForm providerId={provider.id} onAdded={refresh} />
      </div>
    </Dialog>
  );
}

function AddKeyForm({ providerId, onAdded }: { providerId: string; onAdded(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [budget, setBudget] = useState('');
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/llm/providers/{id}/keys', {
          params: { path: { id: providerId } },
          body: { name: name.trim(), key: secret, monthly_budget_usd: budget ? Number(budget) : null },
        }),
      ),
    onSuccess: () => {
      setName('');
      setSecret('');
      setBudget('');
      onAdded();
    },
  });
  const server = formErrors(add.error, ['body.name', 'body.key', 'body.monthly_budget_usd']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3 border-t border-border pt-4">
      <h3 className="text-sm font-semibold">{t('admin.llm.addKey')}</h3>
      {server.general && <Alert kind="error">{server.general}</Alert>}
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          label={t('admin.llm.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={server.byField['body.name']}
        />
        <TextField
          label={t('admin.llm.secret')}
          type="password"
          autoComplete="off"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          error={server.byField['body.key']}
        />
        <TextField
          label={t('admin.llm.budget')}
          type="number"
          min={0}
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          error={server.byField['body.monthly_budget_usd']}
        />
      </div>
      <p className="text-xs text-muted">{t('admin.llm.secretHint')}</p>
      <div>
        <Button type="submit" busy={add.isPending}>
          {t('admin.llm.addKey')}
        </Button>
      </div>
    </form>
  );
}
