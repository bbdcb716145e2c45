import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/infrastructure/api';
import { sessionStore } from '@/infrastructure/store';

/** Data fetching: retries only what a retry can fix (network, 5xx), never a 4xx. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: false,
      retry: (count, error) =>
        count < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
    },
  },
});

/**
 * What is cached was read by one person in one workspace: leaving it (the sidebar, a new workspace,
 * an accepted invitation, or a workspace the person was removed from) and any change of session
 * (signing out, an expired session, someone else signing in) start afresh, so no screen shows data
 * under keys that name neither. Learning which workspace the API picked for a new session (none
 * yet, then the first) keeps the cache.
 */
export function clearOnWorkspaceChange(client: QueryClient): () => void {
  return sessionStore.subscribe((state, previous) => {
    const leftWorkspace = Boolean(previous.workspaceId) && state.workspaceId !== previous.workspaceId;
    if (leftWorkspace || state.token !== previous.token) client.clear();
  });
}
clearOnWorkspaceChange(queryClient);
