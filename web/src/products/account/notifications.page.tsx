import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import type { NotifyChannel, Preference, Preferences } from '../../api/types';
import { meKey, useMe } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { Checkbox, SelectField, Switch, TextField } from '../../ui/field';
import { QueryView } from '../../ui/states';
import { useToast } from '../../ui/toast';

const key = ['notify', 'preferences'];
const channels: readonly NotifyChannel[] = ['inapp', 'email', 'sms', 'slack', 'kakao', 'webpush', 'webhook'];
const contactChannels = ['email', 'sms', 'slack', 'kakao', 'webhook'] as const;
type ContactChannel = (typeof contactChannels)[number];

export default function NotificationsPage() {
  const { t } = useI18n();
  const preferences = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/notify/preferences')) });
  return (
    <>
      <PageHeader
        title={t('account.notifications.title')}
        description={t('account.notifications.description')}
      />
      <div className="flex flex-col gap-5">
        <MasterSwitch />
        <QueryView query={preferences}>
          {(data) => (
            <div className="grid gap-5 xl:grid-cols-2">
              <ChannelsAndQuietHours key={JSON.stringify(data)} data={data} />
              <Contacts data={data} />
            </div>
          )}
        </QueryView>
      </div>
    </>
  );
}

function MasterSwitch() {
  const me = useMe();
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (on: boolean) => unwrap(api.PATCH('/me/settings', { body: { notifications_enabled: on } })),
    onSuccess: (updated) => queryClient.setQueryData(meKey, updated),
  });
  const on = toggle.isPending ? Boolean(toggle.variables) : me.settings.notifications_enabled;
  return (
    <Panel title={t('account.notifications.master')} description={t('account.notifications.masterHint')}>
      <div className="flex items-center justify-between gap-3">
        <span className="text-sm">{on ? t('common.on') : t('common.off')}</span>
        <Switch label={t('account.notifications.master')} checked={on} onChange={(v) => toggle.mutate(v)} />
      </div>
      {toggle.error && (
        <Alert kind="error" className="mt-3">
          {toggle.error.message}
        </Alert>
      )}
    </Panel>
  );
}

function channelEnabled(preferences: readonly Preference[], channel: NotifyChannel): boolean {
  return preferences.find((p) => p.type === '*' && p.channel === channel)?.enabled ?? true;
}

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

