import type { ReceivedInvitation, Role } from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MailOpen } from 'lucide-react';
import type { ReactNode } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { Logo } from '@/components/logo';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FormAlert } from '@/components/ui/form-messages';
import { ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';
import { formatWhen } from '@/lib/format';

const ROLE_LABEL: Record<Role, string> = {
  admin: 'an admin',
  editor: 'an editor',
  agent: 'an agent',
  viewer: 'a viewer',
};

function InvitationCard({ invitation }: { invitation: ReceivedInvitation }) {
  const queryClient = useQueryClient();
  const switchWorkspace = useSession((state) => state.switchWorkspace);
  const navigate = useNavigate();
  const accept = useMutation({
    mutationFn: () => api.acceptInvitation(invitation.id),
    onSuccess: (joined) => {
      queryClient.removeQueries({ queryKey: ['me'] });
      queryClient.invalidateQueries({ queryKey: ['invitations'] });
      switchWorkspace(joined.workspaceId);
      toast.success('Invitation accepted', `You joined ${joined.workspaceName}.`);
      navigate('/flows', { replace: true });
    },
  });
  const decline = useMutation({
    mutationFn: () => api.declineInvitation(invitation.id),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ['invitations'] });
      toast.success('Invitation declined', `You did not join ${invitation.workspaceName}.`);
    },
  });
  const failure = accept.error ?? decline.error;
  const busy = accept.isPending || decline.isPending;
  return (
    <li>
      <Card className="flex flex-col gap-3 p-4" aria-label={`Invitation to ${invitation.workspaceName}`}>
        <div>
          <p className="font-medium">{invitation.workspaceName}</p>
          <p className="text-sm text-muted-foreground">
            You are invited as {ROLE_LABEL[invitation.role]}
            {invitation.invitedBy === null ? '' : ` by ${invitation.invitedBy}`},{' '}
            {formatWhen(invitation.invitedAt)}.
          </p>
        </div>
        {failure && <FormAlert>{errorMessage(failure)}</FormAlert>}
        <div className="flex gap-2">
          <Button onClick={() => accept.mutate()} disabled={busy}>
            {accept.isPending && <Spinner label="Accepting" />}
            Accept
          </Button>
          <Button variant="outline" onClick={() => decline.mutate()} disabled={busy}>
            {decline.isPending && <Spinner label="Declining" />}
            Decline
          </Button>
        </div>
      </Card>
    </li>
  );
}

/**
 * Invitations to join workspaces, answered by the person invited. Reached from the banner, and
 * where someone who belongs to no workspace yet lands after signing in; they may also start a
 * workspace of their own (`startWorkspace`, composed by the app: the shell owns that dialog).
 */
export function InvitationsPage({ startWorkspace }: { startWorkspace: ReactNode }) {
  const token = useSession((state) => state.token);
  const me = useSession((state) => state.me);
  const signOut = useSession((state) => state.signOut);
  const navigate = useNavigate();
  const invitations = useQuery({
    queryKey: ['invitations', token],
    queryFn: api.myInvitations,
    enabled: token !== null,
  });

  if (token === null) return <Navigate to="/sign-in" replace state={{ from: '/invitations' }} />;

  const onSignOut = async () => {
    // Signed out locally either way; the session also expires on the server.
    await api.logout().catch(() => undefined);
    signOut();
  };

  return (
    <main className="flex min-h-full items-center justify-center bg-gradient-to-b from-emerald-50 to-background px-4 py-12">
      <div className="w-full max-w-md">
        <div className="mb-8 flex justify-center">
          <Logo className="text-2xl" />
        </div>
        <h1 className="text-lg font-semibold">Invitations</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          Workspaces you have been invited to join. Accept to start working in one.
        </p>
        <div className="mt-5">
          {invitations.isPending ? (
            <LoadingState label="Loading your invitations…" />
          ) : invitations.isError ? (
            <ErrorState
              title="Your invitations could not be loaded"
              message={errorMessage(invitations.error)}
              onRetry={() => invitations.refetch()}
            />
          ) : invitations.data.length === 0 ? (
            <Card className="flex flex-col items-center gap-2 p-6 text-center">
              <MailOpen className="size-6 text-muted-foreground" aria-hidden />
              <p className="font-medium">No invitations right now</p>
              <p className="text-sm text-muted-foreground">
                {me === null
                  ? 'You are not a member of any workspace yet. Ask a workspace admin to invite you, then sign in again, or create a workspace of your own.'
                  : 'When an admin invites you to another workspace, it shows up here.'}
              </p>
              {me === null && startWorkspace}
            </Card>
          ) : (
            <ul className="flex flex-col gap-3">
              {invitations.data.map((invitation) => (
                <InvitationCard key={invitation.id} invitation={invitation} />
              ))}
            </ul>
          )}
        </div>
        <div className="mt-6 flex justify-center gap-2">
          {me !== null && (
            <Button variant="link" onClick={() => navigate('/flows')}>
              Back to{' '}
              {me.workspaces.find((workspace) => workspace.workspaceId === me.workspaceId)?.workspaceName}
            </Button>
          )}
          <Button variant="link" onClick={onSignOut}>
            Sign out
          </Button>
        </div>
      </div>
    </main>
  );
}
