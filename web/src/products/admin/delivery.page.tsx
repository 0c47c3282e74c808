import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError, formErrors } from '../../api/problem';
import type { ChannelSettings, DeliveryLogEntry, DeliveryOutcome, NotifyChannel } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Badge, type Tone } from '../../ui/badge';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { ConfirmButton } from '../../ui/confirm';
import { Dialog } from '../../ui/dialog';
import { Checkbox, SelectField, TextAreaField } from '../../ui/field';
import { SecretValue } from '../../ui/secret-value';
import { EmptyState, ErrorPanel, Loading, QueryView } from '../../ui/states';
import { type Column, DataTable } from '../../ui/table';
import { useToast } from '../../ui/toast';

type SetupChannel = Exclude<NotifyChannel, 'inapp'>;
const setupChannels: readonly SetupChannel[] = ['email', 'slack', 'sms', 'kakao', 'webhook', 'webpush'];
const allChannels: readonly NotifyChannel[] = ['inapp', ...setupChannels];
const outcomes: readonly DeliveryOutcome[] = [
  'delivered',
  'retry',
  'failed',
  'dead',
  'skipped',
  'deferred',
  'interrupted',
];
const outcomeTone: Record<string, Tone> = {
  delivered: 'ok',
  retry: 'warn',
  deferred: 'warn',
  interrupted: 'warn',
  failed: 'danger',
  dead: 'danger',
  skipped: 'neutral',
};

/** Notification channels of the instance, the delivery queue and the delivery log. */
export default function DeliveryPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('admin.delivery.title')} description={t('admin.delivery.description')} />
      <div className="flex flex-col gap-5">
        <Channels />
        <DeliveryLog />
      </div>
    </>
  );
}

