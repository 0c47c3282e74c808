import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Laptop, Smartphone } from 'lucide-react';
import { api, unwrap } from '../../api/client';
import type { Session } from '../../api/types';
import { useSignOut } from '../../app/shell/account-menu';
import { useI18n } from '../../i18n/i18n';
import { Alert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { PageHeader, Panel } from '../../ui/card';
import { ConfirmButton } from '../../ui/confirm';
import { QueryView } from '../../ui/states';
import { useToast } from '../../ui/toast';

const key = ['me', 'sessions'];

function deviceName(s: Session, unknown: string): string {
  const parts = [s.browser, s.os].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : (s.user_agent?.slice(0, 60) ?? unknown);
}

export default function SessionsPage() {
  const { t, date, relative } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const sessions = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/me/sessions')) });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/me/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      toast.ok(t('account.sessions.revoked'));
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revokeOthers = useMutation({
    mutationFn: () => unwrap(api.POST('/me/sessions/revoke-all', { body: { keep_current: true } })),
    onSuccess: (result) => {
      toast.ok(t('account.sessions.revokedOthers', { count: result.revoked }));
      return queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const failure = revoke.error ?? revokeOthers.error;
  const others = sessions.data?.items.filter((s) => !s.current).length ?? 0;

  return (
    <>
      <PageHeader
        title={t('account.sessions.title')}
        description={t('account.sessions.description')}
        actions={
          <ConfirmButton
            size="md"
            busy={revokeOthers.isPending}
            title={t('account.sessions.revokeOthersTitle')}
            message={t('account.sessions.revokeOthersConfirm')}
            confirmLabel={t('account.sessions.revokeOthers')}
            onConfirm={() => revokeOthers.mutate()}
          >
            {t('account.sessions.revokeOthers')}
          </ConfirmButton>
        }
      />
      {failure && (
        <Alert kind="error" className="mb-4">
          {failure.message}
        </Alert>
      )}
      <Panel
        title={t('account.sessions.devices')}
        description={t('account.sessions.count', { count: others + 1 })}
      >
        <QueryView query={sessions} isEmpty={(d) => d.items.length === 0}>
          {(data) => (
            <ul className="flex flex-col divide-y divide-border">
              {data.items.map((s) => {
                const Icon = s.device_type === 'mobile' || s.device_type === 'tablet' ? Smartphone : Laptop;
                const name = deviceName(s, t('account.sessions.unknownDevice'));
                return (
                  <li key={s.id} className="flex flex-wrap items-center gap-3 py-3 first:pt-0 last:pb-0">
                    <Icon aria-hidden className="size-5 shrink-0 text-muted" />
                    <div className="min-w-0 flex-1">
                      <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                        {name}
                        {s.current && <Badge tone="ok">{t('account.sessions.current')}</Badge>}
                        <Badge>{t(`account.sessions.method.${s.method}`)}</Badge>
                      </p>
                      <p className="text-xs text-muted">
                        {[s.ip, t('account.sessions.lastSeen', { when: relative(s.last_seen_at) })]
                          .filter(Boolean)
                          .join(' · ')}
                        <span className="hidden sm:inline">
                          {' · '}
                          {t('account.sessions.since', { when: date(s.created_at, 'date') })}
                        </span>
                      </p>
                    </div>
                    {s.current ? (
                      <ConfirmButton
                        busy={signOut.isPending}
                        title={t('shell.signOut')}
                        message={t('account.sessions.signOutConfirm')}
                        confirmLabel={t('shell.signOut')}
                        onConfirm={() => signOut.mutate()}
                      >
                        {t('shell.signOut')}
                      </ConfirmButton>
                    ) : (
                      <ConfirmButton
                        busy={revoke.isPending && revoke.variables === s.id}
                        label={t('account.sessions.revokeNamed', { name })}
                        title={t('account.sessions.revokeTitle')}
                        message={t('account.sessions.revokeConfirm', { name })}
                        confirmLabel={t('account.sessions.revoke')}
                        onConfirm={() => revoke.mutate(s.id)}
                      >
                        {t('account.sessions.revoke')}
                      </ConfirmButton>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </QueryView>
      </Panel>
    </>
  );
}
