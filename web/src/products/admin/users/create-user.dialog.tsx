import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../../api/client';
import { formErrors } from '../../../api/problem';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Button } from '../../../ui/button';
import { Dialog } from '../../../ui/dialog';
import { Checkbox, TextField } from '../../../ui/field';
import { useToast } from '../../../ui/toast';

const fields = ['body.username', 'body.email', 'body.full_name', 'body.password'] as const;

/** A user with a password (an administrator or a service account); others sign in by phone or Google. */
export function CreateUserDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [email, setEmail] = useState('');
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');
  const [admin, setAdmin] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/users/', {
          body: {
            username: username.trim(),
            ...(email.trim() ? { email: email.trim() } : {}),
            ...(fullName.trim() ? { full_name: fullName.trim() } : {}),
            ...(password ? { password } : {}),
            roles: admin ? ['admin'] : [],
          },
        }),
      ),
    onSuccess: () => {
      toast.ok(t('admin.users.created'));
      setUsername('');
      setEmail('');
      setFullName('');
      setPassword('');
      setAdmin(false);
      create.reset();
      onClose();
      return queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const server = formErrors(create.error, fields);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^[A-Za-z0-9_.-]{3,64}$/.test(username.trim())) problems['body.username'] = t('setup.usernameRule');
    if (email.trim() && !/^[^\s@]+@[^\s@]+$/.test(email.trim()))
      problems['body.email'] = t('validation.email');
    if (password && password.length < 12) problems['body.password'] = t('validation.minLength', { min: 12 });
    setLocal(problems);
    if (Object.keys(problems).length === 0) create.mutate();
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('admin.users.create')}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="create-user" variant="primary" busy={create.isPending}>
            {t('admin.users.create')}
          </Button>
        </>
      }
    >
      <form id="create-user" onSubmit={submit} noValidate className="flex flex-col gap-4">
        {server.general && <Alert kind="error">{server.general}</Alert>}
        <TextField
          label={t('account.profile.username')}
          value={username}
          autoComplete="off"
          onChange={(e) => setUsername(e.target.value)}
          error={local['body.username'] ?? server.byField['body.username']}
        />
        <TextField
          label={t('account.profile.email')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={local['body.email'] ?? server.byField['body.email']}
        />
        <TextField
          label={t('account.profile.fullName')}
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          error={server.byField['body.full_name']}
        />
        <TextField
          label={t('setup.password')}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint={t('admin.users.passwordHint')}
          error={local['body.password'] ?? server.byField['body.password']}
        />
        <Checkbox
          label={t('admin.users.makeAdmin')}
          checked={admin}
          onChange={(e) => setAdmin(e.target.checked)}
        />
      </form>
    </Dialog>
  );
}
