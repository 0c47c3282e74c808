import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { formErrors } from '../../api/problem';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/field';

const fields = ['body.username', 'body.password'] as const;

export function PasswordForm({ onSignedIn }: { onSignedIn(): Promise<void> }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const signIn = useMutation({
    mutationFn: () => unwrap(api.POST('/auth/password', { body: { username: username.trim(), password } })),
    onSuccess: () => onSignedIn(),
  });
  const server = formErrors(signIn.error, fields);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!username.trim()) problems['body.username'] = t('validation.required');
    if (!password) problems['body.password'] = t('validation.required');
    setLocal(problems);
    if (Object.keys(problems).length === 0) signIn.mutate();
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      {server.general && <Alert kind="error">{server.general}</Alert>}
      <TextField
        label={t('signIn.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={local['body.username'] ?? server.byField['body.username']}
      />
      <TextField
        label={t('signIn.passwordLabel')}
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={local['body.password'] ?? server.byField['body.password']}
      />
      <Button type="submit" variant="primary" busy={signIn.isPending} className="w-full">
        {t('signIn.submit')}
      </Button>
    </form>
  );
}
