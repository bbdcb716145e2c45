export { InvitationsBanner } from './InvitationsBanner';
export { InvitationsPage } from './InvitationsPage';
