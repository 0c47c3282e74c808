import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { api, unwrap } from '../api/client';
import { ApiError } from '../api/problem';
import type { Me } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ErrorPanel, Loading } from '../ui/states';
import { signInPath } from './paths';

export const meKey = ['me'] as const;

export function useMeQuery() {
  return useQuery({ queryKey: meKey, queryFn: () => unwrap(api.GET('/me/')), staleTime: 60_000 });
}

const SessionContext = createContext<Me | null>(null);

/** The signed-in user; only inside RequireSession. */
export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe outside RequireSession');
  return me;
}

export function isAdmin(me: Me): boolean {
  return me.roles.includes('admin');
}

/** Everything under it needs a session: no session → sign in, then come back here. */
export function RequireSession() {
  const me = useMeQuery();
  const location = useLocation();
  const { lang, setLang } = useI18n();
  const serverLang = me.data?.settings.language;

  // The account's language wins over this browser's last choice.
  useEffect(() => {
    if (serverLang && serverLang !== lang) setLang(serverLang);
  }, [serverLang, lang, setLang]);

  if (me.isPending) return <Loading className="min-h-screen" />;
  if (me.error instanceof ApiError && me.error.status === 401) {
    return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  }
  if (!me.data) {
    return (
      <div className="mx-auto max-w-xl p-6">
        <ErrorPanel error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  return (
    <SessionContext.Provider value={me.data}>
      <Outlet />
    </SessionContext.Provider>
  );
}

/** After a sign-in: forget everything cached for whoever was here before. */
export function useStartSession() {
  const queryClient = useQueryClient();
  return async (): Promise<Me> => {
    queryClient.clear();
    return queryClient.fetchQuery({ queryKey: meKey, queryFn: () => unwrap(api.GET('/me/')) });
  };
}
