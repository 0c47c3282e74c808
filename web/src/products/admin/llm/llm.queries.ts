import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';

export const llmKeys = {
  providers: ['llm', 'providers'],
  models: ['llm', 'models'],
  rules: ['llm', 'routing-rules'],
  keys: (providerId: string) => ['llm', 'providers', providerId, 'keys'],
};

export function useProviders() {
  return useQuery({ queryKey: llmKeys.providers, queryFn: () => unwrap(api.GET('/llm/providers')) });
}

export function useModels() {
  return useQuery({ queryKey: llmKeys.models, queryFn: () => unwrap(api.GET('/llm/models')) });
}
