import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import { useSaveLanguageNow } from '../../app/preferences';
import { useStartSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Button, buttonClass } from '../../ui/button';
import { TextField } from '../../ui/field';
import { ErrorPanel, Loading } from '../../ui/states';
import { PublicLayout } from '../public-layout';

const MIN_PASSWORD = 12;
const usernamePattern = /^[A-Za-z0-9_.-]{3,64}$/;
const fields = ['body.username', 'body.password', 'body.token'] as const;

/** First run: the one-time link the server printed makes its opener the first administrator. */
export default function SetupPage() {
  const { t, lang } = useI18n();
  const saveLanguage = useSaveLanguageNow();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const startSession = useStartSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const status = useQuery({ queryKey: ['auth', 'setup'], queryFn: () => unwrap(api.GET('/auth/setup')) });
  const complete = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/auth/setup', { body: { token, username: username.trim(), password } })),
    onSuccess: async () => {
      const me = await startSession();
      // The administrator set the server up in this language: make it their account's language
      // (new accounts start in the server's default), so the app does not switch under them.
      if (me.settings.language !== lang) await saveLanguage(lang).catch(() => undefined);
      await navigate('/', { replace: true });
    },
  });
  const server = formErrors(complete.error, fields);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!usernamePattern.test(username.trim())) problems['body.username'] = t('setup.usernameRule');
    if (password.length < MIN_PASSWORD)
      problems['body.password'] = t('validation.minLength', { min: MIN_PASSWORD });
    if (confirm !== password) problems.confirm = t('setup.mismatch');
    setLocal(problems);
    if (Object.keys(problems).length === 0) complete.mutate();
  };

  let content: ReactNode;
  if (status.isPending) content = <Loading />;
  else if (!status.data) content = <ErrorPanel error={status.error} onRetry={() => void status.refetch()} />;
  else if (!status.data.needed)
    content = (
      <div className="flex flex-col gap-4">
        <Alert kind="ok">{t('setup.done')}</Alert>
        <Link to="/sign-in" className={buttonClass('primary')}>
          {t('setup.toSignIn')}
        </Link>
      </div>
    );
  else if (!token) content = <Alert kind="warn">{t('setup.noToken')}</Alert>;
  else
    content = (
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        {(server.general || server.byField['body.token']) && (
          <Alert kind="error">{server.general ?? server.byField['body.token']}</Alert>
        )}
        <TextField
          label={t('setup.username')}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          hint={t('setup.usernameRule')}
          error={local['body.username'] ?? server.byField['body.username']}
        />
        <TextField
          label={t('setup.password')}
          name="new-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint={t('validation.minLength', { min: MIN_PASSWORD })}
          error={local['body.password'] ?? server.byField['body.password']}
        />
        <TextField
          label={t('setup.confirm')}
          name="confirm-password"
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={local.confirm}
        />
        <Button type="submit" variant="primary" busy={complete.isPending} className="w-full">
          {t('setup.submit')}
        </Button>
      </form>
    );

  return (
    <PublicLayout title={t('setup.title')} subtitle={t('setup.subtitle')}>
      {content}
    </PublicLayout>
  );
}
