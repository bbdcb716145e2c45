import type { AiProvider } from '@parley/contract';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';

/** The workspace's AI providers as editors see them (name, kind, default model); none for viewers. */
export function useAiProviders() {
  const editor = useSession((state) => hasRole(state.me, 'editor'));
  return useQuery({
    queryKey: ['ai-providers'],
    queryFn: api.listAiProviders,
    enabled: editor,
    staleTime: 30_000,
  });
}

/** The models a provider offers (its own list, or Parley's list of common ones with the reason). */
export function useAiModels(providerId: string) {
  const editor = useSession((state) => hasRole(state.me, 'editor'));
  return useQuery({
    queryKey: ['ai-provider-models', providerId],
    queryFn: () => api.aiProviderModels(providerId),
    enabled: editor && providerId !== '',
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export const PROVIDER_KIND_NAMES: Record<AiProvider['kind'], string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  openai_compatible: 'OpenAI-compatible',
};
