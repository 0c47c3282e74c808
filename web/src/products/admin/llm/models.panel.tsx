import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../../api/client';
import { formErrors } from '../../../api/problem';
import type { Model } from '../../../api/types';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Badge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { Panel } from '../../../ui/card';
import { Dialog } from '../../../ui/dialog';
import { Checkbox, SelectField, Switch, TextField } from '../../../ui/field';
import { QueryView } from '../../../ui/states';
import { type Column, DataTable } from '../../../ui/table';
import { llmKeys, useModels, useProviders } from './llm.queries';

const capabilities = ['chat', 'tools', 'json', 'embeddings'] as const;
type Capability = (typeof capabilities)[number];

export function ModelsPanel() {
  const { t, number } = useI18n();
  const queryClient = useQueryClient();
  const models = useModels();
  const providers = useProviders();
  const [adding, setAdding] = useState(false);
  const providerName = (id: string) => providers.data?.items.find((p) => p.id === id)?.display_name ?? '—';
  const setAvailable = useMutation({
    mutationFn: ({ id, available }: { id: string; available: boolean }) =>
      unwrap(api.PATCH('/llm/models/{id}', { params: { path: { id } }, body: { available } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: llmKeys.models }),
  });
  const price = (v: number | null) => (v === null ? '—' : number(v, { style: 'currency', currency: 'USD' }));

  const columns: Column<Model>[] = [
    {
      key: 'name',
      header: t('admin.llm.model'),
      cell: (m) => (
        <div className="flex flex-col">
          <span className="font-medium">{m.display_name}</span>
          <code className="text-xs text-muted">{m.name}</code>
        </div>
      ),
    },
    {
      key: 'provider',
      header: t('admin.llm.provider'),
      wide: true,
      cell: (m) => providerName(m.provider_id),
    },
    {
      key: 'caps',
      header: t('admin.llm.capabilities'),
      wide: true,
      cell: (m) => (
        <div className="flex flex-wrap gap-1">
          {m.capabilities.map((c) => (
            <Badge key={c}>{c}</Badge>
          ))}
        </div>
      ),
    },
    {
      key: 'price',
      header: t('admin.llm.prices'),
      align: 'right',
      cell: (m) => (
        <span className="whitespace-nowrap text-xs">
          {price(m.input_price_per_mtok)} / {price(m.output_price_per_mtok)}
        </span>
      ),
    },
    {
      key: 'available',
      header: t('admin.llm.available'),
      cell: (m) => (
        <Switch
          label={t('admin.llm.activeNamed', { name: m.display_name })}
          checked={m.available}
          onChange={(available) => setAvailable.mutate({ id: m.id, available })}
        />
      ),
    },
  ];

  return (
    <Panel
      title={t('admin.llm.models')}
      description={t('admin.llm.modelsHint')}
      actions={
        <Button
          size="sm"
          variant="primary"
          onClick={() => setAdding(true)}
          icon={<Plus aria-hidden className="size-4" />}
        >
          {t('admin.llm.addModel')}
        </Button>
      }
    >
      {setAvailable.error && (
        <Alert kind="error" className="mb-3">
          {setAvailable.error.message}
        </Alert>
      )}
      <QueryView query={models} isEmpty={(d) => d.items.length === 0}>
        {(data) => (
          <DataTable
            caption={t('admin.llm.models')}
            columns={columns}
            rows={data.items}
            rowKey={(m) => m.id}
          />
        )}
      </QueryView>
      <AddModelDialog open={adding} onClose={() => setAdding(false)} />
    </Panel>
  );
}

function AddModelDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const providers = useProviders();
  const choices = (providers.data?.items ?? []).filter((p) => p.kind !== 'offline');
  const [providerId, setProviderId] = useState('');
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [input, setInput] = useState('0');
  const [output, setOutput] = useState('0');
  const [context, setContext] = useState('');
  const [caps, setCaps] = useState<Capability[]>(['chat']);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/llm/models', {
          body: {
            provider_id: providerId || (choices[0]?.id ?? ''),
            name: name.trim(),
            display_name: displayName.trim() || name.trim(),
            input_price_per_mtok: Number(input),
            output_price_per_mtok: Number(output),
            context_window: context ? Number(context) : null,
            capabilities: caps,
          },
        }),
      ),
    onSuccess: () => {
      setName('');
      setDisplayName('');
      add.reset();
      onClose();
      return queryClient.invalidateQueries({ queryKey: llmKeys.models });
    },
  });
  const server = formErrors(add.error, [
    'body.provider_id',
    'body.name',
    'body.display_name',
    'body.input_price_per_mtok',
    'body.output_price_per_mtok',
    'body.context_window',
    'body.capabilities',
  ]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('admin.llm.addModel')}
      wide
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="submit"
            form="add-model"
            variant="primary"
            busy={add.isPending}
            disabled={choices.length === 0}
          >
            {t('common.add')}
          </Button>
        </>
      }
    >
      <form id="add-model" onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2">
        {choices.length === 0 && (
          <Alert kind="warn" className="sm:col-span-2">
            {t('admin.llm.needProvider')}
          </Alert>
        )}
        {server.general && (
          <Alert kind="error" className="sm:col-span-2">
            {server.general}
          </Alert>
        )}
        <SelectField
          label={t('admin.llm.provider')}
          value={providerId || (choices[0]?.id ?? '')}
          onChange={(e) => setProviderId(e.target.value)}
          options={choices.map((p) => ({ value: p.id, label: p.display_name }))}
          error={server.byField['body.provider_id']}
        />
        <TextField
          label={t('admin.llm.name')}
          value={name}
          placeholder="gpt-4o-mini"
          onChange={(e) => setName(e.target.value)}
          error={server.byField['body.name']}
        />
        <TextField
          label={t('admin.llm.displayName')}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={server.byField['body.display_name']}
        />
        <TextField
          label={t('admin.llm.contextWindow')}
          type="number"
          min={1}
          value={context}
          onChange={(e) => setContext(e.target.value)}
          error={server.byField['body.context_window']}
        />
        <TextField
          label={t('admin.llm.inputPrice')}
          type="number"
          min={0}
          step="0.001"
          value={input}
          onChange={(e) => setInput(e.target.value)}
          error={server.byField['body.input_price_per_mtok']}
        />
        <TextField
          label={t('admin.llm.outputPrice')}
          type="number"
          min={0}
          step="0.001"
          value={output}
          onChange={(e) => setOutput(e.target.value)}
          error={server.byField['body.output_price_per_mtok']}
        />
        <fieldset className="sm:col-span-2">
          <legend className="mb-2 text-sm font-medium">{t('admin.llm.capabilities')}</legend>
          <div className="flex flex-wrap gap-x-5 gap-y-2">
            {capabilities.map((c) => (
              <Checkbox
                key={c}
                label={c}
                checked={caps.includes(c)}
                onChange={(e) =>
                  setCaps((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))
                }
              />
            ))}
          </div>
          {server.byField['body.capabilities'] && (
            <p className="mt-1.5 text-xs font-medium text-danger">{server.byField['body.capabilities']}</p>
          )}
        </fieldset>
      </form>
    </Dialog>
  );
}
