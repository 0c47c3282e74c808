import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../../api/client';
import { formErrors } from '../../../api/problem';
import type { RoutingRule } from '../../../api/types';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Badge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { Panel } from '../../../ui/card';
import { ConfirmButton } from '../../../ui/confirm';
import { SelectField, TextField } from '../../../ui/field';
import { QueryView } from '../../../ui/states';
import { type Column, DataTable } from '../../../ui/table';
import { llmKeys, useModels } from './llm.queries';

export function RoutingPanel() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: llmKeys.rules, queryFn: () => unwrap(api.GET('/llm/routing-rules')) });
  const models = useModels();
  const plans = useQuery({ queryKey: ['plans', 'catalog'], queryFn: () => unwrap(api.GET('/plans/')) });
  const modelName = (id: string) =>
    models.data?.items.find((m) => m.id === id)?.display_name ?? id.slice(0, 8);
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/llm/routing-rules/{id}', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: llmKeys.rules }),
  });

  const [feature, setFeature] = useState('*');
  const [modelId, setModelId] = useState('');
  const [planKey, setPlanKey] = useState('');
  const [priority, setPriority] = useState('10');
  const [weight, setWeight] = useState('100');
  const chosenModel = modelId || (models.data?.items[0]?.id ?? '');
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/llm/routing-rules', {
          body: {
            feature: feature.trim(),
            model_id: chosenModel,
            plan_key: planKey || null,
            priority: Number(priority),
            weight: Number(weight),
          },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: llmKeys.rules }),
  });
  const server = formErrors(add.error, ['body.feature', 'body.model_id', 'body.priority', 'body.weight']);

  const columns: Column<RoutingRule>[] = [
    {
      key: 'feature',
      header: t('admin.llm.feature'),
      cell: (r) => <code className="text-xs">{r.feature}</code>,
    },
    {
      key: 'scope',
      header: t('admin.llm.scope'),
      cell: (r) =>
        r.org_id ? (
          <Badge tone="accent">org {r.org_id.slice(0, 8)}</Badge>
        ) : r.plan_key ? (
          <Badge>{r.plan_key}</Badge>
        ) : (
          <Badge tone="neutral">{t('admin.llm.everyone')}</Badge>
        ),
    },
    { key: 'model', header: t('admin.llm.model'), cell: (r) => modelName(r.model_id) },
    { key: 'priority', header: t('admin.llm.priority'), align: 'right', wide: true, cell: (r) => r.priority },
    { key: 'weight', header: t('admin.llm.weight'), align: 'right', wide: true, cell: (r) => r.weight },
    {
      key: 'actions',
      header: <span className="sr-only">{t('common.actions')}</span>,
      align: 'right',
      cell: (r) => (
        <ConfirmButton
          label={t('admin.llm.removeRuleNamed', { feature: r.feature })}
          title={t('admin.llm.removeRule')}
          message={t('admin.llm.removeRuleConfirm', { feature: r.feature })}
          confirmLabel={t('common.remove')}
          onConfirm={() => remove.mutate(r.id)}
        >
          {t('common.remove')}
        </ConfirmButton>
      ),
    },
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };

  return (
    <Panel title={t('admin.llm.routing')} description={t('admin.llm.routingHint')}>
      {remove.error && (
        <Alert kind="error" className="mb-3">
          {remove.error.message}
        </Alert>
      )}
      <QueryView query={rules} isEmpty={(d) => d.items.length === 0} empty={t('admin.llm.noRules')}>
        {(data) => (
          <DataTable
            caption={t('admin.llm.routing')}
            columns={columns}
            rows={data.items}
            rowKey={(r) => r.id}
          />
        )}
      </QueryView>
      <form onSubmit={submit} noValidate className="mt-5 flex flex-col gap-3 border-t border-border pt-4">
        <h3 className="text-sm font-semibold">{t('admin.llm.addRule')}</h3>
        {server.general && <Alert kind="error">{server.general}</Alert>}
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <TextField
            label={t('admin.llm.feature')}
            value={feature}
            onChange={(e) => setFeature(e.target.value)}
            hint={t('admin.llm.featureHint')}
            error={server.byField['body.feature']}
          />
          <SelectField
            label={t('admin.llm.model')}
            value={chosenModel}
            onChange={(e) => setModelId(e.target.value)}
            options={(models.data?.items ?? []).map((m) => ({ value: m.id, label: m.display_name }))}
            error={server.byField['body.model_id']}
          />
          <SelectField
            label={t('admin.llm.scope')}
            value={planKey}
            onChange={(e) => setPlanKey(e.target.value)}
            options={[
              { value: '', label: t('admin.llm.everyone') },
              ...(plans.data?.plans ?? []).map((p) => ({ value: p.plan_key, label: p.plan_label })),
            ]}
          />
          <TextField
            label={t('admin.llm.priority')}
            type="number"
            value={priority}
            onChange={(e) => setPriority(e.target.value)}
            error={server.byField['body.priority']}
          />
          <TextField
            label={t('admin.llm.weight')}
            type="number"
            min={0}
            value={weight}
            onChange={(e) => setWeight(e.target.value)}
            error={server.byField['body.weight']}
          />
        </div>
        <div>
          <Button type="submit" busy={add.isPending} disabled={!chosenModel}>
            {t('admin.llm.addRule')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
