import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { Button } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { ApiError, api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';
import { ChooseNewPasswordPage } from './ChooseNewPasswordPage';

/** Screens behind sign-in: loads who the user is in the current workspace before showing them. */
export function RequireSession() {
  const token = useSession((state) => state.token);
  const workspaceId = useSession((state) => state.workspaceId);
  const me = useSession((state) => state.me);
  const setMe = useSession((state) => state.setMe);
  const switchWorkspace = useSession((state) => state.switchWorkspace);
  const signOut = useSession((state) => state.signOut);
  const location = useLocation();
  const query = useQuery({
    queryKey: ['me', token, workspaceId],
    queryFn: api.me,
    enabled: token !== null,
    staleTime: 60_000,
  });

  useEffect(() => {
    if (query.data) setMe(query.data);
  }, [query.data, setMe]);

  useEffect(() => {
    // A workspace the user no longer belongs to: fall back to their first one.
    if (query.error instanceof ApiError && query.error.status === 404 && workspaceId !== null) {
      switchWorkspace('');
    }
  }, [query.error, workspaceId, switchWorkspace]);

  if (token === null) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  // Signed in but a member of no workspace yet: their invitations are all there is to see.
  if (query.error instanceof ApiError && query.error.status === 403) {
    return <Navigate to="/invitations" replace />;
  }
  if (query.isError) {
    return (
      <div className="flex min-h-full flex-col items-center justify-center">
        <ErrorState
          title="Parley could not load your account"
          message={errorMessage(query.error)}
          onRetry={() => query.refetch()}
        />
        <Button variant="link" onClick={() => signOut()}>
          Sign in with another account
        </Button>
      </div>
    );
  }
  if (me === null || query.isPending) return <LoadingState label="Loading your workspace…" />;
  if (query.data?.passwordChangeRequired === true) return <ChooseNewPasswordPage email={query.data.email} />;
  return <Outlet />;
}