function Channels() {
  const { t, date } = useI18n();
  const channels = useQuery({
    queryKey: ['notify', 'channels'],
    queryFn: () => unwrap(api.GET('/notify/channels')),
  });
  const queue = useQuery({
    queryKey: ['notify', 'queue'],
    queryFn: () => unwrap(api.GET('/notify/queue')),
    refetchInterval: 10_000,
  });
  const [editing, setEditing] = useState<SetupChannel | null>(null);
  return (
    <Panel title={t('admin.delivery.channels')} description={t('admin.delivery.channelsHint')}>
      <QueryView query={channels}>
        {(data) => (
          <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
            {setupChannels.map((channel) => {
              const settings = data.items.find((c) => c.channel === channel && c.org_id === null);
              const waiting = (queue.data?.items ?? [])
                .filter((q) => q.channel === channel && (q.state === 'pending' || q.state === 'sending'))
                .reduce((sum, q) => sum + q.count, 0);
              return (
                <li key={channel} className="flex flex-col gap-2 rounded-md border border-border p-3">
                  <div className="flex items-center justify-between gap-2">
                    <span className="font-medium">{t(`channels.${channel}`)}</span>
                    {!settings ? (
                      <Badge>{t('admin.delivery.notSetUp')}</Badge>
                    ) : settings.enabled ? (
                      <Badge tone="ok">{t('admin.delivery.enabled')}</Badge>
                    ) : (
                      <Badge tone="warn">{t('admin.delivery.disabled')}</Badge>
                    )}
                  </div>
                  <p className="text-xs text-muted">
                    {settings
                      ? t('admin.delivery.updated', { when: date(settings.updated_at) })
                      : t(`channels.${channel}Hint`)}
                    {waiting > 0 && ` · ${t('admin.delivery.waiting', { count: waiting })}`}
                  </p>
                  <div>
                    <Button
                      size="sm"
                      onClick={() => setEditing(channel)}
                      aria-label={t('admin.delivery.configureNamed', { channel: t(`channels.${channel}`) })}
                    >
                      {t('admin.delivery.configure')}
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </QueryView>
      {editing && (
        <ChannelDialog
          channel={editing}
          settings={channels.data?.items.find((c) => c.channel === editing && c.org_id === null)}
          onClose={() => setEditing(null)}
        />
      )}
    </Panel>
  );
}

function ChannelDialog({
  channel,
  settings,
  onClose,
}: {
  channel: SetupChannel;
  settings: ChannelSettings | undefined;
  onClose(): void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(settings?.enabled ?? true);
  const [config, setConfig] = useState(JSON.stringify(settings?.config ?? {}, null, 2));
  const [secrets, setSecrets] = useState('{}');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [generated, setGenerated] = useState<Record<string, unknown> | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notify', 'channels'] });
  const save = useMutation({
    mutationFn: (body: {
      enabled: boolean;
      config: Record<string, unknown>;
      secrets: Record<string, unknown>;
    }) => unwrap(api.PUT('/notify/channels/{channel}', { params: { path: { channel } }, body })),
    onSuccess: (result) => {
      toast.ok(t('common.saved'));
      void refresh();
      const fresh = result.generated_secrets as Record<string, unknown>;
      if (Object.keys(fresh).length > 0) setGenerated(fresh);
      else onClose();
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/notify/channels/{channel}', { params: { path: { channel } } })),
    onSuccess: () => {
      void refresh();
      onClose();
    },
  });
  const server = formErrors(save.error ?? remove.error, []);
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors : [];

  const parse = (text: string, field: string, problems: Record<string, string>) => {
    try {
      const value: unknown = JSON.parse(text || '{}');
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    problems[field] = t('admin.delivery.jsonObject');
    return {};
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const body = {
      enabled,
      config: parse(config, 'config', problems),
      secrets: parse(secrets, 'secrets', problems),
    };
    setLocal(problems);
    if (Object.keys(problems).length === 0) save.mutate(body);
  };

  if (generated) {
    return (
      <Dialog
        open
        onClose={onClose}
        title={t('admin.delivery.generated')}
        description={t('account.apiKeys.shownOnce')}
        footer={
          <Button variant="primary" onClick={onClose}>
            {t('common.done')}
          </Button>
        }
      >
        <div className="flex flex-col gap-3">
          {Object.entries(generated).map(([name, value]) => (
            <SecretValue key={name} label={name} value={String(value)} />
          ))}
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      wide
      title={t('admin.delivery.configureNamed', { channel: t(`channels.${channel}`) })}
      description={t('admin.delivery.configureHint')}
      footer={
        <>
          {settings && (
            <ConfirmButton
              size="md"
              variant="ghost"
              busy={remove.isPending}
              title={t('admin.delivery.removeTitle')}
              message={t('admin.delivery.removeConfirm')}
              confirmLabel={t('common.remove')}
              onConfirm={() => remove.mutate()}
            >
              {t('common.remove')}
            </ConfirmButton>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="channel-form" variant="primary" busy={save.isPending}>
            {t('common.save')}
          </Button>
        </>
      }
    >
      <form id="channel-form" onSubmit={submit} noValidate className="flex flex-col gap-4">
        {server.general && (
          <Alert kind="error">
            {server.general}
            {fieldErrors.length > 0 && (
              <ul className="mt-1 list-disc pl-4">
                {fieldErrors.map((e) => (
                  <li key={e.field}>
                    <code>{e.field}</code>: {e.message}
                  </li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        <Checkbox
          label={t('admin.delivery.enabled')}
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        <TextAreaField
          label={t('admin.delivery.config')}
          className="font-mono"
          rows={6}
          spellCheck={false}
          value={config}
          onChange={(e) => setConfig(e.target.value)}
          hint={t('admin.delivery.configHint')}
          error={local.config}
        />
        <TextAreaField
          label={t('admin.delivery.secrets')}
          rows={3}
          spellCheck={false}
          autoComplete="off"
          value={secrets}
          onChange={(e) => setSecrets(e.target.value)}
          hint={
            settings && settings.secrets_set.length > 0
              ? t('admin.delivery.secretsSet', { names: settings.secrets_set.join(', ') })
              : t('admin.delivery.secretsHint')
          }
          error={local.secrets}
        />
      </form>
    </Dialog>
  );
}

function DeliveryLog() {
  const { t, date } = useI18n();
  const [channel, setChannel] = useState<'' | NotifyChannel>('');
  const [outcome, setOutcome] = useState<'' | DeliveryOutcome>('');
  const filters = { ...(channel ? { channel } : {}), ...(outcome ? { outcome } : {}) };
  const log = useInfiniteQuery({
    queryKey: ['notify', 'logs', filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/notify/logs', {
          params: { query: { limit: 50, ...filters, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: Column<DeliveryLogEntry>[] = [
    {
      key: 'at',
      header: t('admin.audit.when'),
      cell: (e) => <span className="whitespace-nowrap">{date(e.sent_at)}</span>,
    },
    {
      key: 'channel',
      header: t('admin.delivery.channel'),
      cell: (e) =>
        allChannels.includes(e.channel as NotifyChannel)
          ? t(`channels.${e.channel as NotifyChannel}`)
          : e.channel,
    },
    {
      key: 'to',
      header: t('admin.delivery.recipient'),
      wide: true,
      cell: (e) => <span className="text-xs">{e.recipient}</span>,
    },
    {
      key: 'template',
      header: t('admin.delivery.template'),
      wide: true,
      cell: (e) => <code className="text-xs">{e.template}</code>,
    },
    { key: 'attempt', header: '#', align: 'right', wide: true, cell: (e) => e.attempt },
    {
      key: 'outcome',
      header: t('admin.delivery.outcome'),
      cell: (e) => (
        <div className="flex flex-col items-start gap-0.5">
          <Badge tone={outcomeTone[e.outcome] ?? 'neutral'}>
            {e.outcome}
            {e.http_status ? ` ${e.http_status}` : ''}
          </Badge>
          {e.failure_reason && <span className="max-w-xs text-xs text-muted">{e.failure_reason}</span>}
        </div>
      ),
    },
  ];
  return (
    <Panel title={t('admin.delivery.log')}>
      <div className="mb-4 grid gap-3 sm:grid-cols-2 lg:w-2/3">
        <SelectField
          label={t('admin.delivery.channel')}
          value={channel}
          onChange={(e) => setChannel(e.target.value as '' | NotifyChannel)}
          options={[
            { value: '', label: t('common.all') },
            ...allChannels.map((c) => ({ value: c, label: t(`channels.${c}`) })),
          ]}
        />
        <SelectField
          label={t('admin.delivery.outcome')}
          value={outcome}
          onChange={(e) => setOutcome(e.target.value as '' | DeliveryOutcome)}
          options={[{ value: '', label: t('common.all') }, ...outcomes.map((o) => ({ value: o, label: o }))]}
        />
      </div>
      {log.isPending ? (
        <Loading />
      ) : !log.data ? (
        <ErrorPanel error={log.error} onRetry={() => void log.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState>{t('admin.delivery.empty')}</EmptyState>
      ) : (
        <>
          <DataTable caption={t('admin.delivery.log')} columns={columns} rows={rows} rowKey={(e) => e.id} />
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
  );
}
