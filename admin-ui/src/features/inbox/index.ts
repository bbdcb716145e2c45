export { InboxBadge, InboxLive } from './InboxLive';
export { InboxPage } from './InboxPage';
