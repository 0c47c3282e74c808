import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../../api/client';
import type { UserRow, UserStatus } from '../../../api/types';
import { displayName } from '../../../app/shell/account-menu';
import { useI18n } from '../../../i18n/i18n';
import { Alert } from '../../../ui/alert';
import { Badge } from '../../../ui/badge';
import { Button } from '../../../ui/button';
import { Dialog } from '../../../ui/dialog';
import { Checkbox, SelectField } from '../../../ui/field';
import { QueryView } from '../../../ui/states';
import { useToast } from '../../../ui/toast';
import { roles, statusTone } from './users.model';

/** One user: status, global roles and plan, each saved on its own. */
export function UserDialog({
  user,
  onClose,
  onChanged,
}: {
  user: UserRow;
  onClose(): void;
  onChanged(user: UserRow): void;
}) {
  const { t, date } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<UserStatus>(user.status);
  const changed = (updated: UserRow) => {
    onChanged(updated);
    toast.ok(t('common.saved'));
    return queryClient.invalidateQueries({ queryKey: ['users'] });
  };
  const saveStatus = useMutation({
    mutationFn: () =>
      unwrap(api.PATCH('/users/{id}', { params: { path: { id: user.id } }, body: { status } })),
    onSuccess: changed,
  });
  const toggleRole = useMutation({
    mutationFn: ({ role, grant }: { role: string; grant: boolean }) => {
      const params = { params: { path: { id: user.id, role } } };
      return unwrap(
        grant ? api.PUT('/users/{id}/roles/{role}', params) : api.DELETE('/users/{id}/roles/{role}', params),
      );
    },
    onSuccess: changed,
  });
  const failure = saveStatus.error ?? toggleRole.error;

  return (
    <Dialog
      open
      onClose={onClose}
      title={displayName(user)}
      description={user.email ?? user.username ?? undefined}
      wide
    >
      <div className="flex flex-col gap-6">
        {failure && <Alert kind="error">{failure.message}</Alert>}
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1.5 text-sm">
          <dt className="text-muted">{t('common.status')}</dt>
          <dd>
            <Badge tone={statusTone[user.status]}>{t(`admin.users.status.${user.status}`)}</Badge>
          </dd>
          <dt className="text-muted">{t('account.profile.phone')}</dt>
          <dd>{user.phone_masked ?? '—'}</dd>
          <dt className="text-muted">{t('admin.users.verified')}</dt>
          <dd>{user.auth_status === 'verified' ? t('common.yes') : t('common.no')}</dd>
          <dt className="text-muted">{t('admin.users.lastLogin')}</dt>
          <dd>{date(user.last_login_at)}</dd>
          <dt className="text-muted">{t('common.created')}</dt>
          <dd>{date(user.created_at)}</dd>
          <dt className="text-muted">ID</dt>
          <dd className="break-all font-mono text-xs">{user.id}</dd>
        </dl>

        <section aria-labelledby="user-status" className="flex flex-col gap-2">
          <h3 id="user-status" className="text-sm font-semibold">
            {t('admin.users.statusTitle')}
          </h3>
          <div className="flex flex-wrap items-end gap-2">
            <SelectField
              className="min-w-44"
              label={t('common.status')}
              value={status}
              onChange={(e) => setStatus(e.target.value as UserStatus)}
              options={(['active', 'inactive', 'banned'] as const).map((s) => ({
                value: s,
                label: t(`admin.users.status.${s}`),
              }))}
            />
            <Button
              busy={saveStatus.isPending}
              disabled={status === user.status}
              onClick={() => saveStatus.mutate()}
            >
              {t('common.save')}
            </Button>
          </div>
          <p className="text-xs text-muted">{t('admin.users.statusHint')}</p>
        </section>

        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-semibold">{t('admin.users.roles')}</legend>
          <div className="flex flex-wrap gap-x-6 gap-y-2">
            {roles
              .filter((r) => r !== 'user')
              .map((role) => (
                <Checkbox
                  key={role}
                  label={role}
                  checked={user.roles.includes(role)}
                  disabled={toggleRole.isPending}
                  onChange={(e) => toggleRole.mutate({ role, grant: e.target.checked })}
                />
              ))}
          </div>
          <p className="text-xs text-muted">{t('admin.users.rolesHint')}</p>
        </fieldset>

        <UserPlan userId={user.id} />
      </div>
    </Dialog>
  );
}

function UserPlan({ userId }: { userId: string }) {
  const { t, date } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const key = ['plans', 'user', userId];
  const plan = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET('/plans/users/{userId}', { params: { path: { userId } } })),
  });
  const catalog = useQuery({ queryKey: ['plans', 'catalog'], queryFn: () => unwrap(api.GET('/plans/')) });
  const [planKey, setPlanKey] = useState<string | null>(null);
  const [trial, setTrial] = useState(false);
  const save = useMutation({
    mutationFn: (chosen: string) =>
      unwrap(
        api.PUT('/plans/users/{userId}', { params: { path: { userId } }, body: { plan_key: chosen, trial } }),
      ),
    onSuccess: (data) => {
      queryClient.setQueryData(key, data);
      toast.ok(t('common.saved'));
    },
  });
  return (
    <section aria-labelledby="user-plan" className="flex flex-col gap-2">
      <h3 id="user-plan" className="text-sm font-semibold">
        {t('admin.users.plan')}
      </h3>
      <QueryView query={plan}>
        {(data) => {
          const chosen = planKey ?? data.plan.plan_key;
          return (
            <div className="flex flex-col gap-3">
              {save.error && <Alert kind="error">{save.error.message}</Alert>}
              <div className="flex flex-wrap items-end gap-3">
                <SelectField
                  className="min-w-44"
                  label={t('admin.users.plan')}
                  value={chosen}
                  onChange={(e) => setPlanKey(e.target.value)}
                  options={(catalog.data?.plans ?? [{ plan_key: chosen, plan_label: chosen }]).map((p) => ({
                    value: p.plan_key,
                    label: p.plan_label,
                  }))}
                />
                <Checkbox
                  className="pb-2.5"
                  label={t('admin.users.trial')}
                  checked={trial}
                  onChange={(e) => setTrial(e.target.checked)}
                />
                <Button busy={save.isPending} onClick={() => save.mutate(chosen)}>
                  {t('admin.users.setPlan')}
                </Button>
              </div>
              {data.plan.is_trial_active && (
                <p className="text-xs text-muted">
                  {t('admin.users.trialUntil', { when: date(data.plan.trial_ends_at, 'date') })}
                </p>
              )}
              {data.history.length > 0 && (
                <details className="text-sm">
                  <summary className="cursor-pointer text-muted">{t('admin.users.planHistory')}</summary>
                  <ul className="mt-2 flex flex-col gap-1">
                    {data.history.map((h) => (
                      <li key={h.id} className="text-xs">
                        {date(h.effective_from)}: {h.old_plan_label ?? h.old_plan_key ?? '—'} →{' '}
                        {h.new_plan_label ?? h.new_plan_key ?? '—'}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </div>
          );
        }}
      </QueryView>
    </section>
  );
}
