import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/**
 * Names for user ids shown in logs. The API has no batch lookup by id, so this reads the newest
 * 100 users once; other ids are shown shortened.
 */
export function useUserNames(): (id: string | null) => string {
  const users = useQuery({
    queryKey: ['users', 'names'],
    queryFn: () => unwrap(api.GET('/users/', { params: { query: { limit: 100 } } })),
    staleTime: 5 * 60_000,
  });
  return (id) => {
    if (!id) return '—';
    const user = users.data?.items.find((u) => u.id === id);
    return user?.username ?? user?.full_name ?? user?.email ?? `${id.slice(0, 8)}…`;
  };
}
