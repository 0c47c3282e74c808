import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../../api/client';
import { formErrors } from '../../../api/problem';
import type { Body, Provider } from '../../../api/types';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Badge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { Panel } from '../../../ui/card';
import { ConfirmButton } from '../../../ui/confirm';
import { Dialog } from '../../../ui/dialog';
import { SelectField, Switch, TextField } from '../../../ui/field';
import { QueryView } from '../../../ui/states';
import { type Column, DataTable } from '../../../ui/table';
import { KeysDialog } from './keys.dialog';
import { llmKeys, useProviders } from './llm.queries';

type Kind = Body<'/llm/providers', 'post'>['kind'];
const kinds: Kind[] = ['openai', 'anthropic', 'groq', 'openai-compatible'];

export function ProvidersPanel() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const providers = useProviders();
  const [adding, setAdding] = useState(false);
  const [keysOf, setKeysOf] = useState<Provider | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['llm'] });
  const setStatus = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(
        api.PATCH('/llm/providers/{id}', {
          params: { path: { id } },
          body: { status: active ? 'active' : 'inactive' },
        }),
      ),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/llm/providers/{id}', { params: { path: { id } } })),
    onSettled: refresh,
  });
  const failure = setStatus.error ?? remove.error;

  const columns: Column<Provider>[] = [
    {
      key: 'name',
      header: t('admin.llm.provider'),
      cell: (p) => (
        <div className="flex flex-col">
          <span className="font-medium">{p.display_name}</span>
          <code className="text-xs text-muted">{p.name}</code>
        </div>
      ),
    },
    { key: 'kind', header: t('admin.llm.kind'), cell: (p) => <Badge>{p.kind}</Badge> },
    {
      key: 'url',
      header: t('admin.llm.baseUrl'),
      wide: true,
      cell: (p) => <span className="break-all text-xs">{p.base_url ?? '—'}</span>,
    },
    { key: 'priority', header: t('admin.llm.priority'), align: 'right', wide: true, cell: (p) => p.priority },
    {
      key: 'circuit',
      header: t('admin.llm.circuit'),
      cell: (p) => (
        <Badge tone={p.circuit === 'closed' ? 'ok' : p.circuit === 'open' ? 'danger' : 'warn'}>
          {t(`admin.llm.circuitState.${p.circuit}`)}
        </Badge>
      ),
    },
    {
      key: 'active',
      header: t('admin.llm.active'),
      cell: (p) => (
        <Switch
          label={t('admin.llm.activeNamed', { name: p.display_name })}
          checked={p.status === 'active'}
          disabled={setStatus.isPending}
          onChange={(active) => setStatus.mutate({ id: p.id, active })}
        />
      ),
    },
    {
      key: 'actions',
      header: <span className="sr-only">{t('common.actions')}</span>,
      align: 'right',
      cell: (p) => (
        <div className="flex justify-end gap-2">
          {p.kind !== 'offline' && (
            <>
              <Button
                size="sm"
                onClick={() => setKeysOf(p)}
                aria-label={t('admin.llm.keysOf', { name: p.display_name })}
              >
                {t('admin.llm.keys')}
              </Button>
              <ConfirmButton
                label={t('admin.llm.removeNamed', { name: p.display_name })}
                title={t('admin.llm.removeProvider')}
                message={t('admin.llm.removeProviderConfirm', { name: p.display_name })}
                confirmLabel={t('common.remove')}
                onConfirm={() => remove.mutate(p.id)}
              >
                {t('common.remove')}
              </ConfirmButton>
            </>
          )}
        </div>
      ),
    },
  ];

  return (
    <Panel
      title={t('admin.llm.providers')}
      description={t('admin.llm.providersHint')}
      actions={
        <Button
          size="sm"
          variant="primary"
          onClick={() => setAdding(true)}
          icon={<Plus aria-hidden className="size-4" />}
        >
          {t('admin.llm.addProvider')}
        </Button>
      }
    >
      {failure && (
        <Alert kind="error" className="mb-3">
          {failure.message}
        </Alert>
      )}
      <QueryView query={providers} isEmpty={(d) => d.items.length === 0}>
        {(data) => (
          <DataTable
            caption={t('admin.llm.providers')}
            columns={columns}
            rows={data.items}
            rowKey={(p) => p.id}
          />
        )}
      </QueryView>
      <AddProviderDialog open={adding} onClose={() => setAdding(false)} />
      {keysOf && <KeysDialog provider={keysOf} onClose={() => setKeysOf(null)} />}
    </Panel>
  );
}

function AddProviderDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [kind, setKind] = useState<Kind>('openai');
  const [baseUrl, setBaseUrl] = useState('');
  const [priority, setPriority] = useState('10');
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/llm/providers', {
          body: {
            name: name.trim(),
            display_name: displayName.trim() || name.trim(),
            kind,
            priority: Number(priority),
            ...(baseUrl.trim() ? { base_url: baseUrl.trim() } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setName('');
      setDisplayName('');
      setBaseUrl('');
      add.reset();
      onClose();
      return queryClient.invalidateQueries({ queryKey: llmKeys.providers });
    },
  });
  const server = formErrors(add.error, ['body.name', 'body.display_name', 'body.base_url', 'body.priority']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('admin.llm.addProvider')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="add-provider" variant="primary" busy={add.isPending}>
            {t('common.add')}
          </Button>
        </>
      }
    >
      <form id="add-provider" onSubmit={submit} noValidate className="flex flex-col gap-4">
        {server.general && <Alert kind="error">{server.general}</Alert>}
        <SelectField
          label={t('admin.llm.kind')}
          value={kind}
          onChange={(e) => setKind(e.target.value as Kind)}
          options={kinds.map((k) => ({ value: k, label: k }))}
        />
        <TextField
          label={t('admin.llm.name')}
          value={name}
          placeholder="openai"
          onChange={(e) => setName(e.target.value)}
          error={server.byField['body.name']}
        />
        <TextField
          label={t('admin.llm.displayName')}
          value={displayName}
          placeholder="OpenAI"
          onChange={(e) => setDisplayName(e.target.value)}
          error={server.byField['body.display_name']}
        />
        <TextField
          label={t('admin.llm.baseUrl')}
          value={baseUrl}
          type="url"
          placeholder="http://127.0.0.1:11434/v1"
          onChange={(e) => setBaseUrl(e.target.value)}
          hint={t('admin.llm.baseUrlHint')}
          error={server.byField['body.base_url']}
        />
        <TextField
          label={t('admin.llm.priority')}
          type="number"
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
          hint={t('admin.llm.priorityHint')}
          error={server.byField['body.priority']}
        />
      </form>
    </Dialog>
  );
}
