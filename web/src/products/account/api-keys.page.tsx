import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import type { ApiKey, CreatedApiKey } from '../../api/types';
import { useMe } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { ConfirmButton } from '../../ui/confirm';
import { Dialog } from '../../ui/dialog';
import { Checkbox, SelectField, TextField } from '../../ui/field';
import { SecretValue } from '../../ui/secret-value';
import { QueryView } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';
import { useToast } from '../../ui/toast';

const key = ['api-keys'];

/**
 * Actions a key may be given. The server has no "actions I hold" endpoint yet, so this is the
 * user role's default set plus the admin ones for admins; the server checks every action anyway.
 */
const userActions = [
  'me.read',
  'me.update',
  'orgs.read',
  'teams.read',
  'plans.read',
  'credits.read',
  'llm.use',
  'notify.self',
  'feedback.create',
];
const adminActions = [
  'users.read',
  'users.manage',
  'audit.read',
  'llm.admin',
  'llm.usage.read',
  'notify.send',
  'kernel.jobs.read',
];

export default function ApiKeysPage() {
  const { t, date } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/api-keys/')) });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      toast.ok(t('account.apiKeys.revoked'));
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });

  const columns: Column<ApiKey>[] = [
    {
      key: 'name',
      header: t('account.apiKeys.name'),
      cell: (k) => (
        <div className="flex flex-col">
          <span className="font-medium">{k.name}</span>
          <code className="text-xs text-muted">{k.prefix}…</code>
        </div>
      ),
    },
    {
      key: 'actions',
      header: t('account.apiKeys.actions'),
      wide: true,
      cell: (k) => (
        <div className="flex max-w-xs flex-wrap gap-1">
          {k.actions.map((a) => (
            <Badge key={a}>{a}</Badge>
          ))}
        </div>
      ),
    },
    { key: 'created', header: t('common.created'), wide: true, cell: (k) => date(k.created_at, 'date') },
    { key: 'used', header: t('account.apiKeys.lastUsed'), cell: (k) => date(k.last_used_at) },
    {
      key: 'state',
      header: t('common.status'),
      cell: (k) =>
        k.revoked_at ? (
          <Badge tone="danger">{t('account.apiKeys.revokedState')}</Badge>
        ) : k.expires_at && new Date(k.expires_at) < new Date() ? (
          <Badge tone="warn">{t('account.apiKeys.expired')}</Badge>
        ) : (
          <Badge tone="ok">{t('account.apiKeys.active')}</Badge>
        ),
    },
    {
      key: 'revoke',
      header: <span className="sr-only">{t('common.actions')}</span>,
      align: 'right',
      cell: (k) =>
        k.revoked_at ? null : (
          <ConfirmButton
            label={t('account.apiKeys.revokeNamed', { name: k.name })}
            busy={revoke.isPending && revoke.variables === k.id}
            title={t('account.apiKeys.revokeTitle')}
            message={t('account.apiKeys.revokeConfirm', { name: k.name })}
            confirmLabel={t('account.apiKeys.revoke')}
            onConfirm={() => revoke.mutate(k.id)}
          >
            {t('account.apiKeys.revoke')}
          </ConfirmButton>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('account.apiKeys.title')}
        description={t('account.apiKeys.description')}
        actions={
          <Button
            variant="primary"
            onClick={() => setCreating(true)}
            icon={<Plus aria-hidden className="size-4" />}
          >
            {t('account.apiKeys.create')}
          </Button>
        }
      />
      {revoke.error && (
        <Alert kind="error" className="mb-4">
          {revoke.error.message}
        </Alert>
      )}
      <Panel title={t('account.apiKeys.yours')}>
        <QueryView query={keys} isEmpty={(d) => d.items.length === 0} empty={t('account.apiKeys.empty')}>
          {(data) => (
            <DataTable
              caption={t('account.apiKeys.yours')}
              columns={columns}
              rows={data.items}
              rowKey={(k) => k.id}
            />
          )}
        </QueryView>
      </Panel>
      <CreateKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(k) => {
          setCreating(false);
          setCreated(k);
          void queryClient.invalidateQueries({ queryKey: key });
        }}
      />
      <Dialog
        open={created !== null}
        onClose={() => setCreated(null)}
        title={t('account.apiKeys.createdTitle')}
        description={t('account.apiKeys.shownOnce')}
        footer={
          <Button variant="primary" onClick={() => setCreated(null)}>
            {t('common.done')}
          </Button>
        }
      >
        {created && (
          <SecretValue value={created.key} label={t('account.apiKeys.theKey', { name: created.name })} />
        )}
      </Dialog>
    </>
  );
}

function CreateKeyDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose(): void;
  onCreated(key: CreatedApiKey): void;
}) {
  const { t } = useI18n();
  const me = useMe();
  const [name, setName] = useState('');
  const [actions, setActions] = useState<string[]>(['me.read']);
  const [days, setDays] = useState('90');
  const [local, setLocal] = useState<Record<string, string>>({});
  const offered = me.roles.includes('admin') ? [...userActions, ...adminActions] : userActions;
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api-keys/', {
          body: {
            name: name.trim(),
            actions,
            ...(days === 'never'
              ? {}
              : { expires_at: new Date(Date.now() + Number(days) * 86_400_000).toISOString() }),
          },
        }),
      ),
    onSuccess: (k) => {
      setName('');
      setActions(['me.read']);
      create.reset();
      onCreated(k);
    },
  });
  const server = formErrors(create.error, ['body.name', 'body.actions', 'body.expires_at']);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems['body.name'] = t('validation.required');
    if (actions.length === 0) problems['body.actions'] = t('account.apiKeys.pickAction');
    setLocal(problems);
    if (Object.keys(problems).length === 0) create.mutate();
  };
  const actionsError = local['body.actions'] ?? server.byField['body.actions'];
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('account.apiKeys.create')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="create-key" variant="primary" busy={create.isPending}>
            {t('account.apiKeys.create')}
          </Button>
        </>
      }
    >
      <form id="create-key" onSubmit={submit} noValidate className="flex flex-col gap-4">
        {server.general && <Alert kind="error">{server.general}</Alert>}
        <TextField
          label={t('account.apiKeys.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="ci-deploy"
          error={local['body.name'] ?? server.byField['body.name']}
        />
        <fieldset aria-describedby={actionsError ? 'key-actions-error' : undefined}>
          <legend className="mb-2 text-sm font-medium">{t('account.apiKeys.actions')}</legend>
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
            {offered.map((action) => (
              <Checkbox
                key={action}
                label={<code className="text-xs">{action}</code>}
                checked={actions.includes(action)}
                onChange={(e) =>
                  setActions((list) =>
                    e.target.checked ? [...list, action] : list.filter((a) => a !== action),
                  )
                }
              />
            ))}
          </div>
          {actionsError && (
            <p id="key-actions-error" className="mt-1.5 text-xs font-medium text-danger">
              {actionsError}
            </p>
          )}
        </fieldset>
        <SelectField
          label={t('account.apiKeys.expires')}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          options={[
            { value: '30', label: t('account.apiKeys.days', { days: 30 }) },
            { value: '90', label: t('account.apiKeys.days', { days: 90 }) },
            { value: '365', label: t('account.apiKeys.days', { days: 365 }) },
            { value: 'never', label: t('account.apiKeys.never') },
          ]}
          error={server.byField['body.expires_at']}
        />
      </form>
    </Dialog>
  );
}
