import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import type { Me } from '../../api/types';
import { LanguageSelect, ThemeChoices } from '../../app/preferences';
import { meKey, useMe } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { Button } from '../../ui/button';
import { PageHeader, Panel } from '../../ui/card';
import { ConfirmButton } from '../../ui/confirm';
import { TextField } from '../../ui/field';
import { QueryView } from '../../ui/states';
import { useToast } from '../../ui/toast';

const fields = ['body.full_name', 'body.nickname', 'body.country_code'] as const;

export default function ProfilePage() {
  const me = useMe();
  const { t, date } = useI18n();
  return (
    <>
      <PageHeader title={t('account.profile.title')} description={t('account.profile.description')} />
      <div className="grid gap-5 xl:grid-cols-2">
        <ProfileForm me={me} />
        <Panel title={t('account.profile.preferences')}>
          <div className="flex flex-col gap-5">
            <LanguageSelect signedIn />
            <ThemeChoices />
          </div>
        </Panel>
        <Panel title={t('account.profile.signIn')}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted">{t('account.profile.username')}</dt>
            <dd>{me.username ?? '—'}</dd>
            <dt className="text-muted">{t('account.profile.email')}</dt>
            <dd className="break-all">{me.email ?? '—'}</dd>
            <dt className="text-muted">{t('account.profile.phone')}</dt>
            <dd>{me.phone_masked ?? '—'}</dd>
            <dt className="text-muted">{t('account.profile.roles')}</dt>
            <dd className="flex flex-wrap gap-1">
              {me.roles.map((role) => (
                <Badge key={role} tone={role === 'admin' ? 'accent' : 'neutral'}>
                  {role}
                </Badge>
              ))}
            </dd>
            <dt className="text-muted">{t('account.profile.memberSince')}</dt>
            <dd>{date(me.created_at, 'date')}</dd>
            <dt className="text-muted">{t('account.profile.lastLogin')}</dt>
            <dd>{date(me.last_login_at)}</dd>
          </dl>
        </Panel>
        <DeletionPanel />
      </div>
    </>
  );
}

function ProfileForm({ me }: { me: Me }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [fullName, setFullName] = useState(me.full_name ?? '');
  const [nickname, setNickname] = useState(me.profile.nickname ?? '');
  const [country, setCountry] = useState(me.profile.country_code ?? '');
  const [local, setLocal] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/me/profile', {
          body: {
            full_name: fullName.trim() || null,
            nickname: nickname.trim() || null,
            country_code: country.trim().toUpperCase() || null,
          },
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(meKey, updated);
      toast.ok(t('common.saved'));
    },
  });
  const server = formErrors(save.error, fields);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (country.trim() && !/^[A-Za-z]{3}$/.test(country.trim()))
      problems['body.country_code'] = t('account.profile.countryRule');
    setLocal(problems);
    if (Object.keys(problems).length === 0) save.mutate();
  };
  return (
    <Panel title={t('account.profile.details')}>
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        {server.general && <Alert kind="error">{server.general}</Alert>}
        <TextField
          label={t('account.profile.fullName')}
          autoComplete="name"
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          error={server.byField['body.full_name']}
        />
        <TextField
          label={t('account.profile.nickname')}
          autoComplete="nickname"
          value={nickname}
          onChange={(e) => setNickname(e.target.value)}
          error={server.byField['body.nickname']}
        />
        <TextField
          label={t('account.profile.country')}
          autoComplete="country"
          placeholder="KOR"
          maxLength={3}
          value={country}
          onChange={(e) => setCountry(e.target.value)}
          hint={t('account.profile.countryRule')}
          error={local['body.country_code'] ?? server.byField['body.country_code']}
        />
        <div>
          <Button type="submit" variant="primary" busy={save.isPending}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}

function DeletionPanel() {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const key = ['me', 'deletion'];
  const request = useQuery({
    queryKey: key,
    // 404: no request was ever made, which is the usual case and not an error.
    queryFn: async () => {
      const { data, response } = await api.GET('/me/deletion/');
      if (response.status === 404) return null;
      return unwrap(Promise.resolve({ data, response, error: undefined }));
    },
  });
  const ask = useMutation({
    mutationFn: () => unwrap(api.POST('/me/deletion/', { body: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(api.DELETE('/me/deletion/')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  const failure = ask.error ?? cancel.error;
  return (
    <Panel title={t('account.deletion.title')} description={t('account.deletion.description')}>
      <QueryView query={request}>
        {(current) => (
          <div className="flex flex-col gap-3">
            {failure && <Alert kind="error">{failure.message}</Alert>}
            {current?.status === 'pending' ? (
              <>
                <Alert kind="warn">
                  {t('account.deletion.pending', { when: date(current.execute_after) })}
                </Alert>
                <div>
                  <Button busy={cancel.isPending} onClick={() => cancel.mutate()}>
                    {t('account.deletion.cancel')}
                  </Button>
                </div>
              </>
            ) : (
              <div>
                <ConfirmButton
                  variant="danger"
                  size="md"
                  busy={ask.isPending}
                  title={t('account.deletion.confirmTitle')}
                  message={t('account.deletion.confirm')}
                  confirmLabel={t('account.deletion.request')}
                  onConfirm={() => ask.mutate()}
                >
                  {t('account.deletion.request')}
                </ConfirmButton>
              </div>
            )}
          </div>
        )}
      </QueryView>
    </Panel>
  );
}
