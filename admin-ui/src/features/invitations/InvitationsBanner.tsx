import { useQuery } from '@tanstack/react-query';
import { Mail } from 'lucide-react';
import { Link } from 'react-router';
import { api } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';

/** Tells a signed-in member that invitations to other workspaces wait for their answer. */
export function InvitationsBanner() {
  const token = useSession((state) => state.token);
  const invitations = useQuery({
    queryKey: ['invitations', token],
    queryFn: api.myInvitations,
    enabled: token !== null,
    staleTime: 60_000,
  });
  // Not loaded (or failed): no banner; the invitations page itself says what went wrong.
  const waiting = invitations.data ?? [];
  if (waiting.length === 0) return null;
  const [first] = waiting;
  return (
    <div
      role="status"
      className="flex items-center gap-3 border-b bg-amber-50 px-8 py-2.5 text-sm text-amber-900"
    >
      <Mail className="size-4 shrink-0" aria-hidden />
      <span className="flex-1">
        {waiting.length === 1 && first
          ? `You are invited to join ${first.workspaceName}.`
          : `You have ${waiting.length} invitations to join other workspaces.`}
      </span>
      <Link to="/invitations" className="font-medium underline underline-offset-4">
        See invitations
      </Link>
    </div>
  );
}
