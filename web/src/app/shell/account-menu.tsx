import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LogOut, UserRound } from 'lucide-react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Me } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { Button } from '../../ui/button';
import { Popover } from '../../ui/popover';
import { LanguageSelect, ThemeChoices } from '../preferences';
import { useMe } from '../session';

export function displayName(me: Pick<Me, 'full_name' | 'username' | 'email' | 'phone_masked'>): string {
  return me.full_name || me.username || me.email || me.phone_masked || '—';
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/auth/logout', { body: {} })),
    // Signed out locally even when the server could not be told: the cookies are gone either way
    // after their 10 minutes, and the user asked to leave.
    onSettled: () => {
      queryClient.clear();
      void navigate('/sign-in', { replace: true });
    },
  });
}

export function AccountMenu() {
  const me = useMe();
  const { t } = useI18n();
  const signOut = useSignOut();
  const name = displayName(me);
  return (
    <Popover
      label={t('shell.accountMenu')}
      className="sm:w-72"
      trigger={(props) => (
        <button
          type="button"
          {...props}
          aria-label={t('shell.accountMenuFor', { name })}
          className="ml-1 inline-flex size-9 items-center justify-center rounded-full bg-accent-soft text-sm font-semibold text-accent hover:ring-2 hover:ring-border"
        >
          {initials(name)}
        </button>
      )}
    >
      {(close) => (
        <div className="flex flex-col">
          <div className="border-b border-border px-4 py-3">
            <p className="truncate text-sm font-semibold">{name}</p>
            <p className="truncate text-xs text-muted">{me.email ?? me.username ?? me.phone_masked}</p>
          </div>
          <div className="flex flex-col gap-3 border-b border-border px-4 py-3">
            <ThemeChoices />
            <LanguageSelect signedIn />
          </div>
          <div className="flex flex-col p-1.5">
            <Link
              to="/account"
              onClick={close}
              className="flex items-center gap-2 rounded-md px-2.5 py-2 text-sm hover:bg-surface-2"
            >
              <UserRound aria-hidden className="size-4 text-muted" />
              {t('shell.account')}
            </Link>
            <Button
              variant="ghost"
              className="justify-start px-2.5"
              busy={signOut.isPending}
              onClick={() => signOut.mutate()}
              icon={<LogOut aria-hidden className="size-4 text-muted" />}
            >
              {t('shell.signOut')}
            </Button>
          </div>
        </div>
      )}
    </Popover>
  );
}