function ChannelsAndQuietHours({ data }: { data: Preferences }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(channels.map((c) => [c, channelEnabled(data.preferences, c)])),
  );
  const [quiet, setQuiet] = useState(data.quiet_hours !== null);
  const [start, setStart] = useState(data.quiet_hours?.start ?? '22:00');
  const [end, setEnd] = useState(data.quiet_hours?.end ?? '07:00');
  const [zone, setZone] = useState(data.quiet_hours?.timezone ?? browserZone);
  const zones = useMemo(() => {
    const all = Intl.supportedValuesOf?.('timeZone') ?? [browserZone];
    return all.includes(zone) ? all : [zone, ...all];
  }, [zone]);

  const save = useMutation({
    mutationFn: () => {
      // Per-channel rows for every type are replaced; more specific rows (one type) are kept.
      const kept = data.preferences.filter((p) => !(p.type === '*' && p.channel !== '*'));
      const rows = channels.map((channel) => ({ type: '*', channel, enabled: enabled[channel] ?? true }));
      return unwrap(
        api.PUT('/notify/preferences', {
          body: {
            preferences: [...kept, ...rows],
            quiet_hours: quiet ? { start, end, timezone: zone } : null,
          },
        }),
      );
    },
    onSuccess: () => {
      toast.ok(t('common.saved'));
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const server = formErrors(save.error, [
    'body.quiet_hours.start',
    'body.quiet_hours.end',
    'body.quiet_hours.timezone',
  ]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <Panel title={t('account.notifications.channels')} description={t('account.notifications.channelsHint')}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-5">
        {server.general && <Alert kind="error">{server.general}</Alert>}
        <ul className="flex flex-col divide-y divide-border">
          {channels.map((channel) => (
            <li key={channel} className="flex items-center justify-between gap-3 py-2.5 first:pt-0">
              <div>
                <p className="text-sm font-medium">{t(`channels.${channel}`)}</p>
                <p className="text-xs text-muted">{t(`channels.${channel}Hint`)}</p>
              </div>
              <Switch
                label={t(`channels.${channel}`)}
                checked={enabled[channel] ?? true}
                onChange={(v) => setEnabled((e) => ({ ...e, [channel]: v }))}
              />
            </li>
          ))}
        </ul>
        <fieldset className="flex flex-col gap-3 rounded-md border border-border p-3">
          <legend className="px-1 text-sm font-medium">{t('account.notifications.quietHours')}</legend>
          <Checkbox
            label={t('account.notifications.quietOn')}
            hint={t('account.notifications.quietHint')}
            checked={quiet}
            onChange={(e) => setQuiet(e.target.checked)}
          />
          {quiet && (
            <div className="grid gap-3 sm:grid-cols-3">
              <TextField
                label={t('account.notifications.from')}
                type="time"
                value={start}
                onChange={(e) => setStart(e.target.value)}
                error={server.byField['body.quiet_hours.start']}
              />
              <TextField
                label={t('account.notifications.until')}
                type="time"
                value={end}
                onChange={(e) => setEnd(e.target.value)}
                error={server.byField['body.quiet_hours.end']}
              />
              <SelectField
                label={t('account.notifications.timezone')}
                value={zone}
                onChange={(e) => setZone(e.target.value)}
                options={zones.map((z) => ({ value: z, label: z }))}
                error={server.byField['body.quiet_hours.timezone']}
              />
            </div>
          )}
        </fieldset>
        <div>
          <Button type="submit" variant="primary" busy={save.isPending}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}

function Contacts({ data }: { data: Preferences }) {
  const { t } = useI18n();
  return (
    <Panel title={t('account.notifications.contacts')} description={t('account.notifications.contactsHint')}>
      <div className="flex flex-col gap-4">
        {contactChannels.map((channel) => (
          <ContactRow
            key={channel}
            channel={channel}
            current={data.contacts.find((c) => c.channel === channel)?.destination}
          />
        ))}
      </div>
    </Panel>
  );
}

function ContactRow({ channel, current }: { channel: ContactChannel; current: string | undefined }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const done = () => {
    setValue('');
    toast.ok(t('common.saved'));
    return queryClient.invalidateQueries({ queryKey: key });
  };
  const set = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT('/notify/contacts/{channel}', {
          params: { path: { channel } },
          body: { destination: value },
        }),
      ),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/notify/contacts/{channel}', { params: { path: { channel } } })),
    onSuccess: done,
  });
  const server = formErrors(set.error ?? remove.error, ['body.destination']);
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) set.mutate();
      }}
      className="flex flex-col gap-2 sm:flex-row sm:items-end"
    >
      <TextField
        className="flex-1"
        label={t(`channels.${channel}`)}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder={current ?? t(`account.notifications.placeholder.${channel}`)}
        hint={
          current ? t('account.notifications.current', { value: current }) : t('account.notifications.notSet')
        }
        error={server.byField['body.destination'] ?? server.general}
      />
      <div className="flex gap-2 sm:pb-[1.375rem]">
        <Button type="submit" busy={set.isPending} disabled={!value.trim()}>
          {t('common.save')}
        </Button>
        {current && (
          <Button
            variant="ghost"
            busy={remove.isPending}
            onClick={() => remove.mutate()}
            aria-label={t('account.notifications.removeNamed', { channel: t(`channels.${channel}`) })}
          >
            {t('common.remove')}
          </Button>
        )}
      </div>
    </form>
  );
}
