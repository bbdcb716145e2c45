import type { InboxEvent } from '@parley/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Outlet, useNavigate } from 'react-router';
import { api } from '@/infrastructure/api';
import { useInboxActivity } from '@/infrastructure/api/inbox-stream';
import { hasRole, useSession } from '@/infrastructure/store';
import { notify, wouldNotify } from './notifications';
import { inboxKeys } from './queries';

const contactOf = (activity: InboxEvent) => `${activity.contact}${activity.isTest ? ' (test)' : ''}`;

/**
 * Keeps every inbox screen of the tab current from the one event stream: what an event touches is
 * read again (no polling), and a hidden tab raises a desktop notification for a new hand-off or a
 * new message in a conversation the person holds. A layout route: the screens under it draw.
 */
export function InboxLive() {
  const me = useSession((state) => state.me);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const enabled = hasRole(me, 'agent');

  useInboxActivity(
    {
      onActivity: (activity) => {
        void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
        void queryClient.invalidateQueries({ queryKey: ['conversation', activity.conversationId] });
        const open = () => navigate(`/inbox/${activity.conversationId}`);
        if (activity.kind === 'handoff') {
          notify('A contact is waiting for a person', contactOf(activity), activity.conversationId, open);
        } else if (activity.kind === 'contact_message' && me !== null && wouldNotify()) {
          // Only the holder is told: who holds it is on the conversation, read again for the event.
          void queryClient
            .fetchQuery({
              queryKey: ['conversation', activity.conversationId],
              queryFn: () => api.conversation(activity.conversationId),
            })
            .then((conversation) => {
              if (conversation.assignedTo?.id === me.id)
                notify(
                  `New message from ${contactOf(activity)}`,
                  'Open the inbox to answer.',
                  activity.conversationId,
                  open,
                );
            })
            // No notification then: the list and the badge still show the message.
            .catch(() => undefined);
        }
      },
      onResync: () => {
        void queryClient.invalidateQueries({ queryKey: inboxKeys.all });
        void queryClient.invalidateQueries({ queryKey: ['conversation'] });
      },
    },
    enabled,
  );
  return <Outlet />;
}

/**
 * The sidebar's counts: contacts waiting for someone to take them, and unread contact messages (in
 * those and in the conversations the person holds). Nothing when both are zero.
 */
export function InboxBadge() {
  const me = useSession((state) => state.me);
  const summary = useQuery({
    queryKey: inboxKeys.summary(me?.workspaceId),
    queryFn: api.inboxSummary,
    enabled: hasRole(me, 'agent'),
  });
  const waiting = summary.data?.waiting ?? 0;
  const unread = summary.data?.unread ?? 0;
  if (waiting === 0 && unread === 0) return null;
  const pill = 'min-w-5 rounded-full px-1.5 py-0.5 text-center text-[11px] font-semibold leading-none';
  return (
    <span className="ml-auto flex items-center gap-1" data-testid="inbox-badge">
      {waiting > 0 && (
        <span className={`${pill} bg-amber-100 text-amber-900`} title={`${waiting} waiting for someone`}>
          {waiting}
          <span className="sr-only"> waiting</span>
        </span>
      )}
      {unread > 0 && (
        <span className={`${pill} bg-rose-600 text-white`} title={`${unread} unread messages`}>
          {unread}
          <span className="sr-only"> unread</span>
        </span>
      )}
    </span>
  );
}
