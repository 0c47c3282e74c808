import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, NetworkError } from './problem';

/** Retry what may pass on a second try (no answer, 5xx, rate limited), never a refusal (4xx). */
function shouldRetry(failures: number, error: unknown): boolean {
  if (failures >= 2) return false;
  if (error instanceof NetworkError) return true;
  return error instanceof ApiError && (error.status >= 500 || error.status === 429);
}

/** Exponential backoff, or what a 429 says to wait (`retry_after_seconds`, at most 10 s). */
function retryDelay(failures: number, error: unknown): number {
  if (error instanceof ApiError && error.status === 429) {
    const seconds = Number(error.problem?.retry_after_seconds ?? error.problem?.retry_after_s ?? 2);
    return Math.min(10, Math.max(1, seconds)) * 1000;
  }
  return Math.min(1000 * 2 ** failures, 8000);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache(),
    mutationCache: new MutationCache(),
    defaultOptions: {
      queries: { retry: shouldRetry, retryDelay, staleTime: 15_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
