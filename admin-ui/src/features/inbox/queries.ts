import type { InboxView } from '@parley/contract';

/** The inbox's query keys: every inbox event invalidates `all`. */
export const inboxKeys = {
  all: ['inbox'] as const,
  list: (workspaceId: string | undefined, view: InboxView) => ['inbox', workspaceId, 'list', view] as const,
  summary: (workspaceId: string | undefined) => ['inbox', workspaceId, 'summary'] as const,
  savedReplies: (workspaceId: string | undefined) => ['saved-replies', workspaceId] as const,
};
