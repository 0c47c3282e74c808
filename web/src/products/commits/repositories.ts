import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export const repositoriesKey = ['commits', 'repositories'] as const;

/** The repositories you can reach (GET /commits/repositories). */
export function useRepositories() {
  return useQuery({ queryKey: repositoriesKey, queryFn: () => unwrap(api.GET('/commits/repositories')) });
}
