import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/infrastructure/api';

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
